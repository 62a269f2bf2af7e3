"""One assessment's pages: its result, its analysis, its trend and its standing among peers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum

from ita_portal import permissions

from .. import analysis
from ..history import Change, assessment_changes
from ..models import (
    Assessment,
    FiscalYear,
    Indicator,
    Organisation,
    Question,
    QuestionScore,
    Tool,
)
from .framework import analysis_rule_for, fiscal_years_with_framework, framework_from, questions_for
from .results import AssessmentResult, assessment_result, assessment_results


@dataclass(frozen=True)
class ToolRows:
    tool: Tool
    rows: list[tuple[Indicator, Any]]  # each indicator of the tool with its score row (or None)
    score: Decimal | None


@dataclass(frozen=True)
class AssessmentPage:
    item: AssessmentResult
    fiscal_year: FiscalYear
    tools: list[ToolRows]
    question_scores: list[QuestionScore]
    changes: list[Change]
    can_edit: bool


def assessment_page(assessment: Assessment, user) -> AssessmentPage:
    """The result page of an assessment loaded ``with_scores``: tools with their indicators, history."""
    fiscal_year = fiscal_years_with_framework().get(pk=assessment.fiscal_year_id)
    item = assessment_result(assessment, framework_from(fiscal_year))
    scores = {row.indicator_id: row for row in assessment.indicator_scores.all()}
    tools = [
        ToolRows(
            tool=tool,
            rows=[(ind, scores.get(ind.pk)) for ind in sorted(tool.indicators.all(), key=lambda i: i.number)],
            score=item.result.tool_scores.get(tool.code) if item.result else None,
        )
        for tool in fiscal_year.tools.all()
    ]
    return AssessmentPage(
        item=item,
        fiscal_year=fiscal_year,
        tools=tools,
        question_scores=list(
            assessment.question_scores.select_related("question__indicator").order_by("question__order")
        ),
        changes=assessment_changes(assessment),
        can_edit=permissions.can(user, assessment.organisation, permissions.Action.SCORE_EDIT),
    )


@dataclass(frozen=True)
class ToolAnalysis:
    tool: Tool
    score: Decimal | None
    indicators: list[analysis.IndicatorAnalysis]


@dataclass(frozen=True)
class AssessmentAnalysis:
    """Everything the analysis page, plan generation and the report need about one assessment."""

    assessment: Assessment
    fiscal_year: FiscalYear
    item: AssessmentResult
    rule: analysis.AnalysisRule
    tools: list[ToolAnalysis]
    indicators: dict[int, Indicator]
    questions: dict[str, Question]

    @property
    def all(self) -> list[analysis.IndicatorAnalysis]:
        return [a for tool in self.tools for a in tool.indicators]

    @property
    def keep(self) -> list[analysis.IndicatorAnalysis]:
        return [a for a in self.all if not a.to_improve]

    @property
    def improve(self) -> list[analysis.IndicatorAnalysis]:
        return [a for a in self.all if a.to_improve]


def assessment_analysis(assessment: Assessment) -> AssessmentAnalysis:
    """Classify the assessment's indicators by its year's rule, with strengths and points to develop.

    A fixed number of queries whatever the size of the catalogue.
    """
    fiscal_year = fiscal_years_with_framework().get(pk=assessment.fiscal_year_id)
    item = assessment_result(assessment, framework_from(fiscal_year))
    indicators = {ind.number: ind for tool in fiscal_year.tools.all() for ind in tool.indicators.all()}
    questions = {q.code: q for q in questions_for(fiscal_year)}
    indicator_rows = {row.indicator.number: row for row in assessment.indicator_scores.all()}
    question_rows = {
        row.question_id: row for row in QuestionScore.objects.filter(assessment=assessment).order_by()
    }
    facts = []
    for number, indicator in indicators.items():
        row = indicator_rows.get(number)
        if row is None:
            continue
        facts.append(
            analysis.IndicatorFacts(
                number=number,
                name=indicator.name,
                tool=indicator.tool.code if indicator.tool_id else "",
                score=row.score,
                recommendation=row.recommendation,
                questions=tuple(
                    analysis.QuestionFacts(
                        code=q.code,
                        text=q.text,
                        score=question_rows[q.pk].score,
                        recommendation=question_rows[q.pk].recommendation,
                    )
                    for q in questions.values()
                    if q.indicator_id == indicator.pk and q.pk in question_rows
                ),
            )
        )
    rule = analysis_rule_for(fiscal_year)
    classified = {a.indicator.number: a for a in analysis.classify(rule, facts)}
    tools = []
    for tool in sorted(fiscal_year.tools.all(), key=lambda t: t.order):
        numbers = sorted(ind.number for ind in tool.indicators.all())
        tools.append(
            ToolAnalysis(
                tool=tool,
                score=item.result.tool_scores.get(tool.code) if item.result else None,
                indicators=[classified[n] for n in numbers if n in classified],
            )
        )
    return AssessmentAnalysis(
        assessment=assessment,
        fiscal_year=fiscal_year,
        item=item,
        rule=rule,
        tools=tools,
        indicators=indicators,
        questions=questions,
    )


def assessment_trend(assessment: Assessment) -> tuple[list[int], list[analysis.TrendRow]]:
    """The organisation's scores up to this assessment's year, oldest first, and their changes."""
    history = assessment_results(
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id, fiscal_year__year__lte=assessment.fiscal_year.year
        )
        .with_scores()
        .order_by("fiscal_year__year")
    )
    years = [
        analysis.YearScores(
            year=item.assessment.fiscal_year.year,
            indicators={row.indicator.number: row.score for row in item.assessment.indicator_scores.all()},
            tools=item.result.tool_scores if item.result else {},
            overall=item.result.overall if item.result else None,
        )
        for item in history
    ]
    current = next(item for item in history if item.assessment.pk == assessment.pk)
    names = {row.indicator.number: row.indicator.name for row in current.assessment.indicator_scores.all()}
    codes = list(Tool.objects.filter(fiscal_year_id=assessment.fiscal_year_id).values_list("code", flat=True))
    return [y.year for y in years], analysis.trend(years, names, codes)


@dataclass(frozen=True)
class PeerStanding:
    """Where an organisation stands among those of its type in its province with a result of the
    same year in the portal (only figures: never another organisation's name)."""

    org_type_label: str
    province: str
    standing: analysis.Standing

    @property
    def sentence(self) -> str:
        """ "อันดับที่ 12 จาก 148 องค์การบริหารส่วนตำบลในจังหวัดนครราชสีมาที่มีผลในระบบ"."""
        return (
            f"อันดับที่ {self.standing.rank:,} จาก {self.standing.count:,} {self.org_type_label}"
            f"ในจังหวัด{self.province}ที่มีผลในระบบ"
        )

    @property
    def document_sentence(self) -> str:
        """The same for a document the agency publishes, which names the portal plainly."""
        return (
            f"เมื่อเทียบกับ{self.org_type_label}ในจังหวัด{self.province}ที่ใช้ ITA Portal "
            f"และมีผลการประเมินปีเดียวกัน {self.standing.count:,} แห่ง "
            f"อยู่ในอันดับที่ {self.standing.rank:,}"
        )


def sees_several_organisations_as_administrator(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Organisation.objects.permitting(user, permissions.Action.OVERVIEW_VIEW).count() > 1


def peer_standing(assessment: Assessment) -> PeerStanding | None:
    """The rank of the assessment's stored overall score among the same year's results of the
    organisations of its type in its province, in the database (three queries whatever their
    number: the counts and best, the sum, the one or two middle scores)."""
    if assessment.overall is None:
        return None
    organisation = assessment.organisation
    peers = Assessment.objects.filter(
        fiscal_year_id=assessment.fiscal_year_id,
        organisation__org_type=organisation.org_type,
        organisation__province=organisation.province,
        overall__isnull=False,
    )
    figures = peers.aggregate(
        count=Count("pk"),
        better=Count("pk", filter=Q(overall__gt=assessment.overall)),
        best=Max("overall"),
        total=Sum("overall"),
    )
    count = figures["count"]
    ordered = peers.order_by("overall", "pk").values_list("overall", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return PeerStanding(
        org_type_label=organisation.get_org_type_display().split(" (")[0],  # without "(อบต.)"
        province=organisation.province,
        standing=analysis.Standing(
            rank=figures["better"] + 1,
            count=count,
            mean=figures["total"] / count,
            best=figures["best"],
            median=sum(middle, Decimal(0)) / len(middle),
        ),
    )
