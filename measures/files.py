"""The administrators' overview as a ``@file_maker`` (``ita_portal.delivery``)."""

from __future__ import annotations

from django.utils import timezone

from ita_portal.delivery import FileMade, file_maker

from . import selectors
from .exports import overview_workbook
from .filters import OrganisationFilter


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
