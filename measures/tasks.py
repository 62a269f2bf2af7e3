"""Background work of the plans (Django tasks; run by ``manage.py run_worker``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from ita_portal import jobs
from ita_portal.responses import XLSX_TYPE

from . import selectors
from .exports import overview_workbook
from .filters import OrganisationFilter


@task()
def export_overview(job_id: int, year: int, user_id: int, filters: dict, sort: str = "") -> None:
    """Every plan of ``year`` the user follows, with completion and lateness, as .xlsx."""
    with jobs.running(job_id, "export_overview"):
        user = get_user_model().objects.get(pk=user_id)
        rows = selectors.administrator_overview(
            user, year, timezone.localdate(), filters=OrganisationFilter(**filters), sort=sort
        )
        jobs.progress(job_id, done=len(rows), total=len(rows))
        jobs.finish(
            job_id,
            message=f"ภาพรวมมาตรการปี {year}: {len(rows):,} แผน",
            content=overview_workbook(rows, year),
            filename=f"ita-measures-overview-{year}.xlsx",
            content_type=XLSX_TYPE,
        )
