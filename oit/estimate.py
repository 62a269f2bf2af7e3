"""How the OIT indicators would score if the assessors found an agency's register as it is now.

Pure Python on ``Decimal`` like ``scoring`` (no Django; a test checks). Each OIT item scores 100
or 0: 100 when the agency has a link for it (or the portal publishes the document) that is not
broken and not outdated. A sub-indicator is the mean of its items, an indicator the mean of its
sub-indicators (of its items where it has none), the OIT tool the mean of its indicators — as
the framework defines them (DOMAIN.md §3); rounded half up once, at the end.

The means are weighted where the framework gives every item of a sub-indicator (every
sub-indicator of an indicator) a weight, plain otherwise. NACC does not publish the weights
(2568's published scores fit none of the plain means), so the result is an estimate and says
which assumption it rests on.
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
    weight: Decimal | None = None  # in its sub-indicator (its indicator without one); None: equal
    sub_weight: Decimal | None = None  # its sub-indicator's in the indicator; None: equal


@dataclass(frozen=True)
class Readiness:
    items: int
    counts: dict[str, int]
    unchecked: int
    sub_indicators: dict[str, Decimal] = field(default_factory=dict)
    indicators: dict[int, Decimal] = field(default_factory=dict)
    tool: Decimal | None = None
    weighted: bool = False  # some mean used the framework's weights
    weights_confirmed: bool = False  # the framework's weights come from NACC's manual

    @property
    def assumption(self) -> str:
        """What the estimate assumes about NACC's weights (Thai)."""
        if not self.weighted:
            return "ถือว่าทุกข้อในตัวชี้วัดย่อยมีน้ำหนักเท่ากัน ซึ่งสำนักงาน ป.ป.ช. อาจให้น้ำหนักต่างกัน"
        if self.weights_confirmed:
            return "ใช้น้ำหนักของแต่ละข้อตามคู่มือการประเมินของปีนี้"
        return "ใช้น้ำหนักของแต่ละข้อที่บันทึกไว้ ซึ่งยังไม่ได้ยืนยันกับคู่มือการประเมิน"

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


def _weighted(pairs: Sequence[tuple[Decimal, Decimal | None]]) -> tuple[Decimal, bool]:
    """The mean of the values weighted by the weights when every one has a weight (and they do
    not sum to 0); the plain mean otherwise. And whether weights were used."""
    weights = [weight for _value, weight in pairs]
    if any(weight is None for weight in weights) or not sum(weights):
        return _mean([value for value, _weight in pairs]), False
    return sum((value * weight for value, weight in pairs), Decimal("0")) / sum(weights), True


def readiness(items: Sequence[ItemState], *, weights_confirmed: bool = False) -> Readiness:
    """Counts of each state and the estimated scores (see the module docstring)."""
    counts = {state: sum(1 for item in items if item.state == state) for state in STATE_LABELS}
    score = {True: Decimal("100"), False: Decimal("0")}
    by_sub: dict[str, list[tuple[Decimal, Decimal | None]]] = {}
    sub_weights: dict[str, Decimal | None] = {}
    loose: dict[int, list[tuple[Decimal, Decimal | None]]] = {}  # items of indicators without subs
    subs_of: dict[int, list[str]] = {}
    for item in items:
        value = (score[item.state == READY], item.weight)
        if item.sub_indicator:
            by_sub.setdefault(item.sub_indicator, []).append(value)
            sub_weights[item.sub_indicator] = item.sub_weight
            if item.sub_indicator not in subs_of.setdefault(item.indicator, []):
                subs_of[item.indicator].append(item.sub_indicator)
        else:
            loose.setdefault(item.indicator, []).append(value)
    weighted = False
    exact_subs = {}
    for code, pairs in by_sub.items():
        exact_subs[code], used = _weighted(pairs)
        weighted |= used
    exact_indicators = {}
    for number in sorted(set(subs_of) | set(loose)):
        pairs = [(exact_subs[code], sub_weights[code]) for code in subs_of.get(number, [])]
        pairs += loose.get(number, [])
        exact_indicators[number], used = _weighted(pairs)
        weighted |= used
    return Readiness(
        items=len(items),
        counts=counts,
        unchecked=sum(1 for item in items if item.state == READY and not item.checked),
        sub_indicators={code: round_half_up(exact_subs[code]) for code in sorted(exact_subs, key=_natural)},
        indicators={n: round_half_up(value) for n, value in sorted(exact_indicators.items())},
        tool=round_half_up(_mean(list(exact_indicators.values()))) if exact_indicators else None,
        weighted=weighted,
        weights_confirmed=weights_confirmed,
    )
