"""ITA scoring, exactly as NACC computes it (DOMAIN.md sections 3 and 4).

Pure Python on ``Decimal``: this module imports nothing from Django, so it can
be used and tested without a database. The year's rules come in as a
``Framework`` built from the database by ``assessments.selectors``.

- tool score = plain mean of its indicator scores;
- overall = sum of weight × tool score, with no intermediate rounding;
- both rounded half-up to two decimals once, at the end;
- the level is the first of the year's levels (best first) whose minimum overall
  the rounded overall reaches and, where the level has one, whose minimum every
  rounded tool score reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ita_portal.thai import to_arabic_digits

TWO_PLACES = Decimal("0.01")
MIN_SCORE = Decimal("0")
MAX_SCORE = Decimal("100")
# Published indicator scores are rounded to two decimals, so an overall
# recomputed from them may differ from the published overall by about 0.01.
TOLERANCE = Decimal("0.01")

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


def round_half_up(value: Decimal) -> Decimal:
    """Round to two decimals, half away from zero (94.735 → 94.74)."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def format_score(value: Decimal | None) -> str:
    """Two decimals as text ("85.00"); an empty string for no value."""
    return "" if value is None else f"{round_half_up(value):.2f}"


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

    def matches(self, overall: Decimal, tool_scores: Iterable[Decimal]) -> bool:
        if overall < self.min_overall:
            return False
        return self.min_tool is None or all(score >= self.min_tool for score in tool_scores)


@dataclass(frozen=True)
class Framework:
    """One fiscal year's scoring rules."""

    year: int
    tools: tuple[ToolRule, ...]
    levels: tuple[LevelRule, ...]  # best first
    target_overall: Decimal = Decimal("85")
    target_tool: Decimal | None = None

    def __post_init__(self) -> None:
        total = sum((tool.weight for tool in self.tools), Decimal("0"))
        if total != Decimal("1"):
            raise ValueError(f"ปี {self.year}: น้ำหนักของเครื่องมือรวมกันได้ {total} ไม่ใช่ 1")
        numbers = [n for tool in self.tools for n in tool.indicators]
        if len(numbers) != len(set(numbers)):
            raise ValueError(f"ปี {self.year}: ตัวชี้วัดหนึ่งอยู่ในเครื่องมือมากกว่าหนึ่งเครื่องมือ")
        if any(not tool.indicators for tool in self.tools):
            raise ValueError(f"ปี {self.year}: มีเครื่องมือที่ไม่มีตัวชี้วัด")

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

    @property
    def passed(self) -> bool:
        return bool(self.level and self.level.is_pass)

    @property
    def targets_met(self) -> bool:
        return all(check.met for check in self.targets)


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


def rate(
    framework: Framework, overall: Decimal, rounded_tool_scores: Mapping[str, Decimal]
) -> LevelRule | None:
    """The first level (best first) that the rounded overall and tool scores reach."""
    for level in framework.levels:
        if level.matches(overall, rounded_tool_scores.values()):
            return level
    return None


def target_checks(
    framework: Framework, overall: Decimal, rounded_tool_scores: Mapping[str, Decimal]
) -> tuple[TargetCheck, ...]:
    """The year's targets: the overall target and, where the year sets one, every tool's."""
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
                label=f"คะแนน {tool.code}",
                value=rounded_tool_scores[tool.code],
                target=framework.target_tool,
                met=rounded_tool_scores[tool.code] >= framework.target_tool,
            )
            for tool in framework.tools
        )
    return tuple(checks)


def evaluate(framework: Framework, indicator_scores: Mapping[int, Decimal]) -> Result:
    """Tool scores, overall, level and target checks from the ten indicator scores."""
    exact_tools = tool_scores(framework, indicator_scores)
    exact_overall = overall_score(framework, exact_tools)
    rounded_tools = {code: round_half_up(value) for code, value in exact_tools.items()}
    overall = round_half_up(exact_overall)
    return Result(
        tool_scores=rounded_tools,
        overall=overall,
        level=rate(framework, overall, rounded_tools),
        targets=target_checks(framework, overall, rounded_tools),
        exact_tool_scores=exact_tools,
        exact_overall=exact_overall,
    )


# --- Consistency with the published numbers ---------------------------------------------------


@dataclass(frozen=True)
class Published:
    """What NACC printed, any part of which may be missing."""

    overall: Decimal | None = None
    level: str = ""
    tool_scores: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One disagreement between the published numbers and the recomputed ones."""

    field: str  # "overall", "level" or a tool code
    message: str


def check_consistency(
    framework: Framework, result: Result, published: Published, tolerance: Decimal = TOLERANCE
) -> list[Finding]:
    """Every published number that differs from the recomputed one by more than ``tolerance``,
    and a published level other than the one the year's rules give, each with a Thai message."""
    findings: list[Finding] = []
    for tool in framework.tools:
        printed = published.tool_scores.get(tool.code)
        computed = result.tool_scores[tool.code]
        if printed is not None and abs(Decimal(printed) - computed) > tolerance:
            findings.append(
                Finding(
                    field=tool.code,
                    message=(
                        f"คะแนน {tool.code} ที่ประกาศ ({format_score(printed)}) ไม่ตรงกับค่าที่คำนวณ"
                        f"จากคะแนนตัวชี้วัด ({format_score(computed)}) ต่างกัน "
                        f"{format_score(abs(Decimal(printed) - computed))} คะแนน"
                    ),
                )
            )
    if published.overall is not None and abs(Decimal(published.overall) - result.overall) > tolerance:
        findings.append(
            Finding(
                field="overall",
                message=(
                    f"คะแนนภาพรวมที่ประกาศ ({format_score(published.overall)}) ไม่ตรงกับค่าที่คำนวณ"
                    f"จากคะแนนตัวชี้วัด ({format_score(result.overall)}) ต่างกัน "
                    f"{format_score(abs(Decimal(published.overall) - result.overall))} คะแนน"
                ),
            )
        )
    if published.level.strip():
        printed_level = framework.level(published.level)
        computed_label = result.level.label if result.level else "ไม่มีระดับที่ตรงเกณฑ์"
        if printed_level is None:
            findings.append(
                Finding(
                    field="level",
                    message=(
                        f"ระดับที่ประกาศ ({published.level.strip()}) ไม่มีในเกณฑ์ของปี {framework.year} "
                        f"ตามเกณฑ์ควรเป็นระดับ {computed_label}"
                    ),
                )
            )
        elif printed_level != result.level:
            findings.append(
                Finding(
                    field="level",
                    message=(
                        f"ระดับที่ประกาศ ({printed_level.label}) ไม่ตรงกับระดับตามเกณฑ์ของปี "
                        f"{framework.year} ที่คำนวณได้ ({computed_label})"
                    ),
                )
            )
    return findings
