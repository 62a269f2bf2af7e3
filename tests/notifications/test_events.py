"""Each step of a plan's review, and an invitation, tells the people who act next — decided by the
permission table — and no one else (another organisation, a role the table excludes, the person
who took the step); once per event."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.choices import Role
from measures.choices import PlanStatus
from measures.services import plan_approve, plan_publish, plan_return, plan_submit
from members.services import invitation_create
from notifications.events import plan_step
from notifications.models import Kind, Notification
from tests.factories import OrganisationFactory, UserFactory, make_plan, member

pytestmark = pytest.mark.django_db


def told(kind) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def people(org):
    other = OrganisationFactory(name="เทศบาลตำบลอื่น")
    plan, wg = make_plan(org)
    return {
        "plan": plan,
        "wg": wg,
        "wg2": member(org, Role.WORKING_GROUP, username="wg2"),
        "staff": member(org, Role.STAFF, username="staff"),
        "admin": member(org, Role.ADMINISTRATOR, username="admin"),
        "outsider": member(other, Role.WORKING_GROUP, username="outsider"),
    }


def test_each_step_tells_who_acts_next_and_no_one_else(people, django_capture_on_commit_callbacks):
    plan, wg, staff = people["plan"], people["wg"], people["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        plan_submit(plan=plan, user=staff)
    assert told(Kind.PLAN_SUBMITTED) == {wg.username, "wg2"}  # the working group; not staff, admin, outsider
    note = Notification.objects.filter(kind=Kind.PLAN_SUBMITTED).first()
    assert (
        note.url == reverse("measures:plan-detail", args=[plan.pk])
        and "เสนอให้คณะทำงาน ITA พิจารณา" in note.text
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan_return(plan=plan, user=wg, comment="เพิ่มงบประมาณ")
    assert told(Kind.PLAN_RETURNED) == {"wg2", "staff"}  # the editors but the one who returned it
    assert "เพิ่มงบประมาณ" in Notification.objects.filter(kind=Kind.PLAN_RETURNED).first().text
    with django_capture_on_commit_callbacks(execute=True):
        plan_submit(plan=plan, user=staff)
        plan_approve(plan=plan, user=wg)
    assert told(Kind.PLAN_APPROVED) == {"admin"}  # who may publish
    assert Notification.objects.filter(kind=Kind.PLAN_SUBMITTED).count() == 4  # two submissions, two people
    with django_capture_on_commit_callbacks(execute=True):
        plan_publish(plan=plan, user=people["admin"])
    assert told(Kind.PLAN_PUBLISHED) == {wg.username, "wg2", "staff"}  # every member but the publisher
    assert "outsider" not in set(Notification.objects.values_list("user__username", flat=True))


def test_an_event_is_told_once_however_often_it_is_handled(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan_submit(plan=people["plan"], user=people["staff"])
    event = people["plan"].events.get(action="submit")
    plan_step(event.pk)
    plan_step(event.pk)
    assert Notification.objects.filter(kind=Kind.PLAN_SUBMITTED).count() == 2


def test_a_step_rolled_back_tells_nobody(people, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                plan_submit(plan=people["plan"], user=people["staff"])
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists()
    people["plan"].refresh_from_db()
    assert people["plan"].status == PlanStatus.DRAFT


def test_an_invitation_waits_under_the_bell_of_an_existing_account_only(
    org, django_capture_on_commit_callbacks, mailoutbox
):
    admin = member(org, Role.ADMINISTRATOR)
    UserFactory(username="somsri", email="somsri@example.go.th")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _sent = invitation_create(
            organisation=org, email="somsri@example.go.th", role=Role.STAFF, user=admin
        )
        invitation_create(organisation=org, email="new@example.go.th", role=Role.STAFF, user=admin)
    (note,) = Notification.objects.filter(kind=Kind.INVITATION)
    assert note.user.username == "somsri" and note.url.startswith("/invitations/")
    assert org.name in note.text and "เจ้าหน้าที่" in note.text
