"""How the OIT indicators would score if the assessors found an agency's register as it is now.

Pure Python on ``Decimal`` like ``scoring`` (no Django; a test checks). Each OIT item scores 100
or 0: 100 when the agency has a link for it (or the portal publishes the document) that is not
broken and not outdated. A sub-indicator is the mean of its items, an indicator the mean of its
sub-indicators (of its items where it has none), the OIT tool the mean of its indicators — as
the framework defines them (DOMAIN.md §3); rounded half up once, at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ita_portal.numbers import round_half_up

READY = "ready"  # a link that opened (its year found, or not checked yet, or no year to find)
MISSING = "missing"  # no link, or marked ยังไม่มี
BROKEN = "broken"  # the last check could not open it (404, a login wall, a private address, …)
OUTDATED = "outdated"  # the last check found only an older year's document

STATE_LABELS = {
    READY: "พร้อม",
    MISSING: "ยังไม่มี",
    BROKEN: "ลิงก์ใช้ไม่ได้",
    OUTDATED: "ยังเป็นเอกสารปีเก่า",
}


@dataclass(frozen=True)
class ItemState:
    code: str
    indicator: int
    sub_indicator: str  # "" where the indicator has no sub-indicators
    state: str
    checked: bool = True  # False: has a link never checked (counted as found, and said so)


@dataclass(frozen=True)
class Readiness:
    items: int
    counts: dict[str, int]
    unchecked: int
    sub_indicators: dict[str, Decimal] = field(default_factory=dict)
    indicators: dict[int, Decimal] = field(default_factory=dict)
    tool: Decimal | None = None

    @property
    def ready(self) -> int:
        return self.counts.get(READY, 0)

    @property
    def missing(self) -> int:
        return self.counts.get(MISSING, 0)

    @property
    def broken(self) -> int:
        return self.counts.get(BROKEN, 0)

    @property
    def outdated(self) -> int:
        return self.counts.get(OUTDATED, 0)


def _natural(code: str) -> tuple:
    """9.2 before 10.1: sub-indicator codes sort by their numbers."""
    return tuple(int(part) if part.isdigit() else part for part in code.split("."))


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal("0")) / len(values)


def readiness(items: Sequence[ItemState]) -> Readiness:
    """Counts of each state and the estimated scores (see the module docstring)."""
    counts = {state: sum(1 for item in items if item.state == state) for state in STATE_LABELS}
    score = {True: Decimal("100"), False: Decimal("0")}
    by_sub: dict[str, list[Decimal]] = {}
    by_indicator: dict[int, dict[str, list[Decimal]]] = {}
    for item in items:
        value = score[item.state == READY]
        key = item.sub_indicator or f"#{item.code}"  # an item of an indicator without sub-indicators
        by_indicator.setdefault(item.indicator, {}).setdefault(key, []).append(value)
        if item.sub_indicator:
            by_sub.setdefault(item.sub_indicator, []).append(value)
    exact_indicators = {}
    for number, groups in by_indicator.items():
        subs = [_mean(values) for key, values in groups.items() if not key.startswith("#")]
        loose = [value for key, values in groups.items() if key.startswith("#") for value in values]
        exact_indicators[number] = _mean(subs + loose)
    return Readiness(
        items=len(items),
        counts=counts,
        unchecked=sum(1 for item in items if item.state == READY and not item.checked),
        sub_indicators={code: round_half_up(_mean(by_sub[code])) for code in sorted(by_sub, key=_natural)},
        indicators={n: round_half_up(value) for n, value in sorted(exact_indicators.items())},
        tool=round_half_up(_mean(list(exact_indicators.values()))) if exact_indicators else None,
    )
