"""Review without round trips: while a plan is submitted the working group changes, adds and moves
its measures in place (staff and administrators may not; nobody regenerates it), every change is
the history's under its author, and the changes of the latest review are listed for staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments.choices import Role
from measures.choices import PlanStatus
from measures.selectors import review_changes
from measures.services import measure_update, plan_approve, plan_return, plan_submit
from measures.services._common import PlanLocked
from tests.factories import make_plan, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(org):
    plan, wg = make_plan(org)
    staff = member(org, Role.STAFF, username="staff")
    plan_submit(plan=plan, user=staff)
    return plan, wg, staff


def test_the_working_group_changes_a_submitted_plan_and_staff_may_not(submitted, org):
    plan, wg, staff = submitted
    measure = plan.measures.first()
    assert measure_update(measure=measure, user=wg, values={"title": "มาตรการใหม่ระหว่างพิจารณา"})
    for refused in (staff, member(org, Role.ADMINISTRATOR)):
        with pytest.raises((PlanLocked, PermissionDenied)):
            measure_update(measure=measure, user=refused, values={"title": "อีกชื่อ"})
    measure.refresh_from_db()
    assert measure.title == "มาตรการใหม่ระหว่างพิจารณา"
    assert measure.history.first().history_user == wg


def test_the_pages_follow_the_same_rule(client, submitted):
    plan, wg, staff = submitted
    url = reverse("measures:measure-update", args=[plan.measures.first().pk])
    client.force_login(staff)
    assert client.get(url).status_code == 302  # back to the plan, with the reason
    assert (
        "สร้างร่างใหม่จากผลการประเมิน"
        not in client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    )
    client.force_login(wg)
    assert client.get(url).status_code == 200
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    assert "คณะทำงานแก้ไข เพิ่ม และเลื่อนมาตรการได้ระหว่างพิจารณา" in page
    assert "สร้างร่างใหม่จากผลการประเมิน" not in page  # no regeneration under review
    # อนุมัติ is one click: a form that posts straight to the step.
    answer = client.post(reverse("measures:plan-transition", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert answer.status_code == 302 and plan.status == PlanStatus.APPROVED


def test_the_latest_reviews_changes_are_listed_with_their_authors(submitted):
    plan, wg, staff = submitted
    measure = plan.measures.first()
    measure_update(measure=measure, user=wg, values={"title": "ชื่อที่คณะทำงานแก้"})
    plan_return(plan=plan, user=wg, comment="ปรับเพิ่ม")
    listed = review_changes(plan)
    assert [(c.user, c.field, c.new) for c in listed] == [(wg, "มาตรการ", "ชื่อที่คณะทำงานแก้")]
    measure.refresh_from_db()
    measure_update(measure=measure, user=staff, values={"title": "ชื่อที่เจ้าหน้าที่แก้"})  # not in a review
    plan_submit(plan=plan, user=staff)
    assert review_changes(plan) == []  # a new review: nothing changed in it yet
    plan_approve(plan=plan, user=wg)
    assert review_changes(plan) == []
