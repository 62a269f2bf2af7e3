"""A plan's progress: each measure with its newest report, and the quarter's counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from ita_portal.thai import quarter_of

from ..choices import MeasureStatus
from ..models import Measure, MeasurePlan, ProgressUpdate


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
