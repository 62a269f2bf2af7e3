"""NACC's calendar of an assessment year: when the surveys run, when the OIT items must be online
and are checked, when the results come out — and where a day stands in it. Pure Python.

A year's windows are framework data (``AssessmentWindow``, loaded by ``load_framework``). A year
whose calendar is not known yet gets the latest known year's windows on the same days, marked as
an estimate (the windows have kept their months from one year to the next).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from ita_portal.thai import thai_date

OIT = "oit"  # AssessmentWindow.kind of the OIT items' publication and check


@dataclass(frozen=True)
class Window:
    kind: str
    name: str
    starts: datetime.date
    ends: datetime.date
    unconfirmed: bool = False
    estimated_from: int | None = None  # the BE year whose days an estimate repeats

    @property
    def days(self) -> str:
        """ "1 ม.ค. 2570 – 30 มิ.ย. 2570", or one day."""
        if self.starts == self.ends:
            return thai_date(self.starts, short=True)
        return f"{thai_date(self.starts, short=True)} – {thai_date(self.ends, short=True)}"


def _moved(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def estimated(windows: list[Window], from_year: int, to_year: int) -> list[Window]:
    """``from_year``'s windows moved to ``to_year``, marked as an estimate."""
    years = to_year - from_year
    return [
        replace(
            w,
            starts=_moved(w.starts, years),
            ends=_moved(w.ends, years),
            unconfirmed=True,
            estimated_from=from_year,
        )
        for w in windows
    ]


def standing(window: Window, today: datetime.date) -> str:
    """Where ``today`` stands in the window, in Thai: "เริ่มอีก 26 วัน", "เหลืออีก 24 วัน", …"""
    if today < window.starts:
        days = (window.starts - today).days
        return f"เริ่มอีก {days:,} วัน ({thai_date(window.starts, short=True)})"
    if today <= window.ends:
        days = (window.ends - today).days
        if days == 0:
            return "วันสุดท้าย"
        return f"เหลืออีก {days:,} วัน (ถึง {thai_date(window.ends, short=True)})"
    return f"สิ้นสุดแล้ว ({thai_date(window.ends, short=True)})"


def next_windows(windows: list[Window], today: datetime.date) -> list[Window]:
    """The windows running today, else the next ones to start (all those starting that day);
    [] when the year's are over."""
    running = [w for w in windows if w.starts <= today <= w.ends]
    if running:
        return running
    coming = [w for w in windows if w.starts > today]
    first = min((w.starts for w in coming), default=None)
    return [w for w in coming if w.starts == first]


def oit_check_date(windows: list[Window]) -> datetime.date | None:
    """The last day the OIT items are checked: an item published after it is not counted."""
    return next((w.ends for w in windows if w.kind == OIT), None)
