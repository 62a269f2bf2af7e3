"""The administrators' overview of many plans: filtered, sorted and paged in the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, Max, When

from assessments.models import Assessment, FiscalYear, Organisation
from ita_portal.permissions import Action
from ita_portal.thai import fiscal_year_of

from ..choices import CLOSED_STATUSES, PlanStatus
from ..filters import OrganisationFilter
from ..models import Measure, MeasurePlan


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


def plan_years(user) -> dict[int, bool]:
    """Each plan year that has a plan in the organisations the user follows → whether one of them
    is under way (approved or published), read without scanning the country's plans: for someone
    who follows every organisation, one EXISTS per candidate year (from the fiscal years: a plan's
    year is its assessment's year + 1) with the year as a constant, all in one statement, each
    stopping at the first plan of the year's index; for anyone else, their own plans grouped by
    year (a province's few hundred, whatever the size of the country)."""
    organisations = Organisation.objects.permitting(user, Action.OVERVIEW_VIEW)
    under_way = [PlanStatus.APPROVED, PlanStatus.PUBLISHED]
    if organisations.query.where:
        rows = (
            MeasurePlan.objects.filter(assessment__organisation__in=organisations)
            .order_by()
            .values("plan_year")
            .annotate(running=Max(Case(When(status__in=under_way, then=1), default=0)))
            .values_list("plan_year", "running")
        )
        return {year: bool(running) for year, running in rows}
    plans = MeasurePlan.objects.order_by()
    fiscal_years = FiscalYear.objects.values_list("year", flat=True)
    years = sorted({y + offset for y in fiscal_years for offset in (0, 1)})
    asked = [plans.filter(plan_year=y) for y in years]
    asked += [plans.filter(plan_year=y, status__in=under_way) for y in years]
    parts, params = [], []
    for query in asked:
        sql, values = query.values("pk")[:1].query.sql_with_params()
        parts.append(f"EXISTS({sql})")
        params.extend(values)
    with connection.cursor() as cursor:
        # The ORM's own SQL of each question, its values as parameters.
        cursor.execute("SELECT " + ", ".join(parts), params)  # noqa: S608
        found = cursor.fetchone()
    return {y: bool(found[len(years) + n]) for n, y in enumerate(years) if found[n]}


def overview_years(user, today, found: dict[int, bool] | None = None) -> list[int]:
    """The plan years of the organisations the user follows, and the current one, newest first."""
    found = plan_years(user) if found is None else found
    return sorted(set(found) | {fiscal_year_of(today)}, reverse=True)


def overview_default_year(user, today, found: dict[int, bool] | None = None) -> int:
    """The year the overview opens on: the newest plan year with a plan under way (approved or
    published) in the user's organisations — not a year whose plans are all still drafts — or
    the current fiscal year when none is."""
    found = plan_years(user) if found is None else found
    return max((year for year, under_way in found.items() if under_way), default=fiscal_year_of(today))


def organisations_without_plan(user, plan_year: int) -> int:
    """How many organisations the user follows have the result the plans of ``plan_year`` come
    from (``plan_year`` − 1) but no plan yet (home lists them: ``?year=…&plan=none``)."""
    organisations = Organisation.objects.permitting(user, Action.OVERVIEW_VIEW)
    return Assessment.objects.filter(
        organisations.as_filter("organisation"), fiscal_year__year=plan_year - 1, plan__isnull=True
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
        MeasurePlan.objects.filter(organisations.as_filter("assessment__organisation"), plan_year=plan_year)
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


def plans_waiting_for_review(user, limit: int = 10) -> tuple[list[MeasurePlan], int]:
    """The plans submitted to a working group the user sits on, oldest first (a page of them), and
    how many there are in all."""
    plans = MeasurePlan.objects.filter(
        status=PlanStatus.SUBMITTED,
    ).filter(Organisation.objects.permitting(user, Action.PLAN_REVIEW).as_filter("assessment__organisation"))
    waiting = list(plans.select_related("assessment__organisation").order_by("updated_at", "pk")[:limit])
    return waiting, (len(waiting) if len(waiting) < limit else plans.count())
