"""Consistency with the published numbers: what NACC printed against what the scores give.

Pure Python on ``Decimal`` like ``scoring``: this module imports nothing from Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ita_portal.numbers import format_score

from .scoring import TOLERANCE, Framework, LevelRule, Result, possible_levels


@dataclass(frozen=True)
class Published:
    """What NACC printed, any part of which may be missing."""

    overall: Decimal | None = None
    level: str = ""
    tool_scores: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def entered(self) -> bool:
        """Whether anything published was entered: the one rule for "checked against the published
        result" on every page and export (the EIT part scores are inputs, not a published number
        to check)."""
        return self.overall is not None or bool(self.level) or bool(self.tool_scores)


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
        computed_label = result.level_text or "ไม่มีระดับที่ตรงเกณฑ์"
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
        elif printed_level not in possible_levels(framework, result):
            findings.append(
                Finding(
                    field="level",
                    message=(
                        f"ระดับที่ประกาศ ({printed_level.label}) ไม่ตรงกับระดับตามเกณฑ์ของปี "
                        f"{framework.year} ที่คำนวณได้ ({computed_label})"
                        + _floors_missed(printed_level, result)
                    ),
                )
            )
    return findings


def _floors_missed(level: LevelRule, result: Result) -> str:
    """Why a published level cannot be right: the floor scores below its floor, as a Thai clause."""
    if level.min_tool is None:
        return ""
    below = [
        f"{name} ได้ {format_score(value)}"
        for name, value in result.floor_scores.items()
        if value < level.min_tool
    ]
    if not below:
        return ""
    return f" เพราะ {' และ '.join(below)} ต่ำกว่า {format_score(level.min_tool)} ที่ระดับ{level.label}กำหนด"
