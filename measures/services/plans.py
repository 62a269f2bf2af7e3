"""Writes: generating a plan from an assessment (the proposals come from ``measures.generation``),
and the review workflow (``measures.workflow``): submit, approve, return, publish, reopen.

Every function is keyword-only, runs in one transaction, validates with ``full_clean()``
and records the user in the history and, for workflow steps, in ``PlanEvent``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from assessments import selectors
from assessments.models import Assessment
from ita_portal.permissions import Action

from .. import generation
from ..choices import PlanAction
from ..models import (
    Measure,
    MeasurePlan,
    MeasureTemplate,
    PlanEvent,
)
from ..selectors import plan_findings
from ..workflow import TRANSITIONS
from ._common import PlanLocked, _lock_plan, _renumber, _require, _require_editable, _save, _save_measure
from .counters import plan_counters_refresh


def templates_for(found: selectors.AssessmentAnalysis) -> generation.Templates:
    """The year's active templates (year-specific before any-year ones) as generation reads them."""
    code_of = {question.pk: code for code, question in found.questions.items()}
    by_question: dict[str, list[generation.Template]] = {}
    by_indicator: dict[tuple[int, str], generation.Template] = {}
    rows = MeasureTemplate.objects.filter(
        Q(fiscal_year_id=found.fiscal_year.pk) | Q(fiscal_year__isnull=True), active=True
    )
    for row in sorted(rows, key=lambda t: (t.fiscal_year_id is None, t.order, t.key)):
        template = generation.Template(
            key=row.key,
            pk=row.pk,
            indicator_number=row.indicator_number,
            kind=row.kind,
            question_code=code_of.get(row.question_id, "") if row.question_id else "",
            title=row.title,
            analysis=row.analysis,
            steps=row.steps,
            period_start=row.period_start,
            period_end=row.period_end,
            responsible_unit=row.responsible_unit,
            relies_on=row.relies_on,
            target=row.target,
        )
        if row.question_id:
            if template.question_code:  # a question of this year
                by_question.setdefault(template.question_code, []).append(template)
        else:
            by_indicator.setdefault((row.indicator_number, row.kind), template)
    return generation.Templates(by_question=by_question, by_indicator=by_indicator)


def subject_from(found: selectors.AssessmentAnalysis) -> generation.Subject:
    year = found.fiscal_year.year
    items = selectors.items_in_year(found.questions, year, year + 1)
    return generation.Subject(
        items={code: ref.label for code, ref in items.refs.items()},
        organisation=found.assessment.organisation.name,
        year=found.fiscal_year.year,
        target=found.fiscal_year.target_overall,
        tools=[(tool.tool.code, tool.indicators) for tool in found.tools],
        indicator_ids={number: indicator.pk for number, indicator in found.indicators.items()},
    )


def plan_proposals(found: selectors.AssessmentAnalysis) -> list[generation.Proposal]:
    """The measures the year's templates propose for an analysed assessment, in plan order."""
    return generation.proposals(subject_from(found), templates_for(found))


@dataclass
@dataclass
class GenerationReport:
    plan: MeasurePlan
    created: bool
    added: list[Measure] = field(default_factory=list)
    updated: list[Measure] = field(default_factory=list)
    kept_edited: list[Measure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"เพิ่ม {len(self.added)} มาตรการ"]
        if not self.created:
            parts.append(f"ปรับตามผลการประเมิน {len(self.updated)}")
            parts.append(f"คงไว้ตามที่แก้ไข {len(self.kept_edited)}")
            parts.append(f"นำออก {len(self.removed)}")
        return " · ".join(parts)


@transaction.atomic
def plan_generate(*, assessment: Assessment, user) -> GenerationReport:
    """Create the draft plan for the year after ``assessment``, or bring a draft up to date.

    Regenerating updates the generated measures nobody has edited, adds the new
    ones and removes those no longer proposed; a measure the working group has
    edited is never overwritten or removed: it is kept and marked ``outdated``
    when the new proposal differs. Measures added by hand are left alone.
    """
    _require(user, assessment, Action.PLAN_EDIT)
    assessment = Assessment.objects.with_scores().select_for_update(of=("self",)).get(pk=assessment.pk)
    plan = MeasurePlan.objects.filter(assessment=assessment).first()
    created = plan is None
    if created:
        plan = MeasurePlan(assessment=assessment, plan_year=assessment.fiscal_year.year + 1)
        _save(plan, user)
    else:
        _require_editable(plan)
    report = GenerationReport(plan=plan, created=created)
    existing = {m.generated_key: m for m in plan.measures.exclude(generated_key="")}
    next_order = (plan.measures.aggregate(top=Max("order"))["top"] or 0) + 1
    for proposal in plan_proposals(selectors.assessment_analysis(assessment)):
        measure = existing.pop(proposal.key, None)
        if measure is None:
            measure = Measure(
                plan=plan,
                generated_key=proposal.key,
                proposal_digest=proposal.digest(),
                order=next_order,
                **proposal.values(),
            )
            next_order += 1
            _save(measure, user)
            report.added.append(measure)
        else:
            _follow_proposal(measure, proposal, report, user)
    for measure in existing.values():
        _no_longer_proposed(measure, report, user)
    if created:
        _renumber(plan, user)
    plan_counters_refresh(plan)
    PlanEvent.objects.create(
        plan=plan,
        action=PlanAction.GENERATE if created else PlanAction.REGENERATE,
        from_status="" if created else plan.status,
        to_status=plan.status,
        user=user,
        comment=report.summary(),
    )
    return report


def _follow_proposal(measure: Measure, proposal, report: GenerationReport, user) -> None:
    """A generated measure nobody edited takes the new proposal; one the working group edited keeps
    its text and is marked outdated, once, if the proposal moved on."""
    if measure.edited_at is None:
        if any(getattr(measure, k) != v for k, v in proposal.values().items()):
            for name, value in proposal.values().items():
                setattr(measure, name, value)
            measure.proposal_digest = proposal.digest()
            _save_measure(measure, user)
            report.updated.append(measure)
        return
    if measure.proposal_digest != proposal.digest():
        measure.proposal_digest = proposal.digest()
        measure.outdated = True
        _save(measure, user)
    report.kept_edited.append(measure)


def _no_longer_proposed(measure: Measure, report: GenerationReport, user) -> None:
    """A generated measure no longer proposed: removed, unless the working group edited it."""
    if measure.edited_at is None:
        report.removed.append(measure.title)
        measure._history_user = user
        measure.delete()
        return
    if measure.proposal_digest:
        measure.proposal_digest = ""
        measure.outdated = True
        _save(measure, user)
    report.kept_edited.append(measure)


# --- Review workflow --------------------------------------------------------------------------


@transaction.atomic
def _transition(
    *,
    plan: MeasurePlan,
    user,
    action: str,
    comment: str = "",
    meeting_number: str = "",
    meeting_date: datetime.date | None = None,
) -> MeasurePlan:
    plan = _lock_plan(plan)
    transition = TRANSITIONS[action]
    _require(user, plan, transition.permission)
    if plan.status not in transition.sources:
        raise PlanLocked(f"ทำ “{PlanAction(action).label}” ไม่ได้ขณะแผนอยู่ในสถานะ “{plan.get_status_display()}”")
    if transition.needs_comment and not comment.strip():
        raise ValidationError({"comment": "กรุณาระบุเหตุผล"})
    if action == PlanAction.SUBMIT:
        if not plan.measures.exists():
            raise ValidationError("แผนยังไม่มีมาตรการ")
        findings = plan_findings(plan)
        if findings:
            raise ValidationError(f"ข้อความในมาตรการไม่ตรงกับผลการประเมิน {len(findings)} จุด กรุณาแก้ไขก่อนเสนอ")
    event = PlanEvent(
        plan=plan,
        action=action,
        from_status=plan.status,
        to_status=transition.target,
        user=user,
        comment=comment.strip(),
        meeting_number=meeting_number.strip(),
        meeting_date=meeting_date,
    )
    plan.status = transition.target
    if action == PlanAction.APPROVE:
        plan.meeting_number = meeting_number.strip()
        plan.meeting_date = meeting_date
    _save(plan, user)
    event.full_clean()
    event.save()
    return plan


def plan_submit(*, plan: MeasurePlan, user, comment: str = "") -> MeasurePlan:
    """Staff or the working group put the draft before the working group."""
    return _transition(plan=plan, user=user, action=PlanAction.SUBMIT, comment=comment)


def plan_approve(
    *,
    plan: MeasurePlan,
    user,
    meeting_number: str = "",
    meeting_date: datetime.date | None = None,
    comment: str = "",
) -> MeasurePlan:
    """The working group approves the plan, optionally recording its meeting; the plan is then locked."""
    return _transition(
        plan=plan,
        user=user,
        action=PlanAction.APPROVE,
        comment=comment,
        meeting_number=meeting_number,
        meeting_date=meeting_date,
    )


def plan_return(*, plan: MeasurePlan, user, comment: str) -> MeasurePlan:
    """The working group sends the plan back with its comments."""
    return _transition(plan=plan, user=user, action=PlanAction.RETURN, comment=comment)


def plan_publish(*, plan: MeasurePlan, user, comment: str = "") -> MeasurePlan:
    """An administrator publishes the approved plan."""
    return _transition(plan=plan, user=user, action=PlanAction.PUBLISH, comment=comment)


def plan_reopen(*, plan: MeasurePlan, user, comment: str) -> MeasurePlan:
    """The working group reopens an approved or published plan for editing, saying why."""
    return _transition(plan=plan, user=user, action=PlanAction.REOPEN, comment=comment)


PLAN_ACTIONS = {
    PlanAction.SUBMIT: plan_submit,
    PlanAction.APPROVE: plan_approve,
    PlanAction.RETURN: plan_return,
    PlanAction.PUBLISH: plan_publish,
    PlanAction.REOPEN: plan_reopen,
}
