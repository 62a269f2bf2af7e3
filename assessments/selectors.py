"""Reads: the year's framework as scoring rules, and assessments with their computed results."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from ita_portal import permissions
from ita_portal.snapshot import snapshot

from . import analysis, scoring
from .history import Change, assessment_changes
from .models import (
    AnalysisRule,
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Organisation,
    PublishedToolScore,
    Question,
    QuestionScore,
    RatingLevel,
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


@dataclass(frozen=True)
class AssessmentResult:
    """An assessment with what the scoring rules make of it."""

    assessment: Assessment
    result: scoring.Result | None  # None while indicator scores are missing
    findings: tuple[scoring.Finding, ...]
    error: str = ""
    checked: bool = False  # published numbers were entered, so the findings mean something


def assessment_result(assessment: Assessment, framework: scoring.Framework) -> AssessmentResult:
    """Compute the result of an assessment whose scores are loaded (see ``with_scores``)."""
    published = scoring.Published(
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
    published: scoring.Published,
) -> tuple[scoring.Result | None, tuple[scoring.Finding, ...], str]:
    """What the year's rules make of an assessment's values: the result (None while a score is
    missing), the published numbers it disagrees with, and the Thai reason when there is no result.
    The EIT part scores count only when both are given."""
    parts = None if None in eit_parts else eit_parts
    try:
        result = scoring.evaluate(framework, indicator_scores, parts)
    except scoring.ScoreError as exc:
        return None, (), exc.message
    return result, tuple(scoring.check_consistency(framework, result, published)), ""


def assessment_results(assessments: Iterable[Assessment]) -> list[AssessmentResult]:
    """Results for many assessments in a fixed number of queries, whatever their count."""
    assessments = list(assessments)
    year_ids = {a.fiscal_year_id for a in assessments}
    frameworks = {fy.pk: framework_from(fy) for fy in fiscal_years_with_framework().filter(pk__in=year_ids)}
    return [assessment_result(a, frameworks[a.fiscal_year_id]) for a in assessments]


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


# --- Analysis ---------------------------------------------------------------------------------


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
    """Where an organisation stands among those of its type in its province, for one year."""

    org_type_label: str
    province: str
    standing: analysis.Standing


def sees_several_organisations_as_administrator(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Organisation.objects.permitting(user, permissions.Action.OVERVIEW_VIEW).count() > 1


def peer_standing(assessment: Assessment, user) -> PeerStanding | None:
    """The rank of the assessment's overall among same-type organisations of its province in the portal.

    Only for administrators who oversee several organisations; only figures, never
    the other organisations' names, leave this function.
    """
    if not sees_several_organisations_as_administrator(user):
        return None
    organisation = assessment.organisation
    peers = assessment_results(
        Assessment.objects.filter(
            fiscal_year_id=assessment.fiscal_year_id,
            organisation__org_type=organisation.org_type,
            organisation__province=organisation.province,
        ).with_scores()
    )
    overall = {item.assessment.pk: item.result.overall for item in peers if item.result}
    if assessment.pk not in overall:
        return None
    return PeerStanding(
        org_type_label=organisation.get_org_type_display(),
        province=organisation.province,
        standing=analysis.standing(overall[assessment.pk], list(overall.values())),
    )


# --- Exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    """One organisation's line of the year export: its values and what the rules make of them."""

    organisation: Organisation
    assessment: dict[str, Any] | None  # the published numbers, or None without an assessment
    indicators: dict[int, Decimal]
    published_tools: dict[str, Decimal]
    questions: dict[str, Decimal]
    result: scoring.Result | None
    findings: tuple[scoring.Finding, ...]
    error: str


@dataclass(frozen=True)
class YearExport:
    rows: Iterator[YearRow]  # read from the database a chunk at a time, as they are written
    count: int
    with_questions: bool  # whether any question score was given (the columns are left out if not)


YEAR_EXPORT_CHUNK = 1000


def year_export(user, fiscal_year: FiscalYear) -> YearExport:
    """Every organisation the user sees, with its values and result for the year if any, as an
    iterator that reads a thousand organisations at a time (five queries each): the memory it
    needs does not grow with the number of organisations."""
    organisations = Organisation.objects.visible_to(user).order_by("province", "district", "name", "pk")
    assessments = Assessment.objects.filter(fiscal_year=fiscal_year, organisation__in=organisations)
    return YearExport(
        rows=_year_rows(organisations, fiscal_year),
        count=organisations.count(),
        with_questions=QuestionScore.objects.filter(assessment__in=assessments, score__isnull=False).exists(),
    )


def _year_rows(organisations, fiscal_year: FiscalYear) -> Iterator[YearRow]:
    framework = framework_for_year(fiscal_year.year)
    # Codes by id, so the score queries below need no join (332,000 question scores at 8,300).
    codes = YearCodes(
        indicators=dict(fiscal_year.indicators.values_list("pk", "number")),
        tools=dict(fiscal_year.tools.values_list("pk", "code")),
        questions=dict(fiscal_year.questions.values_list("pk", "code")),
    )
    chunk: list[Organisation] = []
    for organisation in organisations.iterator(chunk_size=YEAR_EXPORT_CHUNK):
        chunk.append(organisation)
        if len(chunk) == YEAR_EXPORT_CHUNK:
            yield from _year_chunk(chunk, fiscal_year, framework, codes)
            chunk = []
    yield from _year_chunk(chunk, fiscal_year, framework, codes)


def _year_chunk(
    organisations: list[Organisation], fiscal_year: FiscalYear, framework, codes: YearCodes
) -> list[YearRow]:
    """The rows of a chunk, its five queries seeing one snapshot (a result saved meanwhile is
    exported whole, before or after); the snapshot ends before the rows are written, so a
    background export can report its progress between chunks."""
    with snapshot():
        return list(_read_year_chunk(organisations, fiscal_year, framework, codes))


@dataclass(frozen=True)
class YearCodes:
    indicators: dict[int, int]  # pk → number
    tools: dict[int, str]  # pk → code
    questions: dict[int, str]  # pk → code


def _read_year_chunk(
    organisations: list[Organisation], fiscal_year: FiscalYear, framework, codes: YearCodes
) -> Iterator[YearRow]:
    if not organisations:
        return
    by_org = {
        row["organisation_id"]: row
        for row in Assessment.objects.filter(fiscal_year=fiscal_year, organisation__in=organisations).values(
            "id", "organisation_id", "published_overall", "published_level", "eit_part1", "eit_part2"
        )
    }
    pks = [row["id"] for row in by_org.values()]
    indicators: dict[int, dict[int, Decimal]] = {pk: {} for pk in pks}
    for pk, indicator_id, score in IndicatorScore.objects.filter(assessment__in=pks).values_list(
        "assessment_id", "indicator_id", "score"
    ):
        indicators[pk][codes.indicators[indicator_id]] = score
    tools: dict[int, dict[str, Decimal]] = {pk: {} for pk in pks}
    for pk, tool_id, score in PublishedToolScore.objects.filter(assessment__in=pks).values_list(
        "assessment_id", "tool_id", "score"
    ):
        tools[pk][codes.tools[tool_id]] = score
    questions: dict[int, dict[str, Decimal]] = {pk: {} for pk in pks}
    for pk, question_id, score in QuestionScore.objects.filter(
        assessment__in=pks, score__isnull=False
    ).values_list("assessment_id", "question_id", "score"):
        questions[pk][codes.questions[question_id]] = score
    for organisation in organisations:
        values = by_org.get(organisation.pk)
        if values is None:
            yield YearRow(organisation, None, {}, {}, {}, None, (), "")
            continue
        pk = values["id"]
        published = scoring.Published(
            overall=values["published_overall"], level=values["published_level"], tool_scores=tools[pk]
        )
        result, findings, error = result_of(
            framework, indicators[pk], (values["eit_part1"], values["eit_part2"]), published
        )
        yield YearRow(organisation, values, indicators[pk], tools[pk], questions[pk], result, findings, error)


@dataclass(frozen=True)
class OrganisationExport:
    results: list[AssessmentResult]  # oldest year first
    indicator_names: dict[int, str]
    level_labels: dict[int, dict[str, str]]
    question_rows: dict[int, list[tuple]]


@snapshot()
def organisation_export(organisation: Organisation) -> OrganisationExport:
    """One organisation's results over all its years, with its question scores per year (one
    snapshot of the database)."""
    assessments = list(
        Assessment.objects.filter(organisation=organisation).with_scores().order_by("fiscal_year__year")
    )
    results = assessment_results(assessments)
    names: dict[int, str] = {}
    for year in FiscalYear.objects.filter(assessments__organisation=organisation).order_by("year"):
        names.update(year.indicators.values_list("number", "name"))
    level_labels: dict[int, dict[str, str]] = {}
    for year, code, label in RatingLevel.objects.filter(
        fiscal_year__assessments__organisation=organisation
    ).values_list("fiscal_year__year", "code", "label"):
        level_labels.setdefault(year, {})[code] = label
    question_rows: dict[int, list[tuple]] = {}
    for row in (
        QuestionScore.objects.filter(assessment__organisation=organisation)
        .select_related("question__indicator", "assessment__fiscal_year")
        .order_by("assessment__fiscal_year__year", "question__order")
    ):
        question_rows.setdefault(row.assessment.fiscal_year.year, []).append(
            (
                row.question.code,
                row.question.text,
                f"{row.question.indicator.number}. {row.question.indicator.name}",
                row.score,
                row.recommendation,
            )
        )
    return OrganisationExport(
        results=results,
        indicator_names=dict(sorted(names.items())),
        level_labels=level_labels,
        question_rows=question_rows,
    )
