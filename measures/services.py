"""Writes: generating a plan from an assessment, editing its measures, and the review workflow.

Every function is keyword-only, runs in one transaction, validates with
``full_clean()`` and records the user in the history (django-simple-history) and,
for workflow steps, in ``PlanEvent``. Permission is checked here as well as in
the views, so no caller can skip it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from assessments import analysis, selectors
from assessments.models import Assessment, FiscalYear, Question
from assessments.scoring import format_score
from ita_portal import permissions
from ita_portal.permissions import Action
from ita_portal.stale import StaleEdit, stale_message

from .choices import TRACKED_STATUSES, MeasureKind, PlanAction
from .evidence import EvidenceRejected, check_upload
from .models import (
    OPTIONAL_SEGMENT,
    Evidence,
    Measure,
    MeasurePlan,
    MeasureTemplate,
    PlanEvent,
    ProgressUpdate,
    placeholders_in,
)
from .selectors import measure_changes_since, plan_findings
from .workflow import TRANSITIONS

# The fields of a measure that a person edits and that generation fills.
TEXT_FIELDS = ("title", "analysis", "steps", "period_start", "period_end", "responsible_unit", "relies_on")
GENERATED_FIELDS = (*TEXT_FIELDS, "indicator_id", "kind", "urgent", "question_codes", "template_id")


class PlanLocked(ValidationError):
    """The plan is not in a status that allows this change."""


def _require(user, plan_or_assessment, action: Action) -> None:
    permissions.require(user, plan_or_assessment.organisation, action)


def _require_editable(plan: MeasurePlan) -> None:
    if not plan.is_editable:
        raise PlanLocked(
            f"แผนอยู่ในสถานะ “{plan.get_status_display()}” จึงแก้ไขไม่ได้ ต้องให้คณะทำงานเปิดให้แก้ไขอีกครั้งก่อน"
        )


def _save(instance, user) -> None:
    instance._history_user = user
    instance.full_clean()
    instance.save()


# --- Generation -------------------------------------------------------------------------------


@dataclass
class Proposal:
    """A measure as the templates and the figures propose it."""

    key: str
    indicator_id: int
    kind: str
    urgent: bool
    question_codes: str
    template_id: int | None
    title: str
    analysis: str
    steps: str
    period_start: int
    period_end: int
    responsible_unit: str
    relies_on: str

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in GENERATED_FIELDS}

    def digest(self) -> str:
        """A fingerprint of the proposal, to tell whether a later one differs."""
        text = json.dumps(self.values(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


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


class _SafeFormat(dict):
    def __missing__(self, key: str) -> str:  # a template checked by clean() never gets here
        return "{" + key + "}"


def _fill(text: str, values: Mapping[str, str]) -> str:
    """The template's text with its placeholders filled; an optional segment ("[[ … ]]") is
    printed only when every placeholder inside it has a value, so no dash or "unknown" stands
    where a fact is missing."""

    def segment(match) -> str:
        inner = match.group(1)
        return inner if all(values.get(name) for name in placeholders_in(inner)) else ""

    return OPTIONAL_SEGMENT.sub(segment, text).format_map(_SafeFormat(values))


def _question_label(q: analysis.QuestionFacts) -> str:
    return f"{q.code} ({format_score(q.score)} คะแนน)" if q.score is not None else q.code


def _recommendation_sentence(items: list[tuple[str, str]]) -> str:
    said = [(who, text.strip()) for who, text in items if text.strip()]
    if not said:
        return ""
    return " " + " ".join(f"ผู้ตรวจประเมินเสนอแนะ{who} ว่า “{text}”" for who, text in said)


def _templates_for(fiscal_year_id: int) -> tuple[dict[int, list], dict[tuple[int, str], MeasureTemplate]]:
    """Question templates by question id, and indicator templates by (number, kind), the year's first."""
    by_question: dict[int, list[MeasureTemplate]] = {}
    by_indicator: dict[tuple[int, str], MeasureTemplate] = {}
    templates = MeasureTemplate.objects.filter(
        Q(fiscal_year_id=fiscal_year_id) | Q(fiscal_year__isnull=True), active=True
    )
    # Year-specific templates sort before the any-year ones.
    for template in sorted(templates, key=lambda t: (t.fiscal_year_id is None, t.order, t.key)):
        if template.question_id:
            by_question.setdefault(template.question_id, []).append(template)
        else:
            by_indicator.setdefault((template.indicator_number, template.kind), template)
    return by_question, by_indicator


def _fallback_template(number: int, kind: str) -> MeasureTemplate:
    """Used only if the admin removed every template for an indicator: plain, but never missing."""
    if kind == MeasureKind.KEEP:
        return MeasureTemplate(
            key=f"builtin-keep-{number}",
            indicator_number=number,
            kind=kind,
            title="มาตรการรักษามาตรฐานตัวชี้วัดที่ {indicator_number} {indicator_name}",
            analysis="ตัวชี้วัดที่ {indicator_number} {indicator_name} ได้ {indicator_score} คะแนน",
            steps="ทบทวนการดำเนินงานที่ทำให้ได้ผลดีและดำเนินการต่อเนื่อง",
        )
    return MeasureTemplate(
        key=f"builtin-improve-{number}",
        indicator_number=number,
        kind=kind,
        title="มาตรการพัฒนาตัวชี้วัดที่ {indicator_number} {indicator_name}",
        analysis="ตัวชี้วัดที่ {indicator_number} {indicator_name} ได้ {indicator_score} คะแนน",
        steps="วิเคราะห์สาเหตุของคะแนนที่ได้และกำหนดแนวทางแก้ไข",
    )


def plan_proposals(found: selectors.AssessmentAnalysis) -> list[Proposal]:
    """The measures the templates propose for an analysed assessment, in plan order.

    An indicator to improve gets one measure per template of each of its weak
    questions, and its indicator template for the weak questions without one (or
    when no question scores were entered); an indicator to keep gets its
    keep-at-standard template.
    """
    assessment = found.assessment
    by_question, by_indicator = _templates_for(assessment.fiscal_year_id)
    base = {
        "organisation": assessment.organisation.name,
        "year": str(found.fiscal_year.year),
        "plan_year": str(found.fiscal_year.year + 1),
        "target": format_score(found.fiscal_year.target_overall),
    }
    proposals = []
    for tool in found.tools:
        for item in tool.indicators:
            ind = item.indicator
            indicator = found.indicators[ind.number]
            values = {
                **base,
                "indicator_number": str(ind.number),
                "indicator_name": ind.name,
                "indicator_score": format_score(ind.score),
                "tool": tool.tool.code,
                "weak_questions": ", ".join(_question_label(q) for q in item.weaknesses),
                "strong_questions": ", ".join(q.code for q in item.strengths),
                "question_code": "",
                "question_text": "",
                "question_score": "",
            }
            groups: list[tuple[MeasureTemplate, list[analysis.QuestionFacts]]] = []
            if item.to_improve:
                uncovered = []
                for q in item.weaknesses:
                    templates = by_question.get(found.questions[q.code].pk, [])
                    groups.extend((t, [q]) for t in templates)
                    if not templates:
                        uncovered.append(q)
                if uncovered or not groups:
                    template = by_indicator.get((ind.number, MeasureKind.IMPROVE)) or _fallback_template(
                        ind.number, MeasureKind.IMPROVE
                    )
                    groups.append((template, uncovered))
            else:
                template = by_indicator.get((ind.number, MeasureKind.KEEP)) or _fallback_template(
                    ind.number, MeasureKind.KEEP
                )
                groups.append((template, []))
            for template, questions in groups:
                filled = dict(values)
                if len(questions) == 1:
                    q = questions[0]
                    filled.update(
                        question_code=q.code,
                        question_text=q.text,
                        question_score=format_score(q.score),
                    )
                if questions:
                    filled["weak_questions"] = ", ".join(_question_label(q) for q in questions)
                said = [(f"ในข้อ {q.code}", q.recommendation) for q in questions]
                if not template.question_id:
                    said.insert(0, ("ต่อตัวชี้วัดนี้", ind.recommendation))
                proposals.append(
                    Proposal(
                        key=f"{template.key}@{ind.number}",
                        indicator_id=indicator.pk,
                        kind=MeasureKind.IMPROVE if item.to_improve else MeasureKind.KEEP,
                        urgent=item.urgent,
                        question_codes=", ".join(q.code for q in questions),
                        template_id=template.pk,
                        title=_fill(template.title, filled),
                        analysis=_fill(template.analysis, filled).strip()
                        + _recommendation_sentence(said if item.to_improve else []),
                        steps=_fill(template.steps, filled),
                        period_start=template.period_start,
                        period_end=template.period_end,
                        responsible_unit=template.responsible_unit,
                        relies_on=template.relies_on,
                    )
                )
    return proposals


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
    found = selectors.assessment_analysis(assessment)
    proposals = plan_proposals(found)
    existing = {m.generated_key: m for m in plan.measures.exclude(generated_key="")}
    next_order = (plan.measures.aggregate(top=Max("order"))["top"] or 0) + 1
    for proposal in proposals:
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
        elif measure.edited_at is None:
            if any(getattr(measure, k) != v for k, v in proposal.values().items()):
                for name, value in proposal.values().items():
                    setattr(measure, name, value)
                measure.proposal_digest = proposal.digest()
                _save_measure(measure, user)
                report.updated.append(measure)
        else:
            # Edited by the working group: keep its text; say so once if the proposal moved on.
            if measure.proposal_digest != proposal.digest():
                measure.proposal_digest = proposal.digest()
                measure.outdated = True
                _save(measure, user)
            report.kept_edited.append(measure)
    for measure in existing.values():
        if measure.edited_at is None:
            report.removed.append(measure.title)
            measure._history_user = user
            measure.delete()
        else:
            if measure.proposal_digest:
                measure.proposal_digest = ""
                measure.outdated = True
                _save(measure, user)
            report.kept_edited.append(measure)
    if created:
        _renumber(plan, user)
    PlanEvent.objects.create(
        plan=plan,
        action=PlanAction.GENERATE if created else PlanAction.REGENERATE,
        from_status="" if created else plan.status,
        to_status=plan.status,
        user=user,
        comment=report.summary(),
    )
    return report


def _renumber(plan: MeasurePlan, user) -> None:
    """Order the measures by tool, then indicator, keeping the relative order within each."""
    measures = sorted(
        plan.measures.select_related("indicator__tool"),
        key=lambda m: (m.indicator.tool.order, m.indicator.number, m.order, m.pk),
    )
    for order, measure in enumerate(measures, start=1):
        if measure.order != order:
            measure.order = order
            measure._history_user = user
            measure.save(update_fields=["order"])


# --- Editing ----------------------------------------------------------------------------------


def _lock_plan(plan: MeasurePlan) -> MeasurePlan:
    return (
        MeasurePlan.objects.select_related("assessment__organisation")
        .select_for_update(of=("self",))
        .get(pk=plan.pk)
    )


@transaction.atomic
def measure_create(*, plan: MeasurePlan, user, values: Mapping[str, Any]) -> Measure:
    """Add a measure by hand at the end of its tool's measures."""
    plan = _lock_plan(plan)
    _require(user, plan, Action.PLAN_EDIT)
    _require_editable(plan)
    measure = Measure(plan=plan, edited_at=timezone.now(), **values)
    measure.order = (plan.measures.aggregate(top=Max("order"))["top"] or 0) + 1
    _save(measure, user)
    _renumber(plan, user)
    return measure


@transaction.atomic
def measure_update(
    *, measure: Measure, user, values: Mapping[str, Any], expected_version: int | None = None
) -> bool:
    """Change a measure's fields; returns whether anything changed. An edited measure is never regenerated.

    With ``expected_version`` (the version the form showed), a measure someone else
    saved in the meantime is refused with ``StaleEdit`` rather than overwritten.
    """
    plan = _lock_plan(measure.plan)
    _require(user, plan, Action.PLAN_EDIT)
    _require_editable(plan)
    measure = _lock_measure(measure, expected_version)
    changed = {k: v for k, v in values.items() if getattr(measure, k) != v}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(measure, name, value)
    measure.edited_at = timezone.now()
    measure.outdated = False  # whoever edits it has now seen the latest figures
    _save_measure(measure, user)
    if "indicator" in changed:
        _renumber(plan, user)
    return True


@transaction.atomic
def measure_delete(*, measure: Measure, user) -> None:
    plan = _lock_plan(measure.plan)
    _require(user, plan, Action.PLAN_EDIT)
    _require_editable(plan)
    measure._history_user = user
    measure.delete()


@transaction.atomic
def measure_move(*, measure: Measure, user, up: bool) -> bool:
    """Swap a measure with its neighbour under the same tool; False at either end."""
    plan = _lock_plan(measure.plan)
    _require(user, plan, Action.PLAN_EDIT)
    _require_editable(plan)
    siblings = list(
        plan.measures.filter(indicator__tool_id=measure.indicator.tool_id).order_by("order", "pk")
    )
    index = next(i for i, m in enumerate(siblings) if m.pk == measure.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return False
    other = siblings[other_index]
    current = siblings[index]
    current.order, other.order = other.order, current.order
    for item in (current, other):
        item._history_user = user
        item.save(update_fields=["order"])
    return True


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


# --- Template library -------------------------------------------------------------------------


@transaction.atomic
def measure_templates_load(*, data: Mapping[str, Any]) -> tuple[int, int]:
    """Create or update templates from their data file (parsed JSON), matched by (year, key).

    All or nothing: every template is validated with ``full_clean()``; the first bad
    one raises ``ValidationError`` naming it and nothing is written. Templates added
    in the admin and absent from the file are kept. Returns (created, updated).
    """
    items = data.get("templates")
    if not isinstance(items, list):
        raise ValidationError("ไฟล์แม่แบบต้องมีรายการ templates")
    years = {fy.year: fy for fy in FiscalYear.objects.all()}
    questions = {
        (q.fiscal_year.year, q.code): q for q in Question.objects.select_related("fiscal_year", "indicator")
    }
    created = updated = 0
    for index, item in enumerate(items, start=1):
        label = f"แม่แบบที่ {index} ({item.get('key', '?')}, ปี {item.get('year') or 'ทุกปี'})"
        year = item.get("year")
        if year is not None and year not in years:
            raise ValidationError(f"{label}: ยังไม่มีกรอบการประเมินปี {year} ให้โหลด load_framework ก่อน")
        question = None
        if item.get("question"):
            question = questions.get((year, item["question"]))
            if question is None:
                raise ValidationError(f"{label}: ปี {year} ไม่มีข้อ {item['question']}")
        period = item.get("period", [1, 4])
        values = {
            "indicator_number": item["indicator"],
            "question": question,
            "kind": item.get("kind", MeasureKind.IMPROVE),
            "title": item["title"],
            "analysis": item["analysis"],
            "steps": "\n".join(item["steps"]),
            "period_start": period[0],
            "period_end": period[1],
            "responsible_unit": item.get("responsible_unit", "คณะทำงาน ITA"),
            "relies_on": ", ".join(item.get("relies_on", [])),
            "order": item.get("order", 0),
        }
        template = MeasureTemplate.objects.filter(fiscal_year=years.get(year), key=item["key"]).first()
        if template is None:
            template = MeasureTemplate(fiscal_year=years.get(year), key=item["key"])
            created += 1
        elif all(getattr(template, k) == v for k, v in values.items()):
            continue
        else:
            updated += 1
        for name, value in values.items():
            setattr(template, name, value)
        try:
            template.full_clean()
        except ValidationError as exc:
            raise ValidationError(f"{label}: {'; '.join(exc.messages)}") from None
        template.save()
    return created, updated


def measure_templates_flag_changed(*, fiscal_year: FiscalYear, changes) -> list[MeasureTemplate]:
    """Mark for review the year's templates whose item changed wording (``framework_load``'s
    ``changed_items``): those proposed for that question or item and those relying on it.

    The template's text is kept as it is; ``review_note`` says what changed, and the
    administrator clears ``needs_review`` in the admin once the text is checked.
    """
    if not changes:
        return []
    by_code = {change.code.casefold(): change for change in changes}
    flagged = []
    templates = MeasureTemplate.objects.filter(fiscal_year=fiscal_year).select_related("question")
    for template in templates:
        hits = []
        if template.question_id and template.question.code.casefold() in by_code:
            hits.append(by_code[template.question.code.casefold()])
        hits += [by_code[c.casefold()] for c in template.relies_on_codes if c.casefold() in by_code]
        if not hits:
            continue
        notes = [
            f"ปี {fiscal_year.year} ข้อ {c.code} เปลี่ยนจาก “{c.old}” เป็น “{c.new}”" for c in dict.fromkeys(hits)
        ]
        template.needs_review = True
        template.review_note = "\n".join(notes)
        template.full_clean()
        template.save(update_fields=["needs_review", "review_note"])
        flagged.append(template)
    return flagged


# --- Carrying the plan out --------------------------------------------------------------------


TRACKING_FIELDS = ("owner_person", "responsible_unit", "start_date", "end_date")


def _lock_measure(measure: Measure, expected_version: int | None) -> Measure:
    """The measure locked for writing; StaleEdit if it changed since the form showed ``expected_version``."""
    current = (
        Measure.objects.select_related("plan__assessment__organisation", "indicator")
        .select_for_update(of=("self",))
        .get(pk=measure.pk)
    )
    if expected_version is not None and current.version != expected_version:
        changes = measure_changes_since(current, expected_version)
        who = changes[0][3] if changes else ""
        raise StaleEdit(
            stale_message("การแก้ไขมาตรการนี้", who), [(field, old, new) for field, old, new, _ in changes]
        )
    return current


def _save_measure(measure: Measure, user) -> None:
    measure.version += 1
    _save(measure, user)


@transaction.atomic
def measure_track(*, measure: Measure, user, values: Mapping[str, Any], expected_version: int | None) -> bool:
    """Set who carries a measure out and its dates, while its plan is approved or published."""
    measure = _lock_measure(measure, expected_version)
    _require(user, measure.plan, Action.PROGRESS_EDIT)
    if measure.plan.status not in TRACKED_STATUSES:
        raise PlanLocked("ติดตามผลได้เมื่อแผนได้รับอนุมัติแล้ว")
    changed = {k: v for k, v in values.items() if k in TRACKING_FIELDS and getattr(measure, k) != v}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(measure, name, value)
    _save_measure(measure, user)
    return True


@dataclass
class Upload:
    """A file as received: its name, its content (read once), and its size."""

    name: str
    content: bytes


@transaction.atomic
def progress_report(
    *,
    measure: Measure,
    user,
    reported_on: datetime.date,
    status: str,
    percent: int,
    result: str,
    recommendation: str = "",
    cancel_reason: str = "",
    links: list[str] = (),
    files: list[Upload] = (),
    expected_version: int | None = None,
):
    """Record progress on a measure of an approved plan, with its evidence, in one transaction.

    Every file is checked (type by content, size) before anything is written. The
    measure's status, percentage and last-update date follow its latest update by
    date, so a late-entered older report does not overwrite a newer one.
    """
    if sum(len(upload.content) for upload in files) > settings.EVIDENCE_MAX_TOTAL_BYTES:
        raise ValidationError(
            {"files": f"ไฟล์หลักฐานรวมกันเกิน {settings.EVIDENCE_MAX_TOTAL_BYTES // 1024 // 1024} MB ต่อหนึ่งรายงาน"}
        )
    kinds = []
    for upload in files:
        try:
            kinds.append(
                check_upload(
                    upload.name, upload.content[:16], len(upload.content), settings.EVIDENCE_MAX_BYTES
                )
            )
        except EvidenceRejected as exc:
            raise ValidationError({"files": exc.message}) from None
    measure = _lock_measure(measure, expected_version)
    _require(user, measure.plan, Action.PROGRESS_EDIT)
    if measure.plan.status not in TRACKED_STATUSES:
        raise PlanLocked("บันทึกความก้าวหน้าได้เมื่อแผนได้รับอนุมัติแล้ว")
    update = ProgressUpdate(
        measure=measure,
        reported_on=reported_on,
        status=status,
        percent=percent,
        result=result.strip(),
        recommendation=recommendation.strip(),
        cancel_reason=cancel_reason.strip(),
        created_by=user,
    )
    _save(update, user)
    for link in links:
        evidence = Evidence(update=update, url=link)
        evidence.full_clean()
        evidence.save()
    for upload, kind in zip(files, kinds, strict=True):
        evidence = Evidence(
            update=update,
            original_name=upload.name[:255],
            content_type=kind.content_type,
            size=len(upload.content),
        )
        evidence.file.save(upload.name, ContentFile(upload.content), save=False)
        evidence.save()
    latest = measure.updates.order_by("-reported_on", "-pk").first()
    measure.status = latest.status
    measure.percent = latest.percent
    measure.cancel_reason = latest.cancel_reason
    measure.last_update_on = latest.reported_on
    _save_measure(measure, user)
    return update
