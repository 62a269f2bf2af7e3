"""Home as a to-do list: each organisation's next step of the newest year, with one button for
the user whose role may take it, and the plans waiting for the working group."""

import datetime

import pytest
from django.urls import reverse

from assessments.choices import Role
from assessments.models import FiscalYear
from measures.choices import MeasureStatus, PlanStatus
from measures.models import Measure
from measures.steps import due_this_quarter, next_step
from tests.factories import OrganisationFactory, make_assessment, member, plan_with_measures

pytestmark = pytest.mark.django_db


def roles(*names):
    return frozenset(names)


def test_each_stage_of_the_year_and_who_gets_the_button():
    organisation = OrganisationFactory()
    staff, wg, admin = roles(Role.STAFF), roles(Role.WORKING_GROUP), roles(Role.ADMINISTRATOR)
    assert (
        next_step(organisation=organisation, year=2569, assessment=None, roles=staff).button
        == "บันทึกผลการประเมิน"
    )
    waiting = next_step(organisation=organisation, year=2569, assessment=None, roles=admin)
    assert (waiting.button, waiting.text) == ("", "รอเจ้าหน้าที่บันทึกผลการประเมินปี 2569")

    plan, _ = plan_with_measures(organisation, status=PlanStatus.DRAFT)
    assessment = plan.assessment
    assessment.plan = plan
    step = next_step(organisation=organisation, year=2568, assessment=assessment, roles=wg)
    assert step.button == "แก้ไขร่างแผน" and step.url == reverse("measures:plan-detail", args=[plan.pk])
    for status, who, button in (
        (PlanStatus.SUBMITTED, wg, "พิจารณาแผน"),
        (PlanStatus.SUBMITTED, staff, ""),
        (PlanStatus.APPROVED, admin, "เผยแพร่เอกสาร"),
        (PlanStatus.APPROVED, wg, ""),
        (PlanStatus.PUBLISHED, wg, "รายงานความก้าวหน้า"),
    ):
        plan.status = status
        step = next_step(organisation=organisation, year=2568, assessment=assessment, roles=who, due=3)
        assert step.button == button, (status, who)
    done = next_step(organisation=organisation, year=2568, assessment=assessment, roles=wg, due=0)
    assert done.done and done.button == "ดูความก้าวหน้า"


def test_due_counts_open_measures_not_reported_this_quarter():
    plan, _ = plan_with_measures(numbers=[1, 2, 3])
    today = datetime.date(2026, 5, 15)  # quarter 3 of 2569, the plan's year
    first, second, third = plan.measures.order_by("order")
    Measure.objects.filter(pk=first.pk).update(last_update_on=datetime.date(2026, 4, 2))  # this quarter
    Measure.objects.filter(pk=second.pk).update(last_update_on=datetime.date(2026, 3, 30))  # last quarter
    Measure.objects.filter(pk=third.pk).update(status=MeasureStatus.DONE)  # closed
    assert due_this_quarter([plan], today) == {plan.pk: 1}
    assert due_this_quarter([plan], datetime.date(2026, 11, 1)) == {}  # another year's plan


def test_home_shows_the_step_and_the_plans_waiting_for_review(client):
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลรอพิจารณา")
    plan, working_group = plan_with_measures(organisation, status=PlanStatus.SUBMITTED)
    client.force_login(working_group)
    page = client.get(reverse("home")).content.decode()
    waiting = page[page.index('id="waiting-for-review"') :]
    assert "แผนมาตรการที่รอคณะทำงานพิจารณา (1)" in waiting
    assert reverse("measures:plan-detail", args=[plan.pk]) in waiting[: waiting.index("</section>")]
    newest = FiscalYear.objects.order_by("-year").first().year
    assert f"ยังไม่ได้บันทึกผลการประเมินปี {newest}" in page  # the newest year has no result yet

    client.force_login(member(organisation, Role.ADMINISTRATOR))
    assert f"รอเจ้าหน้าที่บันทึกผลการประเมินปี {newest}" in client.get(reverse("home")).content.decode()
    staff = member(organisation, Role.STAFF)
    client.force_login(staff)
    page = client.get(reverse("home")).content.decode()
    assert 'id="waiting-for-review"' not in page
    create = reverse("assessments:assessment-create", args=[organisation.pk]) + f"?year={newest}"
    assert f'href="{create}">บันทึกผลการประเมิน</a>' in page
    make_assessment(organisation, year=newest)
    page = client.get(reverse("home")).content.decode()
    analysis = reverse(
        "assessment-analysis", args=[organisation.assessments.get(fiscal_year__year=newest).pk]
    )
    assert f'href="{analysis}">ตรวจผลและสร้างร่างแผน</a>' in page  # staff may draft the plan
