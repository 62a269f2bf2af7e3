"""Reads: a user's roles, a plan with its measures grouped by tool, its text findings and its history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Max, Prefetch

from assessments import selectors as assessment_selectors
from assessments.history import Change, assessment_changes, history_changes, history_value
from assessments.models import Assessment, Indicator, IndicatorScore, Organisation, Question, Tool
from ita_portal import permissions
from ita_portal.permissions import Action
from ita_portal.stale import saved_by
from ita_portal.thai import fiscal_year_of, quarter_of

from . import checks
from .choices import CLOSED_STATUSES, MeasureStatus, PlanStatus
from .filters import OrganisationFilter
from .models import Measure, MeasurePlan, PlanEvent, ProgressUpdate
from .workflow import Transition, available_actions


def plan_generate_allowed(user, assessment, plan: MeasurePlan | None) -> bool:
    """Whether the user may generate (or regenerate) the plan of this assessment now."""
    if plan is not None and not plan.is_editable:
        return False
    return permissions.can(user, assessment.organisation, Action.PLAN_EDIT)


def plans_for_detail():
    """Plans with what their page shows, in a fixed number of queries."""
    return MeasurePlan.objects.select_related(
        "assessment__organisation", "assessment__fiscal_year"
    ).prefetch_related(
        "assessment__indicator_scores__indicator",
        "assessment__published_tool_scores__tool",
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related("indicator__tool").order_by("order", "pk"),
        ),
        Prefetch("events", queryset=PlanEvent.objects.select_related("user")),
    )


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    number: int  # running number within its tool, as printed in the table
    findings: list[checks.TextFinding]
    questions: list[Question]
    relies_on: list[Question]


@dataclass(frozen=True)
class ToolMeasures:
    tool: Tool
    rows: list[MeasureRow]
    first_indicator: Indicator | None = None  # what "เพิ่มมาตรการ" under the tool preselects


def plan_facts(plan: MeasurePlan) -> checks.Facts:
    """The figures of the plan's assessment that its texts may quote."""
    # With its scores prefetched: the analysis reads every indicator score's indicator.
    assessment = Assessment.objects.with_scores().get(pk=plan.assessment_id)
    return _facts_from(assessment_selectors.assessment_analysis(assessment))


def _facts_from(found: assessment_selectors.AssessmentAnalysis) -> checks.Facts:
    other: set[Decimal] = {
        found.fiscal_year.target_overall,
        found.rule.improve_below,
        found.rule.urgent_below,
    }
    other.add(found.rule.full_marks)
    if found.fiscal_year.target_tool is not None:
        other.add(found.fiscal_year.target_tool)
    if found.item.result:
        other.update(found.item.result.tool_scores.values())
        other.add(found.item.result.overall)
    indicator_scores = {}
    for item in found.all:
        indicator_scores[item.indicator.number] = item.indicator.score
        other.update(q.score for q in item.indicator.questions if q.score is not None)
    return checks.Facts(
        indicator_names={number: ind.name for number, ind in found.indicators.items()},
        indicator_scores=indicator_scores,
        question_codes=frozenset(found.questions),
        other_scores=frozenset(other),
    )


def measure_findings(measure: Measure, facts: checks.Facts) -> list[checks.TextFinding]:
    return checks.check_texts(
        [("มาตรการ", measure.title), ("ผลการวิเคราะห์", measure.analysis), ("ขั้นตอนดำเนินการ", measure.steps)],
        facts,
    )


def plan_findings(plan: MeasurePlan) -> list[tuple[Measure, checks.TextFinding]]:
    facts = plan_facts(plan)
    return [(m, f) for m in plan.measures.select_related("indicator") for f in measure_findings(m, facts)]


@dataclass(frozen=True)
class PlanPage:
    plan: MeasurePlan
    analysis: assessment_selectors.AssessmentAnalysis
    tools: list[ToolMeasures]
    finding_count: int
    roles: frozenset[str]
    actions: list[Transition]

    @property
    def can_edit(self) -> bool:
        return self.plan.is_editable and bool(self.roles & permissions.roles_for(Action.PLAN_EDIT))


def plan_page(plan: MeasurePlan, user) -> PlanPage:
    """The plan (from ``plans_for_detail``), measures grouped by tool and checked against the records."""
    found = assessment_selectors.assessment_analysis(plan.assessment)
    facts = _facts_from(found)
    measures = list(plan.measures.all())
    by_tool: dict[int, list[Measure]] = {}
    for measure in measures:
        by_tool.setdefault(measure.indicator.tool_id, []).append(measure)
    tools = []
    finding_count = 0
    for tool_analysis in found.tools:
        rows = []
        for number, measure in enumerate(by_tool.pop(tool_analysis.tool.pk, []), start=1):
            findings = measure_findings(measure, facts)
            finding_count += len(findings)
            rows.append(
                MeasureRow(
                    measure=measure,
                    number=number,
                    findings=findings,
                    questions=[
                        found.questions[c] for c in measure.question_code_list if c in found.questions
                    ],
                    relies_on=[found.questions[c] for c in measure.relies_on_codes if c in found.questions],
                )
            )
        numbers = sorted(item.indicator.number for item in tool_analysis.indicators)
        tools.append(
            ToolMeasures(
                tool=tool_analysis.tool,
                rows=rows,
                first_indicator=found.indicators.get(numbers[0]) if numbers else None,
            )
        )
    roles = permissions.roles_of(user, plan.assessment.organisation)
    return PlanPage(
        plan=plan,
        analysis=found,
        tools=tools,
        finding_count=finding_count,
        roles=roles,
        actions=available_actions(plan.status, roles),
    )


MEASURE_FIELDS = {
    "owner_person": "ผู้รับผิดชอบ (บุคคล)",
    "start_date": "วันเริ่ม",
    "end_date": "วันสิ้นสุด",
    "status": "สถานะการดำเนินการ",
    "percent": "ความก้าวหน้า (%)",
    "title": "มาตรการ",
    "analysis": "ผลการวิเคราะห์",
    "steps": "ขั้นตอนดำเนินการ",
    "period_start": "เริ่มไตรมาส",
    "period_end": "ถึงไตรมาส",
    "responsible_unit": "ผู้รับผิดชอบ",
    "relies_on": "อ้างอิงข้อ OIT",
    "question_codes": "ข้อที่แก้ไข",
    "urgent": "เร่งด่วน",
    "order": "ลำดับ",
    "outdated": "ผลการประเมินเปลี่ยนหลังแก้ไข",
}
PLAN_FIELDS = {"status": "สถานะ", "meeting_number": "การประชุมครั้งที่", "meeting_date": "วันที่ประชุม"}


def plan_changes(plan: MeasurePlan, limit: int = 300) -> list[Change]:
    """Every change to the plan and its measures (including deleted ones), newest first."""
    status_labels = dict(PlanStatus.choices)
    changes = history_changes(
        Measure.history.filter(plan_id=plan.pk),
        lambda h: f"มาตรการ “{h.title[:60]}”",
        MEASURE_FIELDS,
        fields_on_create=False,
    ) + history_changes(
        MeasurePlan.history.filter(id=plan.pk),
        lambda h: "แผน",
        PLAN_FIELDS,
        labels={"status": status_labels},
        fields_on_create=False,
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


def measure_changes_since(measure: Measure, version: int) -> list[tuple[str, str, str, str]]:
    """What others changed on a measure since ``version``: (field, then, now, who and when)."""
    records = list(
        Measure.history.filter(id=measure.pk).select_related("history_user").order_by("history_date")
    )
    base = next((r for r in reversed(records) if r.version == version), None)
    latest = records[-1] if records else None
    if base is None or latest is None:
        return []
    labels = {"status": dict(MeasureStatus.choices)}
    changes = []
    for name, label in MEASURE_FIELDS.items():
        old, new = getattr(base, name), getattr(measure, name)
        if old != new and name != "order":
            shown = labels.get(name, {})
            changes.append((label, history_value(shown.get(old, old)), history_value(shown.get(new, new))))
    when = saved_by(latest.history_user, latest.history_date)
    return [(label, old, new, when) for label, old, new in changes]


# --- Progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    measure: Measure
    tool_code: str
    number: int
    late: bool
    last: object  # the latest ProgressUpdate or None


@dataclass(frozen=True)
class PlanProgress:
    """A plan's measures with where each stands, and the totals the progress page shows."""

    plan: MeasurePlan
    rows: list[ProgressRow]
    by_status: dict[str, int]
    by_quarter: list[tuple[int, int, int, int]]  # quarter, measures ending in it, done, late
    late: int
    percent: int  # mean progress of the measures not cancelled

    @property
    def total(self) -> int:
        return len(self.rows)


def measures_with_updates(*update_lookups: str) -> Prefetch:
    """A plan's measures in the plan's order, each with its progress updates newest first (and
    whatever ``update_lookups`` the updates need), so reading the latest update costs no query."""
    updates = ProgressUpdate.objects.order_by("-reported_on", "-pk").prefetch_related(*update_lookups)
    return Prefetch(
        "measures",
        queryset=Measure.objects.select_related("indicator__tool", "plan")
        .prefetch_related(Prefetch("updates", queryset=updates))
        .order_by("order", "pk"),
    )


def plans_for_progress():
    return MeasurePlan.objects.select_related(
        "assessment__organisation", "assessment__fiscal_year"
    ).prefetch_related(measures_with_updates())


def latest_update(measure: Measure):
    """The measure's latest progress update (its updates prefetched newest first), or None."""
    updates = list(measure.updates.all())
    return updates[0] if updates else None


def plan_progress(plan: MeasurePlan, today) -> PlanProgress:
    """Where each measure of the plan (from ``plans_for_progress``) stands on ``today``."""
    measures = sorted(plan.measures.all(), key=lambda m: (m.indicator.tool.order, m.order, m.pk))
    rows, counters = [], {}
    for measure in measures:
        tool = measure.indicator.tool
        counters[tool.pk] = counters.get(tool.pk, 0) + 1
        rows.append(
            ProgressRow(measure, tool.code, counters[tool.pk], measure.is_late(today), latest_update(measure))
        )
    by_status = {status: 0 for status in MeasureStatus.values}
    for row in rows:
        by_status[row.measure.status] += 1
    by_quarter = []
    for quarter in (1, 2, 3, 4):
        ending = [r for r in rows if quarter_of(r.measure.planned_end) == quarter]
        by_quarter.append(
            (
                quarter,
                len(ending),
                sum(r.measure.status == MeasureStatus.DONE for r in ending),
                sum(r.late for r in ending),
            )
        )
    active = [r.measure.percent for r in rows if r.measure.status != MeasureStatus.CANCELLED]
    return PlanProgress(
        plan=plan,
        rows=rows,
        by_status=by_status,
        by_quarter=by_quarter,
        late=sum(r.late for r in rows),
        # Half up, as the plan's stored ``progress`` (``services.counters``) rounds it.
        percent=int((Decimal(sum(active)) / len(active)).to_integral_value(ROUND_HALF_UP)) if active else 0,
    )


@dataclass(frozen=True)
class PlanOverview:
    plan: MeasurePlan
    total: int
    done: int
    late: int
    percent: int


@dataclass(frozen=True)
class OverviewPage:
    """The plans overview of one year for a user: one page of rows."""

    year: int
    rows: list[PlanOverview]
    page: Any  # django.core.paginator.Page


OVERVIEW_PAGE_SIZE = 50
NO_FILTER = OrganisationFilter()
OVERVIEW_SORTS = [
    ("province", "จังหวัด"),
    ("name", "ชื่อหน่วยงาน"),
    ("percent", "ความก้าวหน้ามากไปน้อย"),
    ("percent_asc", "ความก้าวหน้าน้อยไปมาก"),
    ("late", "ล่าช้านานที่สุดก่อน"),
]
_NAME = "assessment__organisation__name"
OVERVIEW_ORDER = {
    "name": (_NAME, "pk"),
    "percent": ("-progress", _NAME, "pk"),
    "percent_asc": ("progress", _NAME, "pk"),
    "late": (F("overdue_from").asc(nulls_last=True), _NAME, "pk"),
    "province": ("assessment__organisation__province", _NAME, "pk"),
}


def overview_years(user, today) -> list[int]:
    """The plan years of the organisations the user follows, and the current one, newest first."""
    organisations = Organisation.objects.permitting(user, Action.OVERVIEW_VIEW)
    years = (
        MeasurePlan.objects.filter(assessment__organisation__in=organisations)
        .order_by()
        .values_list("plan_year", flat=True)
        .distinct()
    )
    return sorted(set(years) | {fiscal_year_of(today)}, reverse=True)


def overview_default_year(user, today) -> int:
    """The year the overview opens on: the newest plan year with a plan under way (approved or
    published) in the user's organisations — not a year whose plans are all still drafts — or
    the current fiscal year when none is."""
    organisations = Organisation.objects.permitting(user, Action.OVERVIEW_VIEW)
    newest = MeasurePlan.objects.filter(
        assessment__organisation__in=organisations, status__in=[PlanStatus.APPROVED, PlanStatus.PUBLISHED]
    ).aggregate(year=Max("plan_year"))["year"]
    return newest or fiscal_year_of(today)


def organisations_without_plan(user, plan_year: int) -> int:
    """How many organisations the user follows have the result the plans of ``plan_year`` come
    from (``plan_year`` − 1) but no plan yet (home lists them: ``?year=…&plan=none``)."""
    organisations = Organisation.objects.permitting(user, Action.OVERVIEW_VIEW)
    return Assessment.objects.filter(
        organisation__in=organisations, fiscal_year__year=plan_year - 1, plan__isnull=True
    ).count()


def overview_page(
    user,
    year: int,
    today,
    *,
    filters: OrganisationFilter = NO_FILTER,
    sort: str = "province",
    page=1,
) -> OverviewPage:
    """One page of the overview (``overview_plans``): a fixed number of queries, whatever the
    number of plans."""
    from django.core.paginator import Paginator

    current = Paginator(
        overview_plans(user, year, today, filters=filters, sort=sort), OVERVIEW_PAGE_SIZE
    ).get_page(page)
    return OverviewPage(year=year, rows=overview_rows(list(current.object_list), today), page=current)


def overview_plans(user, plan_year: int, today, *, filters: OrganisationFilter = NO_FILTER, sort=""):
    """Every plan of ``plan_year`` in the organisations the user follows, filtered and sorted by
    the database on the plan's stored counters (``services.counters``) and the assessment's
    stored level, ready to be paged."""
    organisations = Organisation.objects.permitting(user, Action.OVERVIEW_VIEW)
    return (
        MeasurePlan.objects.filter(plan_year=plan_year, assessment__organisation__in=organisations)
        .filter(filters.organisation_q("assessment__organisation__"))
        .filter(filters.result_q(today, assessment="assessment__", plan=""))
        .select_related("assessment__organisation", "assessment__level")
        .order_by(*OVERVIEW_ORDER.get(sort, OVERVIEW_ORDER["province"]))
    )


def overview_rows(plans: list[MeasurePlan], today, late: dict[int, int] | None = None) -> list[PlanOverview]:
    """The rows of ``plans``, with the measures late on ``today`` counted in one query (or given)."""
    if late is None:
        late = late_counts([p.pk for p in plans if p.overdue_from and p.overdue_from < today], today)
    return [
        PlanOverview(
            plan=p, total=p.measure_count, done=p.done_count, late=late.get(p.pk, 0), percent=p.progress
        )
        for p in plans
    ]


def late_counts(plans, today) -> dict[int, int]:
    """How many measures of each of ``plans`` (pks, or a queryset of plans) are late on ``today``."""
    return dict(
        Measure.objects.filter(plan__in=plans, planned_end_on__lt=today)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by()
        .values("plan")
        .annotate(late=Count("pk"))
        .values_list("plan", "late")
    )


def administrator_overview(
    user, plan_year: int, today, *, filters: OrganisationFilter = NO_FILTER, sort=""
) -> list[PlanOverview]:
    """Every row of the overview (its .xlsx), in the page's order."""
    plans = overview_plans(user, plan_year, today, filters=filters, sort=sort)
    late = late_counts(plans.filter(overdue_from__lt=today).order_by().values("pk"), today)
    return overview_rows(list(plans), today, late)


# --- The organisation's audit history ---------------------------------------------------------

PROGRESS_FIELDS = {
    "reported_on": "วันที่รายงาน",
    "status": "สถานะ",
    "percent": "ความก้าวหน้า (%)",
    "result": "ผลการดำเนินการ",
    "recommendation": "ข้อเสนอแนะ",
    "cancel_reason": "เหตุผลที่ยกเลิก",
}


def organisation_changes(organisation: Organisation, limit: int = 1000) -> list[Change]:
    """Every recorded change to the organisation's scores, plans, measures and progress, newest first.

    Built from django-simple-history: who, when, and each field's old → new value.
    """
    changes: list[Change] = []
    for assessment in Assessment.objects.filter(organisation=organisation).select_related("fiscal_year"):
        year = assessment.fiscal_year.year
        changes += [
            Change(c.when, c.user, f"ผลการประเมินปี {year} · {c.subject}", c.field, c.old, c.new)
            for c in assessment_changes(assessment, limit=limit)
        ]
    for plan in MeasurePlan.objects.filter(assessment__organisation=organisation):
        changes += [
            Change(c.when, c.user, f"แผนมาตรการปี {plan.plan_year} · {c.subject}", c.field, c.old, c.new)
            for c in plan_changes(plan, limit=limit)
        ]
    titles = dict(
        Measure.history.filter(plan__assessment__organisation=organisation).values_list("id", "title")
    )
    changes += history_changes(
        ProgressUpdate.history.filter(measure_id__in=list(titles)),
        lambda h: f"รายงานความก้าวหน้า “{titles.get(h.measure_id, '')[:60]}”",
        PROGRESS_FIELDS,
        labels={"status": dict(MeasureStatus.choices)},
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


def plans_waiting_for_review(user, limit: int = 10) -> tuple[list[MeasurePlan], int]:
    """The plans submitted to a working group the user sits on, oldest first (a page of them), and
    how many there are in all."""
    plans = MeasurePlan.objects.filter(
        status=PlanStatus.SUBMITTED,
        assessment__organisation__in=Organisation.objects.permitting(user, Action.PLAN_REVIEW),
    )
    waiting = list(plans.select_related("assessment__organisation").order_by("updated_at", "pk")[:limit])
    return waiting, (len(waiting) if len(waiting) < limit else plans.count())


# --- Did last year's measures work? (assessments.analytics) ----------------------------------


@dataclass(frozen=True)
class LastYearRow:
    indicator: Indicator | None
    measures: int
    done: int
    before: float | None
    after: float | None
    change: float | None


def last_year_measures(assessment: Assessment) -> list[LastYearRow]:
    """ "มาตรการปีที่แล้ว" for the analysis page: the indicators the organisation's plan for this
    assessment's year (made from the year before's result) had measures on, how many were done,
    and the indicator's score the year before and this year (two queries, then pandas)."""
    import pandas as pd

    from assessments import analytics

    organisation = assessment.organisation_id
    year = assessment.fiscal_year.year
    scores = pd.DataFrame(
        [
            (organisation, y, number, float(score))
            for y, number, score in IndicatorScore.objects.filter(
                assessment__organisation=organisation, assessment__fiscal_year__year__in=(year - 1, year)
            ).values_list("assessment__fiscal_year__year", "indicator__number", "score")
        ],
        columns=["organisation", "year", "indicator", "score"],
    )
    measures = pd.DataFrame(
        list(
            Measure.objects.filter(
                plan__assessment__organisation=organisation, plan__plan_year=year
            ).values_list(
                "plan__assessment__organisation_id", "plan__plan_year", "indicator__number", "kind", "status"
            )
        ),
        columns=["organisation", "plan_year", "indicator", "kind", "status"],
    )
    table = analytics.organisation_before_after(scores, measures, organisation, year)
    indicators = {ind.number: ind for ind in assessment.fiscal_year.indicators.all()}

    def value(x):
        return None if pd.isna(x) else round(float(x), 2)

    return [
        LastYearRow(
            indicator=indicators.get(int(row.indicator)),
            measures=int(row.measures),
            done=int(row.done),
            before=value(row.before),
            after=value(row.after),
            change=value(row.change),
        )
        for row in table.itertuples()
    ]
