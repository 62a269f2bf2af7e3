"""Reads: the year's framework as scoring rules, and assessments with their computed results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from . import scoring
from .models import Assessment, FiscalYear, Indicator, Organisation, Question, Tool


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


def assessment_result(assessment: Assessment, framework: scoring.Framework) -> AssessmentResult:
    """Compute the result of an assessment whose scores are loaded (see ``with_scores``)."""
    scores = {row.indicator.number: row.score for row in assessment.indicator_scores.all()}
    try:
        result = scoring.evaluate(framework, scores)
    except scoring.ScoreError as exc:
        return AssessmentResult(assessment=assessment, result=None, findings=(), error=exc.message)
    published = scoring.Published(
        overall=assessment.published_overall,
        level=assessment.published_level,
        tool_scores={row.tool.code: row.score for row in assessment.published_tool_scores.all()},
    )
    findings = tuple(scoring.check_consistency(framework, result, published))
    return AssessmentResult(assessment=assessment, result=result, findings=findings)


def assessment_results(assessments: Iterable[Assessment]) -> list[AssessmentResult]:
    """Results for many assessments in a fixed number of queries, whatever their count."""
    assessments = list(assessments)
    year_ids = {a.fiscal_year_id for a in assessments}
    frameworks = {fy.pk: framework_from(fy) for fy in fiscal_years_with_framework().filter(pk__in=year_ids)}
    return [assessment_result(a, frameworks[a.fiscal_year_id]) for a in assessments]


@dataclass(frozen=True)
class OrganisationSummary:
    organisation: Organisation
    can_edit: bool
    results: list[AssessmentResult]
    years_without_assessment: list[FiscalYear]


def home_summaries(user) -> list[OrganisationSummary]:
    """The user's organisations, each with its assessments newest first and their results."""
    organisations = list(Organisation.objects.visible_to(user).order_by("name"))
    editable = set(Organisation.objects.score_editable_by(user).values_list("pk", flat=True))
    assessments = (
        Assessment.objects.filter(organisation__in=organisations).with_scores().order_by("-fiscal_year__year")
    )
    results = assessment_results(assessments)
    years = list(FiscalYear.objects.order_by("-year"))
    by_org: dict[int, list[AssessmentResult]] = {org.pk: [] for org in organisations}
    for item in results:
        by_org[item.assessment.organisation_id].append(item)
    summaries = []
    for org in organisations:
        taken = {item.assessment.fiscal_year_id for item in by_org[org.pk]}
        summaries.append(
            OrganisationSummary(
                organisation=org,
                can_edit=org.pk in editable,
                results=by_org[org.pk],
                years_without_assessment=[fy for fy in years if fy.pk not in taken],
            )
        )
    return summaries


@dataclass(frozen=True)
class Change:
    """One field of one score changed by someone at some time."""

    when: object
    user: object
    subject: str
    field: str
    old: str
    new: str


def _history_value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return scoring.format_score(value)
    return str(value)


def assessment_changes(assessment: Assessment, limit: int = 200) -> list[Change]:
    """Who changed which score from what to what, newest first (from django-simple-history)."""
    from .models import IndicatorScore, PublishedToolScore, QuestionScore

    sources = [
        (
            IndicatorScore.history.filter(assessment_id=assessment.pk).select_related("indicator"),
            lambda h: f"ตัวชี้วัดที่ {h.indicator.number} {h.indicator.name}",
            {"score": "คะแนน", "recommendation": "ข้อเสนอแนะ"},
        ),
        (
            QuestionScore.history.filter(assessment_id=assessment.pk).select_related("question"),
            lambda h: f"ข้อ {h.question.code}",
            {"score": "คะแนน", "recommendation": "ข้อเสนอแนะ"},
        ),
        (
            PublishedToolScore.history.filter(assessment_id=assessment.pk).select_related("tool"),
            lambda h: f"คะแนน {h.tool.code} ที่ประกาศ",
            {"score": "คะแนน"},
        ),
        (
            Assessment.history.filter(id=assessment.pk),
            lambda h: "ผลที่ประกาศ",
            {"published_overall": "คะแนนภาพรวม", "published_level": "ระดับ"},
        ),
    ]
    level_labels = dict(assessment.fiscal_year.levels.values_list("code", "label"))
    changes: list[Change] = []
    for queryset, subject, fields in sources:
        previous: dict[int, object] = {}
        for record in queryset.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            for name, label in fields.items():
                old = None if before is None else getattr(before, name)
                new = None if record.history_type == "-" else getattr(record, name)
                if record.history_type == "-":
                    old = getattr(record, name)
                if old != new and not (before is None and new in (None, "")):
                    changes.append(
                        Change(
                            when=record.history_date,
                            user=record.history_user,
                            subject=subject(record),
                            field=label,
                            old=_history_value(
                                level_labels.get(old, old) if name == "published_level" else old
                            ),
                            new=_history_value(
                                level_labels.get(new, new) if name == "published_level" else new
                            ),
                        )
                    )
            previous[record.id] = None if record.history_type == "-" else record
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
