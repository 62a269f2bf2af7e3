"""What every write of the measures app shares: the action check, the plan lock, saving with history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max

from ita_portal import permissions
from ita_portal.permissions import Action
from ita_portal.stale import StaleEdit, stale_message

from ..models import (
    Measure,
    MeasurePlan,
)
from ..selectors import measure_changes_since


class PlanLocked(ValidationError):
    """The plan is not in a status that allows this change."""


def _require(user, plan_or_assessment, action: Action) -> None:
    permissions.require(user, plan_or_assessment.organisation, action)


def _require_editable(plan: MeasurePlan, user=None) -> None:
    """The plan's measures may change now: drafted or returned, or — for ``user`` of the working
    group — submitted and under their review."""
    if not (plan.is_editable or (user is not None and plan.editable_by(user))):
        raise PlanLocked(
            f"แผนอยู่ในสถานะ “{plan.get_status_display()}” จึงแก้ไขไม่ได้ ต้องให้คณะทำงานเปิดให้แก้ไขอีกครั้งก่อน"
        )


def _save(instance, user) -> None:
    instance._history_user = user
    instance.full_clean()
    instance.save()


def _renumber(plan: MeasurePlan, user) -> None:
    """Number the measures 1, 2, … tool by tool, keeping the order the working group gave them
    within each tool (never re-sorting by indicator): the plan prints tool by tool."""
    measures = sorted(
        plan.measures.select_related("indicator__tool"),
        key=lambda m: (m.indicator.tool.order, m.order, m.pk),
    )
    for order, measure in enumerate(measures, start=1):
        if measure.order != order:
            measure.order = order
            measure._history_user = user
            measure.save(update_fields=["order"])


def _at_end(plan: MeasurePlan) -> int:
    """An order after every measure of the plan (``_renumber`` then puts it last in its tool)."""
    return (plan.measures.aggregate(top=Max("order"))["top"] or 0) + 1


def _lock_plan(plan: MeasurePlan) -> MeasurePlan:
    return (
        MeasurePlan.objects.select_related("assessment__organisation")
        .select_for_update(of=("self",))
        .get(pk=plan.pk)
    )


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
            stale_message("การแก้ไขมาตรการนี้", who),
            [(field, old, new) for field, old, new, _ in changes],
            current.version,
        )
    return current


def _save_measure(measure: Measure, user) -> None:
    measure.version += 1
    _save(measure, user)
