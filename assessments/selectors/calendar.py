"""Reads of NACC's calendar: a year's windows (an estimate for a year not known yet) and where a
day stands in them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F

from .. import calendar
from ..models import AssessmentWindow, WindowKind

KIND_ORDER = list(WindowKind.values)


def _windows(rows) -> list[calendar.Window]:
    return [
        calendar.Window(
            kind=row.kind,
            name=row.get_kind_display(),
            starts=row.starts,
            ends=row.ends,
            unconfirmed=row.unconfirmed,
        )
        for row in sorted(rows, key=lambda row: (row.starts, KIND_ORDER.index(row.kind)))
    ]


def calendar_of(year: int) -> list[calendar.Window]:
    """The windows of fiscal year ``year`` (BE): its own, else the latest earlier year's moved to
    it as an estimate, else none (one query)."""
    rows = list(
        AssessmentWindow.objects.filter(fiscal_year__year__lte=year).annotate(year=F("fiscal_year__year"))
    )
    if not rows:
        return []
    latest = max(row.year for row in rows)
    found = _windows([row for row in rows if row.year == latest])
    return found if latest == year else calendar.estimated(found, latest, year)


@dataclass(frozen=True)
class YearStanding:
    """For a page: the fiscal year, each window of it that runs now or comes next with where
    today stands in it, and the year whose days an estimate repeats."""

    year: int
    windows: list[tuple[calendar.Window, str]]
    estimated_from: int | None
    unconfirmed: bool


def year_standing(year: int, today: datetime.date, windows=None) -> YearStanding | None:
    """Where ``today`` stands in fiscal year ``year``'s calendar (``windows`` if already read);
    None when none is known."""
    windows = calendar_of(year) if windows is None else windows
    coming = calendar.next_windows(windows, today)
    if not coming:
        return None
    return YearStanding(
        year=year,
        windows=[(window, calendar.standing(window, today)) for window in coming],
        estimated_from=windows[0].estimated_from,
        unconfirmed=any(window.unconfirmed for window in coming),
    )
