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
ORGANISATIONS_AT_ONCE = 1000  # a national run reads and writes the measures of this many at a time
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
        .order_by()
    )


def _grouped(measures) -> dict[tuple, list]:
    """{(organisation id, group): [(measure id, plan id, title, owner), …]} from rows of
    (organisation id, group, measure id, plan id, title, owner), read in chunks."""
    groups: dict[tuple, list] = defaultdict(list)
    for organisation_id, group, pk, plan_id, title, owner in measures.iterator(chunk_size=2000):
        # A notice shows the first titles cut at 80 characters: no more is kept of any.
        groups[(organisation_id, group)].append((pk, plan_id, title[:80], owner))
    return groups


def _by_organisations(measures, kind: str, key, text, url):
    """``_notices`` of ``measures`` (rows as ``_grouped`` reads them), ``ORGANISATIONS_AT_ONCE``
    organisations at a time: the memory a national run holds is that of one slice."""
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), ORGANISATIONS_AT_ONCE):
        first, last = ids[start], ids[min(start + ORGANISATIONS_AT_ONCE, len(ids)) - 1]
        groups = _grouped(measures.filter(plan__assessment__organisation__pk__range=(first, last)))
        if groups:
            yield from _notices(groups, kind, key, text, url)


def _notices(groups: dict[tuple, list], kind: str, key, text, url):
    """One notice per organisation, group and person: to each measure's owner (a member named by
    it), else to everyone who may record progress, naming the measures. ``key``, ``text`` and
    ``url`` make the notice's parts from (organisation id, group), (organisation's name, group,
    titles) and the group's measures. Yields, for ``notify`` to write as it comes."""
    organisations = {organisation_id for organisation_id, _ in groups}
    editors, owners = who_may(organisations, Action.PROGRESS_EDIT), _owners(organisations)
    names = dict(Organisation.objects.filter(pk__in=organisations).values_list("pk", "name"))
    for (organisation_id, group), measures in groups.items():
        titles_for: dict[int, list[str]] = defaultdict(list)
        for _pk, _plan, title, owner in measures:
            owner_id = owners.get((organisation_id, owner.strip().lower())) if owner else None
            for user in {owner_id} if owner_id else editors.get(organisation_id, ()):
                titles_for[user].append(title)
        for user, titles in titles_for.items():
            yield notification(
                user,
                kind,
                key(organisation_id, group),
                text(names[organisation_id], group, titles),
                url(measures),
                organisation_id,
            )


def progress(today: datetime.date, kind: str) -> None:
    """Reports due in this quarter (``Kind.PROGRESS_DUE``) or missing from the last one."""
    year, quarter = fiscal_year_of(today), quarter_of(today)
    if kind == Kind.PROGRESS_OVERDUE:
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    end = quarter_bounds(year, quarter)[1]
    if kind == Kind.PROGRESS_DUE and (end - today).days > DUE_DAYS:
        return
    rows = _measures_to_report(year, quarter).values_list(
        "plan__assessment__organisation_id", "plan__plan_year", "pk", "plan_id", "title", "owner_person"
    )
    verb = (
        f"ต้องรายงานภายใน {thai_date(end)}" if kind == Kind.PROGRESS_DUE else f"เลยกำหนด {thai_date(end)} แล้ว"
    )
    notify(
        _by_organisations(
            rows,
            kind,
            key=lambda organisation_id, _year: f"{kind}:{organisation_id}:{year}Q{quarter}",
            text=lambda name, _year, titles: (
                f"{name}: ความก้าวหน้าไตรมาส {quarter}/{year} ของมาตรการ {len(titles)} รายการ {verb}"
                f" ({_titles(titles)})"
            ),
            url=lambda measures: reverse("measures:plan-progress", args=[measures[0][1]]),
        )
    )


def late(today: datetime.date) -> None:
    """Measures past their planned end, neither done nor cancelled: one notice per organisation and
    planned end (the measures of a quarter fall late together), naming them."""
    rows = (
        Measure.objects.filter(plan__status__in=ACTIVE_PLANS, planned_end_on__lt=today)
        .exclude(status__in=FINISHED)
        .order_by()
        .values_list(
            "plan__assessment__organisation_id", "planned_end_on", "pk", "plan_id", "title", "owner_person"
        )
    )
    notify(
        _by_organisations(
            rows,
            Kind.MEASURE_LATE,
            key=lambda organisation_id, end: f"late:{organisation_id}:{end.isoformat()}",
            text=lambda name, end, titles: (
                f"{name}: มาตรการ {len(titles)} รายการเลยกำหนดเสร็จ {thai_date(end)} แล้ว"
                f" กรุณารายงานความก้าวหน้า ({_titles(titles)})"
            ),
            url=lambda measures: (
                reverse("measures:measure-progress", args=[measures[0][0]])
                if len(measures) == 1
                else reverse("measures:plan-progress", args=[measures[0][1]])
            ),
        )
    )


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

    def notices():
        for kind, key, text, window in events:
            people = editors if window.kind == OIT else everyone
            for organisation_id, users in people.items():
                if window.kind == OIT:
                    url = reverse("oit:register-current", args=[organisation_id])
                else:
                    url = reverse("home")
                yield from (notification(user, kind, key, text, url, organisation_id) for user in users)

    notify(notices())


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
