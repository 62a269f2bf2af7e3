"""An organisation's recorded changes to its plans, measures and progress reports."""

from __future__ import annotations

from assessments.history import Change, assessment_changes, history_changes
from assessments.models import Assessment, Membership, Organisation

from ..choices import MeasureStatus
from ..models import Measure, MeasurePlan, ProgressUpdate
from .plans import plan_changes

PROGRESS_FIELDS = {
    "reported_on": "วันที่รายงาน",
    "status": "สถานะ",
    "percent": "ความก้าวหน้า (%)",
    "result": "ผลการดำเนินการ",
    "recommendation": "ข้อเสนอแนะ",
    "cancel_reason": "เหตุผลที่ยกเลิก",
}


def organisation_changes(organisation: Organisation, limit: int = 1000) -> list[Change]:
    """Every recorded change to the organisation's scores, plans, measures, progress and members (who
    joined with which role, changed role or left), newest first.

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
    changes += history_changes(
        Membership.history.filter(organisation=organisation).select_related("user"),
        lambda h: f"สมาชิก {h.user.get_full_name() or h.user.get_username()}" if h.user else "สมาชิก",
        {"role": "บทบาท"},
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
