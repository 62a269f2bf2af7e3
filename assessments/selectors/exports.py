"""What the score workbooks print: the year export (a thousand organisations at a time, each
chunk in one snapshot) and one organisation's export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ita_portal.snapshot import snapshot

from .. import consistency, scoring
from ..models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    Organisation,
    PublishedToolScore,
    QuestionScore,
    RatingLevel,
)
from .framework import framework_for_year
from .results import AssessmentResult, assessment_results, result_of


@dataclass(frozen=True)
class YearRow:
    """One organisation's line of the year export: its values and what the rules make of them."""

    organisation: Organisation
    assessment: dict[str, Any] | None  # the published numbers, or None without an assessment
    indicators: dict[int, Decimal]
    published_tools: dict[str, Decimal]
    questions: dict[str, Decimal]
    result: scoring.Result | None
    findings: tuple[consistency.Finding, ...]
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
        published = consistency.Published(
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
