"""The year's framework as scoring rules, and the analysis rule."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from .. import analysis, scoring
from ..models import (
    AnalysisRule,
    FiscalYear,
    Indicator,
    Question,
    Tool,
)


def fiscal_years_with_framework() -> Iterable[FiscalYear]:
    """Fiscal years with their tools, indicators and levels loaded (three queries in all)."""
    return FiscalYear.objects.prefetch_related(
        Prefetch("tools", queryset=Tool.objects.order_by("order").prefetch_related("indicators")),
        "levels",
    )


def framework_from(fiscal_year: FiscalYear) -> scoring.Framework:
    """The scoring rules of a fiscal year, from its (prefetched, if any) framework rows."""
    tools = tuple(
        scoring.ToolRule(
            code=tool.code,
            name=tool.name,
            weight=tool.weight,
            indicators=tuple(sorted(ind.number for ind in tool.indicators.all())),
        )
        for tool in sorted(fiscal_year.tools.all(), key=lambda t: t.order)
    )
    levels = tuple(
        scoring.LevelRule(
            code=level.code,
            label=level.label,
            min_overall=level.min_overall,
            min_tool=level.min_tool,
            is_pass=level.is_pass,
        )
        for level in sorted(fiscal_year.levels.all(), key=lambda lv: lv.order)
    )
    return scoring.Framework(
        year=fiscal_year.year,
        tools=tools,
        levels=levels,
        target_overall=fiscal_year.target_overall,
        target_tool=fiscal_year.target_tool,
        eit_parts=fiscal_year.eit_parts,
    )


def framework_for_year(year: int) -> scoring.Framework:
    """The scoring rules of the fiscal year ``year`` (Buddhist era); DoesNotExist if not loaded."""
    return framework_from(fiscal_years_with_framework().get(year=year))


def indicators_for(fiscal_year: FiscalYear) -> list[Indicator]:
    return list(fiscal_year.indicators.select_related("tool").order_by("number"))


def questions_for(fiscal_year: FiscalYear) -> list[Question]:
    return list(fiscal_year.questions.select_related("indicator", "sub_indicator").order_by("order"))


def analysis_rule_for(fiscal_year: FiscalYear) -> analysis.AnalysisRule:
    """The year's analysis rule, or the defaults (urgent below the year's target) if it has none."""
    row = AnalysisRule.objects.filter(fiscal_year=fiscal_year).first()
    if row is None:
        return analysis.AnalysisRule(urgent_below=fiscal_year.target_overall)
    return analysis.AnalysisRule(
        improve_below=row.improve_below,
        urgent_below=row.urgent_below,
        urgent_lowest=row.urgent_lowest,
        full_marks=row.full_marks,
        question_below_full_marks_improves=row.question_below_full_marks_improves,
        recommendation_improves=row.recommendation_improves,
    )
