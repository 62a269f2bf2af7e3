"""The morning's reminders under a test clock: progress due in the quarter's last 14 days and
overdue after it (to a measure's owner, else those who may record progress), a measure late, NACC's
windows opening and closing, and the items a link check found broken — each once."""

from __future__ import annotations

import datetime

import pytest

from assessments.choices import Role
from notifications import reminders
from notifications.models import Kind, Notification
from tests.factories import (
    LinkCheckFactory,
    OrganisationFactory,
    RegisterItemFactory,
    member,
    plan_with_measures,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date


def told(kind) -> dict:
    return {n.user.username: n for n in Notification.objects.filter(kind=kind).select_related("user")}


@pytest.fixture
def world(org):
    plan, wg = plan_with_measures(org)  # plan of 2569, approved; measures run Q1–Q2 or all year
    staff = member(org, Role.STAFF, username="staff", first_name="สมศรี", last_name="ดีงาม")
    member(org, Role.ADMINISTRATOR, username="admin")
    owned = plan.measures.order_by("order").first()
    owned.owner_person = "สมศรี ดีงาม"
    owned.save()
    other_plan, _ = plan_with_measures(OrganisationFactory(name="เทศบาลอื่น"), numbers=[1])
    other_plan.measures.update(last_update_on=DAY(2026, 3, 1))  # reported this quarter
    return {"plan": plan, "wg": wg, "staff": staff, "owned": owned}


def test_progress_is_due_in_the_last_fourteen_days_of_the_quarter_to_owners_else_editors(world):
    reminders.progress(DAY(2026, 3, 16), Kind.PROGRESS_DUE)  # 15 days before 31 March: not yet
    assert not Notification.objects.exists()
    reminders.progress(DAY(2026, 3, 20), Kind.PROGRESS_DUE)
    notes = told(Kind.PROGRESS_DUE)
    assert set(notes) == {world["wg"].username, "staff"}  # not the administrator, not the other agency
    # Her own measure (by her name) goes to her alone; the nine that name nobody to every editor.
    assert "ของมาตรการ 10 รายการ" in notes["staff"].text
    assert "ของมาตรการ 9 รายการ" in notes[world["wg"].username].text
    assert world["owned"].title not in notes[world["wg"].username].text
    assert "ไตรมาส 2/2569" in notes["staff"].text and "31 มีนาคม 2569" in notes["staff"].text
    reminders.progress(DAY(2026, 3, 21), Kind.PROGRESS_DUE)
    assert Notification.objects.count() == 2  # once per quarter


def test_a_report_in_the_quarter_is_not_reminded_and_a_missing_one_is_overdue_after_it(world):
    world["plan"].measures.exclude(pk=world["owned"].pk).update(last_update_on=DAY(2026, 2, 1))
    reminders.progress(DAY(2026, 4, 5), Kind.PROGRESS_OVERDUE)
    notes = told(Kind.PROGRESS_OVERDUE)
    assert set(notes) == {"staff"} and "เลยกำหนด 31 มีนาคม 2569 แล้ว" in notes["staff"].text


def test_measures_past_their_end_are_late_once_per_organisation_and_end(world):
    reminders.late(DAY(2026, 4, 5))
    organisation = world["plan"].assessment.organisation
    ended = world["plan"].measures.filter(planned_end_on__lt=DAY(2026, 4, 5)).count()
    notes = told(Kind.MEASURE_LATE)
    assert ended and {"staff", world["wg"].username} <= set(notes)
    mine = Notification.objects.get(kind=Kind.MEASURE_LATE, organisation=organisation, user=world["wg"])
    assert f"มาตรการ {ended - 1} รายการเลยกำหนดเสร็จ 31 มีนาคม 2569 แล้ว" in mine.text  # not staff's own
    assert mine.key == f"late:{organisation.pk}:2026-03-31"
    before = Notification.objects.count()
    reminders.late(DAY(2026, 4, 6))
    assert Notification.objects.count() == before


def test_nacc_windows_opening_and_closing_reach_who_they_concern(world):
    reminders.windows(DAY(2026, 1, 1))
    opened = Notification.objects.filter(kind=Kind.WINDOW_OPENS)
    oit = opened.filter(key__contains=":oit:")
    assert set(oit.values_list("user__username", flat=True)) >= {"staff", "admin"}
    iit = opened.filter(key__contains=":iit:", organisation=world["plan"].assessment.organisation)
    assert set(iit.values_list("user__username", flat=True)) == {world["wg"].username, "staff", "admin"}
    reminders.windows(DAY(2026, 1, 2))
    assert Notification.objects.filter(kind=Kind.WINDOW_OPENS).count() == opened.count()
    reminders.windows(DAY(2026, 6, 25))
    assert Notification.objects.filter(kind=Kind.WINDOW_CLOSES, key__contains=":oit:").exists()
    reminders.windows(DAY(2026, 5, 1))  # in the middle of the windows: nothing new
    assert (
        Notification.objects.count()
        == opened.count() + Notification.objects.filter(kind=Kind.WINDOW_CLOSES).count()
    )


def test_a_link_check_names_the_broken_and_outdated_items_to_the_register_editors(org):
    staff = member(org, Role.STAFF, username="staff")
    member(org, Role.ADMINISTRATOR, username="admin")
    member(OrganisationFactory(name="อื่น"), Role.STAFF, username="elsewhere")
    LinkCheckFactory(item=RegisterItemFactory(organisation=org, code="O1"), verdict="fail", code="not_found")
    LinkCheckFactory(item=RegisterItemFactory(organisation=org, code="O2"), verdict="warn", code="outdated")
    LinkCheckFactory(item=RegisterItemFactory(organisation=org, code="O3"))
    reminders.broken_links(org.pk, 2569, job_id=7)
    notes = told(Kind.LINKS_BROKEN)
    assert set(notes) == {"staff", "admin"}
    assert "2 ข้อ (O1, O2)" in notes["staff"].text and notes["staff"].url.endswith(
        f"/organisations/{org.pk}/oit/2569/"
    )
    reminders.broken_links(org.pk, 2569, job_id=7)
    assert Notification.objects.count() == 2
    assert staff.notifications.count() == 1


def test_organisations_read_a_slice_at_a_time_give_the_same_notices(world, monkeypatch):
    reminders.late(DAY(2026, 4, 5))
    reminders.progress(DAY(2026, 3, 20), Kind.PROGRESS_DUE)
    whole = sorted(Notification.objects.values_list("user_id", "key", "text"))
    assert len({key for _, key, _ in whole}) >= 3  # two organisations' notices at least
    Notification.objects.all().delete()
    monkeypatch.setattr(reminders, "ORGANISATIONS_AT_ONCE", 1)
    reminders.late(DAY(2026, 4, 5))
    reminders.progress(DAY(2026, 3, 20), Kind.PROGRESS_DUE)
    assert sorted(Notification.objects.values_list("user_id", "key", "text")) == whole
