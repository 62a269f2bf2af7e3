"""The administrators' overview as a ``@file_maker`` (``ita_portal.delivery``)."""

from __future__ import annotations

from django.utils import timezone

from ita_portal.delivery import FileMade, file_maker

from . import selectors
from .exports import overview_workbook, plan_progress_workbook
from .filters import OrganisationFilter
from .models import MeasurePlan


@file_maker
def overview(user, year: int, filters: dict, sort: str = "", *, on_progress=None) -> FileMade:
    """Every plan of ``year`` the user follows (the overview's filters and order), with completion
    and lateness."""
    rows = selectors.administrator_overview(
        user, year, timezone.localdate(), filters=OrganisationFilter(**filters), sort=sort
    )
    if on_progress:
        on_progress(len(rows))
    message = f"ภาพรวมมาตรการปี {year}: {len(rows):,} แผน"
    return FileMade(overview_workbook(rows, year), f"ita-measures-overview-{year}.xlsx", message)


@file_maker
def plan_progress(user, plan_id: int, *, on_progress=None) -> FileMade:
    """A plan the user sees, every measure with its owner, period, status and last report."""
    plan = (
        selectors.plans_for_progress()
        .filter(pk__in=MeasurePlan.objects.visible_to(user).values("pk"))
        .get(pk=plan_id)
    )
    content = plan_progress_workbook(selectors.plan_progress(plan, timezone.localdate()))
    return FileMade(content, f"ita-measures-{plan.plan_year}-{plan.pk}.xlsx")
