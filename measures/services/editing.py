"""Writes: a plan's measures added, edited, removed and moved by the working group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from ita_portal.permissions import Action

from ..models import (
    Measure,
    MeasurePlan,
)
from ._common import (
    _at_end,
    _lock_measure,
    _lock_plan,
    _renumber,
    _require,
    _require_editable,
    _save,
    _save_measure,
)
from .counters import plan_counters_refresh


@transaction.atomic
def measure_create(*, plan: MeasurePlan, user, values: Mapping[str, Any]) -> Measure:
    """Add a measure by hand at the end of its tool's measures."""
    plan = _lock_plan(plan)
    _require(user, plan, Action.PLAN_EDIT)
    _require_editable(plan, user)
    measure = Measure(plan=plan, edited_at=timezone.now(), **values)
    measure.order = _at_end(plan)  # last of its tool; the others keep their places
    _save(measure, user)
    _renumber(plan, user)
    plan_counters_refresh(plan)
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
    _require_editable(plan, user)
    measure = _lock_measure(measure, expected_version)
    changed = {k: v for k, v in values.items() if getattr(measure, k) != v}
    if not changed:
        return False
    moves_tool = "indicator" in changed and changed["indicator"].tool_id != measure.indicator.tool_id
    for name, value in changed.items():
        setattr(measure, name, value)
    if moves_tool:
        measure.order = _at_end(plan)  # last of its new tool; within a tool it keeps its place
    measure.edited_at = timezone.now()
    measure.outdated = False  # whoever edits it has now seen the latest figures
    _save_measure(measure, user)
    if moves_tool:
        _renumber(plan, user)
    plan_counters_refresh(plan)
    return True


@transaction.atomic
def measure_delete(*, measure: Measure, user) -> None:
    plan = _lock_plan(measure.plan)
    _require(user, plan, Action.PLAN_EDIT)
    _require_editable(plan, user)
    measure._history_user = user
    measure.delete()
    plan_counters_refresh(plan)


@transaction.atomic
def measure_move(*, measure: Measure, user, up: bool) -> bool:
    """Swap a measure with its neighbour under the same tool; False at either end."""
    plan = _lock_plan(measure.plan)
    _require(user, plan, Action.PLAN_EDIT)
    _require_editable(plan, user)
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
