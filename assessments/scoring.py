"""ITA scoring, exactly as NACC computes it (DOMAIN.md sections 3 and 4).

Pure Python on ``Decimal``: this module imports nothing from Django, so it can
be used and tested without a database. The year's rules come in as a
``Framework`` built from the database by ``assessments.selectors``.

- tool score = plain mean of its indicator scores;
- overall = sum of weight × tool score, with no intermediate rounding;
- both rounded half-up to two decimals once, at the end;
- the level is the first of the year's levels (best first) whose minimum overall
  the rounded overall reaches and, where the level has one, whose minimum every
  *floor score* reaches. The floor scores are the rounded tool scores, except in a
  year whose EIT is published in two parts (2567 onwards): there NACC applies the
  floor to IIT, EIT part 1, EIT part 2 and OIT (reference documents 002 and 000,
  "คะแนนรายเครื่องมือประกอบด้วย IIT, EIT ส่วนที่ ๑, EIT ส่วนที่ ๒ และ OIT"). Without
  the two part scores such a year's level can only be computed from the three
  tools, and the result says that it is provisional wherever the parts could still
  lower it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ita_portal.numbers import TWO_PLACES, round_half_up
from ita_portal.thai import to_arabic_digits

MIN_SCORE = Decimal("0")
MAX_SCORE = Decimal("100")
# Published indicator scores are rounded to two decimals, so an overall
# recomputed from them may differ from the published overall by about 0.01.
TOLERANCE = Decimal("0.01")

# The tool that NACC publishes in two parts from 2567 on (DOMAIN.md section 2).
PARTED_TOOL = "EIT"
PARTS = (1, 2)
PROVISIONAL_NOTE = "ระดับเบื้องต้น: ยังไม่ได้กรอกคะแนน EIT รายส่วน"

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class ScoreError(ValueError):
    """A score that cannot be used; ``message`` is Thai and fit to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_score(value: object) -> Decimal:
    """Read a 0–100 score with at most two decimals; Thai digits are accepted.

    Raises ``ScoreError`` with a Thai message for anything else.
    """
    if isinstance(value, Decimal) or isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = to_arabic_digits(value).strip().replace(" ", "")
    else:
        raise ScoreError("คะแนนต้องเป็นตัวเลข")
    if not text:
        raise ScoreError("กรุณากรอกคะแนน")
    if not _NUMBER.match(text):
        raise ScoreError("คะแนนต้องเป็นตัวเลข เช่น 94.74 หรือ ๙๔.๗๔")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above already guards this
        raise ScoreError("คะแนนต้องเป็นตัวเลข เช่น 94.74 หรือ ๙๔.๗๔") from None
    if number < MIN_SCORE or number > MAX_SCORE:
        raise ScoreError("คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
    if number.as_tuple().exponent < -2 and number != number.quantize(TWO_PLACES):
        raise ScoreError("คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง")
    return number.quantize(TWO_PLACES)


# --- The year's rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class ToolRule:
    code: str
    name: str
    weight: Decimal
    indicators: tuple[int, ...]


@dataclass(frozen=True)
class LevelRule:
    code: str
    label: str
    min_overall: Decimal
    min_tool: Decimal | None = None
    is_pass: bool = False

    def matches(self, overall: Decimal, floor_scores: Iterable[Decimal]) -> bool:
        if overall < self.min_overall:
            return False
        return self.min_tool is None or all(score >= self.min_tool for score in floor_scores)


def part_label(part: int) -> str:
    """How the documents name one part of the EIT: "EIT ส่วนที่ 1"."""
    return f"{PARTED_TOOL} ส่วนที่ {part}"


@dataclass(frozen=True)
class Framework:
    """One fiscal year's scoring rules."""

    year: int
    tools: tuple[ToolRule, ...]
    levels: tuple[LevelRule, ...]  # best first
    target_overall: Decimal = Decimal("85")
    target_tool: Decimal | None = None
    # NACC publishes the EIT in two parts and the level floors apply to each part.
    eit_parts: bool = False

    def __post_init__(self) -> None:
        total = sum((tool.weight for tool in self.tools), Decimal("0"))
        if total != Decimal("1"):
            raise ValueError(f"ปี {self.year}: น้ำหนักของเครื่องมือรวมกันได้ {total} ไม่ใช่ 1")
        numbers = [n for tool in self.tools for n in tool.indicators]
        if len(numbers) != len(set(numbers)):
            raise ValueError(f"ปี {self.year}: ตัวชี้วัดหนึ่งอยู่ในเครื่องมือมากกว่าหนึ่งเครื่องมือ")
        if any(not tool.indicators for tool in self.tools):
            raise ValueError(f"ปี {self.year}: มีเครื่องมือที่ไม่มีตัวชี้วัด")
        if self.eit_parts and PARTED_TOOL not in {tool.code for tool in self.tools}:
            raise ValueError(f"ปี {self.year}: กำหนดให้ EIT แยกสองส่วน แต่ไม่มีเครื่องมือ EIT")

    @property
    def indicator_numbers(self) -> tuple[int, ...]:
        return tuple(sorted(n for tool in self.tools for n in tool.indicators))

    def level(self, code_or_label: str) -> LevelRule | None:
        """The level a published text names, by code or label, ignoring case and spaces."""
        wanted = _normalise_label(code_or_label)
        for level in self.levels:
            if wanted in (_normalise_label(level.code), _normalise_label(level.label)):
                return level
        return None


def _normalise_label(text: str) -> str:
    return "".join(text.split()).casefold()


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetCheck:
    label: str
    value: Decimal
    target: Decimal
    met: bool


@dataclass(frozen=True)
class Result:
    """A computed result. Scores are rounded half-up to two decimals once, from exact values."""

    tool_scores: dict[str, Decimal]
    overall: Decimal
    level: LevelRule | None
    targets: tuple[TargetCheck, ...]
    exact_tool_scores: dict[str, Decimal] = field(repr=False)
    exact_overall: Decimal = field(repr=False)
    # The scores the level floors were applied to, by name ("IIT", "EIT ส่วนที่ 1", …).
    floor_scores: dict[str, Decimal] = field(default_factory=dict)
    # NACC's published EIT part 1 and part 2 scores, where the year has parts and both are known.
    eit_parts: tuple[Decimal, Decimal] | None = None
    # The year's EIT has parts, they were not given, and they could lower the level computed
    # from the three tools (an OIT below 85 already makes it ผ่าน, whatever the parts).
    level_provisional: bool = False

    @property
    def passed(self) -> bool:
        return bool(self.level and self.level.is_pass)

    @property
    def targets_met(self) -> bool:
        return all(check.met for check in self.targets)

    @property
    def provisional_note(self) -> str:
        """What every page and document prints beside a provisional level; "" for a final one."""
        return PROVISIONAL_NOTE if self.level_provisional else ""

    @property
    def level_text(self) -> str:
        """The level's label, with the provisional note where it applies (for exports and lists)."""
        label = self.level.label if self.level else ""
        return f"{label} ({PROVISIONAL_NOTE})" if self.level_provisional else label

    @property
    def part_scores(self) -> list[tuple[str, Decimal]]:
        """The EIT part scores with their names, where the year has parts and both are known."""
        if self.eit_parts is None:
            return []
        return [(part_label(part), value) for part, value in zip(PARTS, self.eit_parts, strict=True)]


def tool_scores(framework: Framework, indicator_scores: Mapping[int, Decimal]) -> dict[str, Decimal]:
    """Exact (unrounded) tool scores: the plain mean of each tool's indicators."""
    missing = [n for n in framework.indicator_numbers if indicator_scores.get(n) is None]
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise ScoreError(f"ยังไม่มีคะแนนตัวชี้วัดที่ {listed}")
    return {
        tool.code: sum((Decimal(indicator_scores[n]) for n in tool.indicators), Decimal("0"))
        / len(tool.indicators)
        for tool in framework.tools
    }


def overall_score(framework: Framework, exact_tool_scores: Mapping[str, Decimal]) -> Decimal:
    """Exact (unrounded) overall: the weighted sum of the exact tool scores."""
    return sum((tool.weight * exact_tool_scores[tool.code] for tool in framework.tools), Decimal("0"))


def floor_scores(
    framework: Framework,
    rounded_tool_scores: Mapping[str, Decimal],
    eit_parts: tuple[Decimal, Decimal] | None = None,
) -> dict[str, Decimal]:
    """The scores the level floors and the per-tool targets apply to, by name, in the tools' order.

    In a year whose EIT has parts and with both part scores given, the two parts stand in
    for the combined EIT; otherwise every tool's rounded score.
    """
    with_parts = framework.eit_parts and eit_parts is not None
    scores: dict[str, Decimal] = {}
    for tool in framework.tools:
        if with_parts and tool.code == PARTED_TOOL:
            for part, value in zip(PARTS, eit_parts, strict=True):
                scores[part_label(part)] = round_half_up(Decimal(value))
        else:
            scores[tool.code] = rounded_tool_scores[tool.code]
    return scores


def rate(framework: Framework, overall: Decimal, floors: Mapping[str, Decimal]) -> LevelRule | None:
    """The first level (best first) that the rounded overall and the floor scores reach."""
    for level in framework.levels:
        if level.matches(overall, floors.values()):
            return level
    return None


def target_checks(
    framework: Framework, overall: Decimal, floors: Mapping[str, Decimal]
) -> tuple[TargetCheck, ...]:
    """The year's targets: the overall target and, where the year sets one, every floor score's
    (IIT, EIT ส่วนที่ 1, EIT ส่วนที่ 2 and OIT where the EIT has parts, as the documents state it)."""
    checks = [
        TargetCheck(
            label="คะแนนภาพรวม",
            value=overall,
            target=framework.target_overall,
            met=overall >= framework.target_overall,
        )
    ]
    if framework.target_tool is not None:
        checks.extend(
            TargetCheck(
                label=f"คะแนน {name}",
                value=value,
                target=framework.target_tool,
                met=value >= framework.target_tool,
            )
            for name, value in floors.items()
        )
    return tuple(checks)


def evaluate(
    framework: Framework,
    indicator_scores: Mapping[int, Decimal],
    eit_parts: tuple[Decimal, Decimal] | None = None,
) -> Result:
    """Tool scores, overall, level and target checks from the ten indicator scores.

    ``eit_parts`` are NACC's published EIT part 1 and part 2 scores; they count only in a
    year whose EIT has parts. In such a year without them the level is provisional.
    """
    exact_tools = tool_scores(framework, indicator_scores)
    exact_overall = overall_score(framework, exact_tools)
    rounded_tools = {code: round_half_up(value) for code, value in exact_tools.items()}
    overall = round_half_up(exact_overall)
    parts = tuple(eit_parts) if framework.eit_parts and eit_parts is not None else None
    if parts is not None and (len(parts) != len(PARTS) or any(value is None for value in parts)):
        raise ScoreError("ต้องมีคะแนน EIT ทั้งส่วนที่ 1 และส่วนที่ 2")
    floors = floor_scores(framework, rounded_tools, parts)
    level = rate(framework, overall, floors)
    return Result(
        tool_scores=rounded_tools,
        overall=overall,
        level=level,
        targets=target_checks(framework, overall, floors),
        exact_tool_scores=exact_tools,
        exact_overall=exact_overall,
        floor_scores=floors,
        eit_parts=parts,
        level_provisional=(
            framework.eit_parts
            and parts is None
            and _level_if_a_part_fails(framework, overall, floors) != level
        ),
    )


def _level_if_a_part_fails(framework: Framework, overall: Decimal, floors: Mapping[str, Decimal]):
    """The level when one EIT part turns out below every floor: the worst the parts can make it."""
    return rate(framework, overall, {**floors, "?": MIN_SCORE})


def possible_levels(framework: Framework, result: Result) -> tuple[LevelRule, ...]:
    """The levels a result may still turn out to have once the EIT part scores are known.

    Without the parts, the best is the level from the three tools: a part can be lower than
    the combined EIT but not both higher (how NACC combines the parts is not published; a
    mean of the two lies between them). The worst is the level the overall reaches when a
    floor fails. A level the parts cannot change is not provisional: then only that level.
    """
    if not result.level_provisional:
        return (result.level,) if result.level else ()
    worst = _level_if_a_part_fails(framework, result.overall, result.floor_scores)
    order = list(framework.levels)
    start = order.index(result.level) if result.level else len(order)
    end = order.index(worst) if worst else len(order) - 1
    return tuple(order[start : end + 1])
