"""Writes of NACC's calendar (``AssessmentWindow``): loaded with a year's framework."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from ..models import AssessmentWindow, FiscalYear, WindowKind


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def calendar_problems(data: Mapping[str, Any]) -> list[str]:
    """What is wrong with the data file's ``calendar`` (Thai), before anything is written."""
    problems = []
    kinds = [item.get("kind") for item in data.get("calendar", [])]
    if len(kinds) != len(set(kinds)):
        problems.append("ปฏิทินมีช่วงเดียวกันซ้ำ")
    for item in data.get("calendar", []):
        name = f"ปฏิทิน {item.get('kind')}"
        if item.get("kind") not in WindowKind.values:
            problems.append(f"{name}: ไม่รู้จักช่วงนี้ (ใช้ได้ {', '.join(WindowKind.values)})")
        starts, ends = _day(item.get("starts")), _day(item.get("ends"))
        if starts is None or ends is None:
            problems.append(f"{name}: วันเริ่มและวันสิ้นสุดต้องเป็นวันที่แบบ ค.ศ. YYYY-MM-DD")
        elif ends < starts:
            problems.append(f"{name}: วันสิ้นสุดก่อนวันเริ่ม")
    return problems


def calendar_load(fiscal_year: FiscalYear, items, entry_fields) -> None:
    """The year's windows as the file gives them; a window the file no longer has is removed."""
    kept = []
    for item in items:
        window, _ = AssessmentWindow.objects.update_or_create(
            fiscal_year=fiscal_year,
            kind=item["kind"],
            defaults={"starts": _day(item["starts"]), "ends": _day(item["ends"]), **entry_fields(item)},
        )
        kept.append(window.pk)
    AssessmentWindow.objects.filter(fiscal_year=fiscal_year).exclude(pk__in=kept).delete()
