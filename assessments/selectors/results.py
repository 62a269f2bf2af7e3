"""Assessments with their computed results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .. import consistency, scoring
from ..models import (
    Assessment,
)
from .framework import fiscal_years_with_framework, framework_from


@dataclass(frozen=True)
class AssessmentResult:
    """An assessment with what the scoring rules make of it."""

    assessment: Assessment
    result: scoring.Result | None  # None while indicator scores are missing
    findings: tuple[consistency.Finding, ...]
    error: str = ""
    checked: bool = False  # published numbers were entered, so the findings mean something


def assessment_result(assessment: Assessment, framework: scoring.Framework) -> AssessmentResult:
    """Compute the result of an assessment whose scores are loaded (see ``with_scores``)."""
    published = consistency.Published(
        overall=assessment.published_overall,
        level=assessment.published_level,
        tool_scores={row.tool.code: row.score for row in assessment.published_tool_scores.all()},
    )
    result, findings, error = result_of(
        framework,
        {row.indicator.number: row.score for row in assessment.indicator_scores.all()},
        (assessment.eit_part1, assessment.eit_part2),
        published,
    )
    return AssessmentResult(assessment, result, findings, error, checked=published.entered)


def result_of(
    framework: scoring.Framework,
    indicator_scores: dict[int, Decimal],
    eit_parts: tuple[Decimal | None, Decimal | None],
    published: consistency.Published,
) -> tuple[scoring.Result | None, tuple[consistency.Finding, ...], str]:
    """What the year's rules make of an assessment's values: the result (None while a score is
    missing), the published numbers it disagrees with, and the Thai reason when there is no result.
    The EIT part scores count only when both are given."""
    parts = None if None in eit_parts else eit_parts
    try:
        result = scoring.evaluate(framework, indicator_scores, parts)
    except scoring.ScoreError as exc:
        return None, (), exc.message
    return result, tuple(consistency.check_consistency(framework, result, published)), ""


def assessment_results(assessments: Iterable[Assessment]) -> list[AssessmentResult]:
    """Results for many assessments in a fixed number of queries, whatever their count."""
    assessments = list(assessments)
    year_ids = {a.fiscal_year_id for a in assessments}
    frameworks = {fy.pk: framework_from(fy) for fy in fiscal_years_with_framework().filter(pk__in=year_ids)}
    return [assessment_result(a, frameworks[a.fiscal_year_id]) for a in assessments]
