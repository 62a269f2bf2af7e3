"""Writes: each plan's counters (measures, done, mean progress, earliest open end), kept in step.

The plans overview lists, filters and sorts thousands of plans by how far along they are; it
reads these columns instead of counting every measure of every plan on each page. Every write
of a measure calls ``plan_counters_refresh`` for its plan, in the same transaction; the data
generator and the migration call it for all the plans they touch. One UPDATE, whatever the
number of plans: each counter is a subquery over the plan's measures.

Lateness moves with the calendar, not with writes, so what is stored is the date it starts
from: ``overdue_from``, the earliest planned end among the measures still open. A plan has
late measures on ``today`` exactly when ``overdue_from < today`` (``Measure.is_late``).
"""

from __future__ import annotations

from django.db.models import Avg, Count, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Round

from assessments import revisions

from ..choices import CLOSED_STATUSES, MeasureStatus
from ..models import COUNTER_FIELDS, Measure, MeasurePlan


def plan_counters_refresh(plans) -> int:
    """Count again the measures of each plan of the queryset (or of one plan); rows updated."""
    if isinstance(plans, MeasurePlan):
        plans = MeasurePlan.objects.filter(pk=plans.pk)
    revisions.count(
        "plans_revision", plans.order_by().values_list("assessment__fiscal_year_id", flat=True).distinct()
    )
    return plans.update(**counter_expressions(Measure))


def counter_expressions(measure_model) -> dict:
    """The UPDATE's value of each counter (``measure_model`` as a migration sees it, or the app's)."""
    of_plan = measure_model.objects.filter(plan=OuterRef("pk")).order_by().values("plan")

    def per_plan(aggregate, default=None):
        value = Subquery(of_plan.annotate(value=aggregate).values("value"))
        return value if default is None else Coalesce(value, default, output_field=IntegerField())

    open_ = ~Q(status__in=CLOSED_STATUSES)
    counters = {
        "measure_count": per_plan(Count("pk"), 0),
        "done_count": per_plan(Count("pk", filter=Q(status=MeasureStatus.DONE)), 0),
        # Half up, as every other rounding here (percentages are whole, so .5 is exact).
        "progress": per_plan(Round(Avg("percent", filter=~Q(status=MeasureStatus.CANCELLED))), 0),
        "overdue_from": per_plan(Min("planned_end_on", filter=open_)),
    }
    assert set(counters) == set(COUNTER_FIELDS)
    return counters
