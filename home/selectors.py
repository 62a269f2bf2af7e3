"""Reads for the home page: one page of the user's organisations, filtered and sorted by the
database, each with its stored results (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef

from assessments.models import Assessment, FiscalYear, Organisation
from ita_portal import permissions
from measures.filters import OrganisationFilter


@dataclass(frozen=True)
class OrganisationSummary:
    organisation: Organisation
    can_edit: bool
    assessments: list[Assessment]  # newest first, with their stored results, years and plans
    years_without_assessment: list[FiscalYear]


HOME_PAGE_SIZE = 20


HOME_SORTS = [
    ("province", "จังหวัด"),
    ("name", "ชื่อหน่วยงาน"),
    # Rankings list only the organisations with a result in the chosen year.
    ("overall", "คะแนนรวมของปีที่เลือก มากไปน้อย (เฉพาะที่มีผล)"),
    ("overall_asc", "คะแนนรวมของปีที่เลือก น้อยไปมาก (เฉพาะที่มีผล)"),
]


@dataclass(frozen=True)
class HomePage:
    summaries: list[OrganisationSummary]
    page: Any  # django.core.paginator.Page of organisations
    total: int  # organisations the user sees, before the filters
    newest_year: FiscalYear | None  # the year whose next step home shows


def home_page(
    user, *, filters: OrganisationFilter, year: int | None, today, sort: str = "province", page: int = 1
) -> HomePage:
    """One page of the user's organisations, filtered and sorted by the database (the results'
    filters and the overall sort on the assessment of ``year``), each with its stored results:
    a fixed number of queries whatever the number of organisations or years."""

    visible = Organisation.objects.visible_to(user)
    chosen = visible.filter(filters.organisation_q())
    # The year's id, as a subquery the planner resolves first: the stored-result indexes start with it.
    year_id = FiscalYear.objects.filter(year=year).values("pk")[:1]
    of_year = Assessment.objects.filter(fiscal_year=year_id).filter(
        filters.result_q(today, assessment="", plan="plan__")
    )
    if sort in ("overall", "overall_asc") and year:
        # A ranking: the organisations with a result that year, paged through the year's
        # assessments in the order of their stored overall (the (year, overall) index).
        overall = (
            F("overall").desc(nulls_last=True) if sort == "overall" else F("overall").asc(nulls_last=True)
        )
        ranked = of_year.filter(chosen.as_filter("organisation")).order_by(
            overall, "organisation__name", "pk"
        )
        current = Paginator(ranked.values_list("organisation_id", flat=True), HOME_PAGE_SIZE).get_page(page)
        found = Organisation.objects.in_bulk(list(current.object_list))
        organisations = [found[pk] for pk in current.object_list]
    else:
        if filters.on_results:
            chosen = chosen.filter(pk__in=of_year.values("organisation_id"))
        order = ["name", "pk"] if sort == "name" else ["province", "name", "pk"]
        current = Paginator(chosen.order_by(*order), HOME_PAGE_SIZE).get_page(page)
        organisations = list(current.object_list)
    years = list(FiscalYear.objects.order_by("-year"))
    return HomePage(
        summaries=home_summaries(user, organisations, years),
        page=current,
        total=visible.count() if filters or sort.startswith("overall") else current.paginator.count,
        newest_year=years[0] if years else None,
    )


def home_summaries(
    user, organisations: list[Organisation], years: list[FiscalYear]
) -> list[OrganisationSummary]:
    """The organisations, each with its assessments newest first (stored results, plans)."""
    editable = set(
        Organisation.objects.permitting(user, permissions.Action.SCORE_EDIT)
        .filter(pk__in=[org.pk for org in organisations])
        .values_list("pk", flat=True)
    )
    assessments = (
        Assessment.objects.filter(organisation__in=organisations)
        .select_related("fiscal_year", "level", "plan")
        .order_by("-fiscal_year__year")
    )
    by_org: dict[int, list[Assessment]] = {org.pk: [] for org in organisations}
    for assessment in assessments:
        by_org[assessment.organisation_id].append(assessment)
    return [
        OrganisationSummary(
            organisation=org,
            can_edit=org.pk in editable,
            assessments=by_org[org.pk],
            years_without_assessment=[
                fy for fy in years if fy.pk not in {a.fiscal_year_id for a in by_org[org.pk]}
            ],
        )
        for org in organisations
    ]


def latest_assessed_year(organisations) -> int | None:
    """The newest fiscal year in which any of ``organisations`` has an assessment."""
    return (
        FiscalYear.objects.filter(
            Exists(Assessment.objects.filter(fiscal_year=OuterRef("pk"), organisation__in=organisations))
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
