"""Housekeeping the schedule runs every night (``ita_portal.schedule``): finished jobs and their
result files, the task queue's finished rows, and the schedule's own old claims, all after
``JOBS_KEEP_DAYS``. A job still queued or running is never touched, whatever its age."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks_db import DatabaseBackend

from .jobs import work_storage
from .models import FINISHED, Job, ScheduledRun

logger = logging.getLogger(__name__)


def prune_jobs(now: datetime.datetime | None = None) -> int:
    """Remove finished jobs older than ``JOBS_KEEP_DAYS`` with their result files; how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.JOBS_KEEP_DAYS)
    old = Job.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)
    files = work_storage()
    for name in old.exclude(result_name="").values_list("result_name", flat=True).iterator():
        try:
            files.delete(name)
        except OSError:
            logger.warning("job result not removed", extra={"file": name}, exc_info=True)
    count, _ = old.delete()
    return count


@task()
def prune() -> None:
    now = timezone.now()
    jobs = prune_jobs(now)
    if isinstance(task_backends["default"], DatabaseBackend):
        call_command(
            "prune_db_task_results", min_age_days=settings.JOBS_KEEP_DAYS, queue_name="*", verbosity=0
        )
    claims, _ = ScheduledRun.objects.filter(
        slot__lt=now - datetime.timedelta(days=settings.JOBS_KEEP_DAYS)
    ).delete()
    logger.info("pruned", extra={"jobs": jobs, "claims": claims})
