"""The next step of an organisation's year, for home's to-do list: what is to be done now, and
the one button that does it for a user whose role may (``ita_portal.permissions``).

The year runs: scores entered → the analysis reviewed and the plan generated → the plan drafted,
submitted, approved (or returned) → the analysis report and plan published → progress reported
each quarter. ``next_step`` reads where one organisation stands in the newest fiscal year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from ita_portal.permissions import RULES, Action
from ita_portal.thai import fiscal_year_of, quarter_bounds, quarter_of

from .choices import CLOSED_STATUSES, PlanStatus
from .models import Measure


@dataclass(frozen=True)
class Step:
    text: str  # where the organisation stands, in Thai
    button: str = ""  # the next action, when this user may take it
    url: str = ""
    tone: str = "primary"  # a Bootstrap colour for the step's badge
    done: bool = False


def _may(roles, action: Action) -> bool:
    return bool(roles & RULES[action])


def next_step(*, organisation, year: int, assessment, roles, due: int = 0) -> Step:
    """The step of ``organisation`` in fiscal year ``year`` (its ``assessment`` of that year, or
    None, with ``assessment.plan`` loaded), for a user with ``roles`` there; ``due``: measures of
    a plan under way not yet reported this quarter."""
    if assessment is None:
        if _may(roles, Action.SCORE_EDIT):
            url = reverse("assessments:assessment-create", args=[organisation.pk]) + f"?year={year}"
            return Step(f"ยังไม่ได้บันทึกผลการประเมินปี {year}", "บันทึกผลการประเมิน", url)
        return Step(f"รอเจ้าหน้าที่บันทึกผลการประเมินปี {year}", tone="secondary")
    if assessment.overall is None:
        url = reverse("assessments:assessment-update", args=[assessment.pk])
        if _may(roles, Action.SCORE_EDIT):
            return Step(f"คะแนนปี {year} ยังไม่ครบ", "กรอกคะแนนให้ครบ", url, tone="warning")
        return Step(f"คะแนนปี {year} ยังไม่ครบ", tone="warning")
    plan = getattr(assessment, "plan", None)
    analysis = reverse("assessment-analysis", args=[assessment.pk])
    if plan is None:
        if _may(roles, Action.PLAN_EDIT):
            return Step(
                f"ผลปี {year} พร้อมแล้ว: ตรวจผลการวิเคราะห์และสร้างร่างแผนมาตรการปี {year + 1}",
                "ตรวจผลและสร้างร่างแผน",
                analysis,
            )
        return Step(f"รอคณะทำงานสร้างร่างแผนมาตรการปี {year + 1}", tone="secondary")
    return _plan_step(plan, roles, due)


def _plan_step(plan, roles, due: int) -> Step:
    """The step of a plan: its edit, its review, its publishing, then its quarterly progress."""
    detail = reverse("measures:plan-detail", args=[plan.pk])
    if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        text = f"ร่างแผนมาตรการปี {plan.plan_year} ({plan.get_status_display()}): แก้ไขแล้วเสนอคณะทำงาน"
        if _may(roles, Action.PLAN_EDIT):
            tone = "warning" if plan.status == PlanStatus.RETURNED else "primary"
            return Step(text, "แก้ไขร่างแผน", detail, tone=tone)
        return Step(text, tone="secondary")
    if plan.status == PlanStatus.SUBMITTED:
        if _may(roles, Action.PLAN_REVIEW):
            return Step(f"แผนมาตรการปี {plan.plan_year} รอคณะทำงานพิจารณา", "พิจารณาแผน", detail)
        return Step(f"แผนมาตรการปี {plan.plan_year} รอคณะทำงานพิจารณา", tone="secondary")
    if plan.status == PlanStatus.APPROVED:
        documents = reverse("reports:plan-documents", args=[plan.pk])
        if _may(roles, Action.DOCUMENT_PUBLISH):
            return Step(
                f"แผนมาตรการปี {plan.plan_year} อนุมัติแล้ว: เผยแพร่รายงานและแผน", "เผยแพร่เอกสาร", documents
            )
        return Step(f"แผนมาตรการปี {plan.plan_year} อนุมัติแล้ว รอผู้ดูแลเผยแพร่", tone="secondary")
    progress = reverse("measures:plan-progress", args=[plan.pk])
    if due and _may(roles, Action.PROGRESS_EDIT):
        return Step(
            f"แผนปี {plan.plan_year}: ยังไม่ได้รายงานความก้าวหน้าไตรมาสนี้ {due} มาตรการ",
            "รายงานความก้าวหน้า",
            progress,
            tone="warning",
        )
    return Step(
        f"แผนปี {plan.plan_year} เผยแพร่แล้ว ความก้าวหน้าเฉลี่ย {plan.progress}%", "ดูความก้าวหน้า", progress, done=True
    )


def due_this_quarter(plans, today: datetime.date) -> dict[int, int]:
    """For plans of the current fiscal year under way: how many open measures have no progress
    report since this quarter began (one query)."""
    year = fiscal_year_of(today)
    start, _ = quarter_bounds(year, quarter_of(today))
    current = [plan.pk for plan in plans if plan.plan_year == year]
    if not current:
        return {}
    return dict(
        Measure.objects.filter(plan__in=current)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(Q(last_update_on__isnull=True) | Q(last_update_on__lt=start))
        .order_by()
        .values("plan")
        .annotate(due=Count("pk"))
        .values_list("plan", "due")
    )
