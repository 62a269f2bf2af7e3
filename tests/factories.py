"""factory_boy factories for the tests."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from assessments.choices import OrganisationType, Role
from assessments.models import FiscalYear, Membership, Organisation
from assessments.services import ScoreSheet, assessment_save_scores

# Document 000 (อบต.โคกมน, 2568): 94.74, ผ่านดี.
KHOKMON_2568 = ["100", "100", "99.75", "100", "100", "99.00", "97.33", "98.67", "91.25", "85.00"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"องค์การบริหารส่วนตำบลทดสอบ {n}")
    org_type = OrganisationType.SAO
    district = "เมือง"
    province = "เพชรบูรณ์"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF


def member(organisation, role=Role.STAFF, **user_kwargs):
    """A user who belongs to ``organisation`` with ``role``."""
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_kwargs)).user


def make_assessment(organisation, year=2568, indicators=KHOKMON_2568, user=None, **sheet_kwargs):
    """An assessment saved through the service, as the web form would save it."""
    fiscal_year = FiscalYear.objects.get(year=year)
    numbers = sorted(fiscal_year.indicators.values_list("number", flat=True))
    sheet = ScoreSheet(
        indicators={n: Decimal(v) for n, v in zip(numbers, indicators, strict=True)}, **sheet_kwargs
    )
    return assessment_save_scores(organisation=organisation, fiscal_year=fiscal_year, sheet=sheet, user=user)
