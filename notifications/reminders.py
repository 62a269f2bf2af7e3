"""What the calendar makes due: the morning's reminders (``remind``, on the portal's schedule), and
the notice after a link check. Each reads what it needs for every organisation in a few queries,
so the national run is a handful of queries and bulk writes, not one per agency.

- **Progress**: a measure of an approved or published plan of this fiscal year that runs in this
  quarter and has no report since the quarter began is due in the last ``DUE_DAYS`` days of the
  quarter; one that ran in the last quarter without a report from it is overdue. One notice per
  organisation and quarter to each measure's owner (a member whose name or e-mail is the
  measure's "ผู้รับผิดชอบ"), else to those who may record progress.
- **Late**: a measure past its planned end and neither done nor cancelled, once per measure.
- **NACC's windows** of the calendar (estimates are not announced): on the days a window opens,
  and in its last ``CLOSING_DAYS`` days; the OIT window to the register's editors, the others to
  every member.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from assessments.calendar import OIT
from assessments.models import Membership, Organisation
from assessments.selectors.calendar import calendar_of
from ita_portal.permissions import Action
from ita_portal.thai import fiscal_year_of, quarter_bounds, quarter_of, thai_date
from measures.choices import MeasureStatus, PlanStatus
from measures.models import Measure
from oit.choices import LinkVerdict

from .models import Kind
from .services import notification, notify, who_may

DUE_DAYS = 14
CLOSING_DAYS = 7
OPENING_DAYS = 3  # a worker down on the opening day still announces it in the next days
ACTIVE_PLANS = (PlanStatus.APPROVED, PlanStatus.PUBLISHED)
FINISHED = (MeasureStatus.DONE, MeasureStatus.CANCELLED)


def _titles(titles: list[str]) -> str:
    shown = ", ".join(title[:80] for title in titles[:3])
    return shown + (f" และอีก {len(titles) - 3} รายการ" if len(titles) > 3 else "")


def _owners(organisation_ids) -> dict[tuple[int, str], int]:
    """{(organisation id, a member's full name or e-mail, lower case): user id}."""
    found = {}
    rows = Membership.objects.filter(
        organisation_id__in=list(organisation_ids), user__is_active=True
    ).values_list("organisation_id", "user_id", "user__first_name", "user__last_name", "user__email")
    for organisation_id, user_id, first, last, email in rows.iterator(chunk_size=2000):
        for name in (f"{first} {last}".strip(), email):
            if name:
                found[(organisation_id, name.strip().lower())] = user_id
    return found


def _measures_to_report(year: int, quarter: int):
    start, _ = quarter_bounds(year, quarter)
    return (
        Measure.objects.filter(
            plan__plan_year=year,
            plan__status__in=ACTIVE_PLANS,
            period_start__lte=quarter,
            period_end__gte=quarter,
        )
        .exclude(status__in=FINISHED)
        .exclude(last_update_on__gte=start)
        .values_list("plan__assessment__organisation_id", "plan_id", "title", "owner_person")
    )


def progress(today: datetime.date, kind: str) -> None:
    """Reports due in this quarter (``Kind.PROGRESS_DUE``) or missing from the last one."""
    year, quarter = fiscal_year_of(today), quarter_of(today)
    if kind == Kind.PROGRESS_OVERDUE:
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    end = quarter_bounds(year, quarter)[1]
    if kind == Kind.PROGRESS_DUE and (end - today).days > DUE_DAYS:
        return
    by_organisation = defaultdict(list)
    for organisation_id, plan_id, title, owner in _measures_to_report(year, quarter).iterator(
        chunk_size=2000
    ):
        by_organisation[organisation_id].append((plan_id, title, owner))
    if not by_organisation:
        return
    editors, owners = who_may(by_organisation, Action.PROGRESS_EDIT), _owners(by_organisation)
    names = dict(Organisation.objects.filter(pk__in=list(by_organisation)).values_list("pk", "name"))
    rows = []
    for organisation_id, measures in by_organisation.items():
        titles_for: dict[int, list[str]] = defaultdict(list)
        for _plan, title, owner in measures:
            owner_id = owners.get((organisation_id, owner.strip().lower())) if owner else None
            for user in {owner_id} if owner_id else editors.get(organisation_id, ()):
                titles_for[user].append(title)
        verb = (
            f"ต้องรายงานภายใน {thai_date(end)}"
            if kind == Kind.PROGRESS_DUE
            else f"เลยกำหนด {thai_date(end)} แล้ว"
        )
        url = reverse("measures:plan-progress", args=[measures[0][0]])
        for user, titles in titles_for.items():
            text = (
                f"{names[organisation_id]}: ความก้าวหน้าไตรมาส {quarter}/{year} ของมาตรการ {len(titles)} รายการ"
                f" {verb} ({_titles(titles)})"
            )
            key = f"{kind}:{organisation_id}:{year}Q{quarter}"
            rows.append(
                notification(user, kind=kind, key=key, text=text, url=url, organisation_id=organisation_id)
            )
    notify(rows)


def late(today: datetime.date) -> None:
    """Every measure past its planned end, neither done nor cancelled, once per planned end."""
    rows = list(
        Measure.objects.filter(plan__status__in=ACTIVE_PLANS, planned_end_on__lt=today)
        .exclude(status__in=FINISHED)
        .values_list("pk", "plan__assessment__organisation_id", "title", "planned_end_on", "owner_person")
    )
    if not rows:
        return
    organisations = {row[1] for row in rows}
    editors, owners = who_may(organisations, Action.PROGRESS_EDIT), _owners(organisations)
    names = dict(Organisation.objects.filter(pk__in=organisations).values_list("pk", "name"))
    made = []
    for pk, organisation_id, title, planned_end, owner in rows:
        owner_id = owners.get((organisation_id, owner.strip().lower())) if owner else None
        text = (
            f"{names[organisation_id]}: มาตรการ “{title[:200]}” เลยกำหนดเสร็จ {thai_date(planned_end)} แล้ว"
            " กรุณารายงานความก้าวหน้า"
        )
        url = reverse("measures:measure-progress", args=[pk])
        key = f"late:{pk}:{planned_end.isoformat()}"
        for user in {owner_id} if owner_id else editors.get(organisation_id, ()):
            made.append(
                notification(
                    user, kind=Kind.MEASURE_LATE, key=key, text=text, url=url, organisation_id=organisation_id
                )
            )
    notify(made)


def windows(today: datetime.date) -> None:
    """NACC's windows opening (their first ``OPENING_DAYS`` days) or closing (their last
    ``CLOSING_DAYS``), of this fiscal year's calendar and the next's; never an estimate."""
    events = []
    for year in (fiscal_year_of(today), fiscal_year_of(today) + 1):
        for window in calendar_of(year):
            if window.estimated_from is not None:
                continue
            note = " (กำหนดการยังไม่ยืนยัน)" if window.unconfirmed else ""
            if window.starts <= today < window.starts + datetime.timedelta(days=OPENING_DAYS):
                text = f"{window.name} ปี {year} เริ่มแล้ว: {window.days}{note}"
                events.append(
                    (Kind.WINDOW_OPENS, f"window-opens:{year}:{window.kind}:{window.starts}", text, window)
                )
            if window.ends - datetime.timedelta(days=CLOSING_DAYS) <= today <= window.ends:
                text = f"{window.name} ปี {year} จะปิด {thai_date(window.ends)}: {window.days}{note}"
                events.append(
                    (Kind.WINDOW_CLOSES, f"window-closes:{year}:{window.kind}:{window.ends}", text, window)
                )
    if not events:
        return
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    everyone, editors = who_may(organisations, None), who_may(organisations, Action.REGISTER_EDIT)
    made = []
    for kind, key, text, window in events:
        people, page = (editors, "oit:register-current") if window.kind == OIT else (everyone, "home")
        for organisation_id, users in people.items():
            url = reverse(page, args=[organisation_id]) if page != "home" else reverse(page)
            made.extend(notification(user, kind, key, text, url, organisation_id) for user in users)
    notify(made)


def broken_links(organisation_id: int, year: int, job_id: int) -> None:
    """After a register's check: the items whose links do not work or are not of the year, to
    those who may edit the register (nothing when every link is fine)."""
    from oit.models import LinkCheck

    codes = sorted(
        set(
            LinkCheck.objects.filter(
                latest=True, item__organisation_id=organisation_id, item__fiscal_year__year=year
            )
            .filter(Q(verdict=LinkVerdict.FAIL) | Q(code="outdated"))
            .values_list("item__question__code", flat=True)
        ),
        key=lambda code: (len(code), code),
    )
    if not codes:
        return
    name = Organisation.objects.values_list("name", flat=True).get(pk=organisation_id)
    shown = ", ".join(codes[:10]) + (f" และอีก {len(codes) - 10} ข้อ" if len(codes) > 10 else "")
    text = f"{name}: ตรวจลิงก์ OIT ปี {year} แล้ว พบข้อที่ลิงก์ใช้ไม่ได้หรือไม่เป็นปัจจุบัน {len(codes)} ข้อ ({shown})"
    url = reverse("oit:register", kwargs={"pk": organisation_id, "year": year})
    notify(
        notification(
            user,
            kind=Kind.LINKS_BROKEN,
            key=f"links:{job_id}",
            text=text,
            url=url,
            organisation_id=organisation_id,
        )
        for user in who_may([organisation_id], Action.REGISTER_EDIT).get(organisation_id, ())
    )


def remind(today: datetime.date) -> None:
    """The morning's reminders (ita_portal.schedule)."""
    progress(today, Kind.PROGRESS_DUE)
    progress(today, Kind.PROGRESS_OVERDUE)
    late(today)
    windows(today)
