"""Every model a test needs can be made in one line (tests/factories.py)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.UserFactory,
    factories.OrganisationFactory,
    factories.MembershipFactory,
    factories.AssessmentFactory,
    factories.MeasurePlanFactory,
    factories.MeasureFactory,
    factories.PublishedDocumentFactory,
    factories.PublishedEvidenceFactory,
    factories.OversightFactory,
    factories.RegisterItemFactory,
    factories.LinkCheckFactory,
    factories.ScoreImportFactory,
    factories.JobFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=[f.__name__ for f in FACTORIES])
def test_each_factory_saves_a_valid_row(factory):
    made = factory()
    made.full_clean()
    assert type(made).objects.filter(pk=made.pk).exists()


def test_an_overseer_follows_the_province_asked():
    user = factories.overseer("ตาก")
    assert list(user.oversights.values_list("province", flat=True)) == ["ตาก"]
