"""The frameworks are editable in the admin without a code change."""

import pytest
from django.urls import reverse

from assessments.models import FiscalYear, Question, RatingLevel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    "model", ["fiscalyear", "indicator", "question", "organisation", "assessment", "indicatorscore"]
)
def test_admin_lists_open(admin_client, model):
    assert admin_client.get(reverse(f"admin:assessments_{model}_changelist")).status_code == 200


def test_an_unconfirmed_question_can_be_corrected_in_the_admin(admin_client):
    question = Question.objects.get(fiscal_year__year=2568, code="o2")
    url = reverse("admin:assessments_question_change", args=[question.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        fiscal_year=question.fiscal_year_id,
        indicator=question.indicator_id,
        sub_indicator=question.sub_indicator_id,
        text="ข้อมูลผู้บริหาร (ตรวจกับคู่มือแล้ว)",
        unconfirmed="",
    )
    data.pop("unconfirmed")
    response = admin_client.post(url, data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.unconfirmed) == ("ข้อมูลผู้บริหาร (ตรวจกับคู่มือแล้ว)", False)


def test_fiscal_year_page_shows_levels_inline(admin_client):
    fy = FiscalYear.objects.get(year=2568)
    page = admin_client.get(reverse("admin:assessments_fiscalyear_change", args=[fy.pk])).content.decode()
    for level in RatingLevel.objects.filter(fiscal_year=fy):
        assert level.label in page
