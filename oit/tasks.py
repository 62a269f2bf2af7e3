"""The OIT link check as a background task (``ita_portal.jobs``): on demand from the register page,
and queued daily by ``manage.py check_oit_links``."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from assessments.models import FiscalYear, Organisation
from ita_portal import jobs


def link_policy():
    """The link checker's policy from the settings."""
    from django.conf import settings

    from .linkcheck import Policy

    return Policy(
        timeout=settings.LINKCHECK_TIMEOUT,
        max_bytes=settings.LINKCHECK_MAX_MB * 1024 * 1024,
        per_host_interval=settings.LINKCHECK_HOST_INTERVAL,
        allow_loopback=settings.LINKCHECK_ALLOW_LOOPBACK,
    )


@task()
def check_register(job_id: int, organisation_id: int, year: int) -> None:
    """Check every link of an organisation's OIT register of ``year``."""
    from .selectors import register_items
    from .services import register_check

    with jobs.running(job_id, "check_register"):
        organisation = Organisation.objects.get(pk=organisation_id)
        fiscal_year = FiscalYear.objects.get(year=year)
        items = [item for item in register_items(organisation, fiscal_year) if item.url_list]
        links = len({url for item in items for url in item.url_list})
        jobs.progress(job_id, done=0, total=links)
        summary = register_check(
            items=items, policy=link_policy(), on_progress=lambda done: jobs.progress(job_id, done=done)
        )
        counts = summary.verdicts
        jobs.finish(
            job_id,
            message=(
                f"ตรวจ {summary.links:,} ลิงก์แล้ว ผลรายข้อ: ใช้ได้ {counts.get('ok', 0):,}"
                f" · ควรตรวจ {counts.get('warn', 0):,} · ใช้ไม่ได้ {counts.get('fail', 0):,}"
            ),
            next_url=reverse("oit:register", kwargs={"pk": organisation_id, "year": year}),
        )
