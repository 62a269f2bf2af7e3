"""The OIT link check as a background task (``ita_portal.jobs``): on demand from the register page,
and every night for each register not checked lately (``check_due_registers``, on the portal's
schedule; ``manage.py check_oit_links`` does the same out of turn)."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from assessments.models import FiscalYear, Organisation
from ita_portal import jobs
from ita_portal.models import JobKind

from .signals import register_checked

logger = logging.getLogger(__name__)
# Scheduled checks can keep a worker busy for hours (a pause per web site); the worker takes the
# highest priority first, so they wait behind anything queued by a person (priority 0).
SCHEDULED_PRIORITY = -50


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
        # Whoever listens (the notifications) never fails the check: their errors are logged.
        for receiver, error in register_checked.send_robust(
            check_register, organisation=organisation_id, year=year, job_id=job_id
        ):
            if isinstance(error, Exception):
                logger.error("after the link check: %s failed", receiver, exc_info=error)
        jobs.finish(
            job_id,
            message=(
                f"ตรวจ {summary.links:,} ลิงก์แล้ว ผลรายข้อ: ใช้ได้ {counts.get('ok', 0):,}"
                f" · ควรตรวจ {counts.get('warn', 0):,} · ใช้ไม่ได้ {counts.get('fail', 0):,}"
            ),
            next_url=reverse("oit:register", kwargs={"pk": organisation_id, "year": year}),
        )


def queue_due_checks(fiscal_year: FiscalYear, *, days: int = 7) -> int:
    """Queue a check of every register of ``fiscal_year`` with links not checked for ``days``
    (one job per organisation, joined if one is already waiting); how many were queued."""
    from .models import RegisterItem

    since = timezone.now() - datetime.timedelta(days=days)
    due = (
        RegisterItem.objects.filter(fiscal_year=fiscal_year)
        .exclude(urls="")
        .values("organisation_id", "organisation__name")
        .annotate(last=Max("checks__checked_at"))
        .filter(Q(last__isnull=True) | Q(last__lt=since))
        .order_by("organisation_id")
    )
    queued = 0
    for row in due:
        organisation = row["organisation_id"]
        job, created = jobs.start_or_join(
            kind=JobKind.LINKCHECK,
            key=f"linkcheck:{organisation}:{fiscal_year.year}",
            user=None,
            title=f"ตรวจลิงก์ OIT ปี {fiscal_year.year} · {row['organisation__name']} (ตามกำหนด)",
            next_url=reverse("oit:register", kwargs={"pk": organisation, "year": fiscal_year.year}),
        )
        if created:
            # Below everything a person is waiting for: a page's PDF, an export, an import.
            jobs.enqueue(
                job, check_register.using(priority=SCHEDULED_PRIORITY), organisation, fiscal_year.year
            )
            queued += 1
    return queued


@task()
def check_due_registers() -> None:
    """Every night (ita_portal.schedule): the current register year's checks that are due."""
    from .selectors import register_year

    fiscal_year = register_year(timezone.localdate())
    if fiscal_year is not None:
        queue_due_checks(fiscal_year)
