"""A plan's page: its measures by tool, the checks of their texts, and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from assessments import calendar
from assessments import selectors as assessment_selectors
from assessments.choices import QuestionKind
from assessments.history import Change, history_changes, history_value
from assessments.models import Assessment, Indicator, Question, Tool
from ita_portal import permissions
from ita_portal.permissions import Action
from ita_portal.stale import saved_by
from ita_portal.thai import quarter_bounds

from .. import checks
from ..choices import MeasureStatus, PlanAction, PlanStatus
from ..models import Measure, MeasurePlan, PlanEvent
from ..workflow import Transition, available_actions


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
    relies_on: list[assessment_selectors.ItemRef]  # as the plan's year numbers them
    schedule: str = ""  # a warning: it answers an OIT item and ends after the items are checked


@dataclass(frozen=True)
class ToolMeasures:
    tool: Tool
    rows: list[MeasureRow]
    first_indicator: Indicator | None = None  # what "เพิ่มมาตรการ" under the tool preselects


def plan_facts(
    plan: MeasurePlan, found: assessment_selectors.AssessmentAnalysis | None = None
) -> checks.Facts:
    """The figures of the plan's assessment that its texts may quote (``found``: its analysis,
    when the caller has it already)."""
    if found is None:
        # With its scores prefetched: the analysis reads every indicator score's indicator.
        assessment = Assessment.objects.with_scores().get(pk=plan.assessment_id)
        found = assessment_selectors.assessment_analysis(assessment)
    return _facts_from(found, plan_year_items(found))


def plan_year_items(found: assessment_selectors.AssessmentAnalysis) -> assessment_selectors.YearItems:
    """The assessment's questions as the plan's year (the next) numbers them."""
    year = found.fiscal_year.year
    return assessment_selectors.items_in_year(found.questions, year, year + 1)


def _facts_from(
    found: assessment_selectors.AssessmentAnalysis, items: assessment_selectors.YearItems
) -> checks.Facts:
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
        codes_by_year={found.fiscal_year.year: frozenset(found.questions)}
        | ({items.year: items.codes} if items.codes else {}),
    )


def oit_schedule(plan: MeasurePlan, measures, questions=None, windows=None, refs=None) -> dict[int, str]:
    """Measure pk → the warning for each measure that answers an OIT item of the assessment and
    ends after the plan year's OIT items are checked (NACC's calendar, estimated if not known;
    ``questions`` by code, ``windows`` and the items as the plan year numbers them, ``refs``, if
    already read)."""
    if windows is None:
        windows = assessment_selectors.calendar_of(plan.plan_year)
    check_date = calendar.oit_check_date(windows)
    if check_date is None:
        return {}
    if questions is None:
        questions = {
            q.code: q for q in Question.objects.filter(fiscal_year_id=plan.assessment.fiscal_year_id)
        }
    if refs is None:
        year = plan.assessment.fiscal_year.year
        refs = assessment_selectors.items_in_year(questions, year, year + 1).refs
    warnings = {}
    for measure in measures:
        codes = dict.fromkeys(measure.question_code_list + measure.relies_on_codes)
        items = [
            refs[c].short for c in codes if c in questions and questions[c].kind == QuestionKind.OIT_ITEM
        ]
        ends = quarter_bounds(plan.plan_year, measure.period_end)[1]
        warning = checks.too_late_for_oit(
            items=items, ends=ends, check_date=check_date, plan_year=plan.plan_year
        )
        if warning:
            warnings[measure.pk] = warning
    return warnings


def measure_findings(measure: Measure, facts: checks.Facts) -> list[checks.TextFinding]:
    return checks.check_texts(
        [("มาตรการ", measure.title), ("ผลการวิเคราะห์", measure.analysis), ("ขั้นตอนดำเนินการ", measure.steps)],
        facts,
    )


def plan_findings(
    plan: MeasurePlan, found: assessment_selectors.AssessmentAnalysis | None = None
) -> list[tuple[Measure, checks.TextFinding]]:
    facts = plan_facts(plan, found)
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
        if self.plan.is_editable:
            return bool(self.roles & permissions.roles_for(Action.PLAN_EDIT))
        # The working group changes a submitted plan in place while reviewing it.
        return self.plan.status == PlanStatus.SUBMITTED and bool(
            self.roles & permissions.roles_for(Action.PLAN_REVIEW)
        )


def plan_page(plan: MeasurePlan, user, windows=None) -> PlanPage:
    """The plan (from ``plans_for_detail``), measures grouped by tool and checked against the records."""
    found = assessment_selectors.assessment_analysis(plan.assessment)
    items = plan_year_items(found)
    facts = _facts_from(found, items)
    measures = list(plan.measures.all())
    by_tool: dict[int, list[Measure]] = {}
    for measure in measures:
        by_tool.setdefault(measure.indicator.tool_id, []).append(measure)
    schedule = oit_schedule(plan, measures, found.questions, windows, items.refs)
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
                    relies_on=[items.refs[c] for c in measure.relies_on_codes if c in items.refs],
                    schedule=schedule.get(measure.pk, ""),
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


def review_changes(plan: MeasurePlan) -> list[Change]:
    """What was changed in the measures during the plan's latest review: between its latest
    submission and the step that ended it (returned, approved) — or now, while under review —,
    newest first, each with who made it. Staff see them when the plan comes back or is approved."""
    events = list(plan.events.order_by("at", "pk").values_list("action", "at"))
    starts = [at for action, at in events if action == PlanAction.SUBMIT]
    if not starts:
        return []
    start = starts[-1]
    end = next((at for _action, at in events if at > start), None)
    return [
        change
        for change in plan_changes(plan)
        if change.subject != "แผน" and change.when > start and (end is None or change.when <= end)
    ]


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
