"""The portal's own schedule: periodic tasks declared once here, queued by every ``run_worker``
(``make run``, ``make serve``, a server's service) without a system cron.

Each entry is a cron expression in the portal's time zone (Asia/Bangkok) and a task's dotted path.
``tick`` runs every few seconds in each worker's supervisor: for each entry it finds the latest
time that has come, and claims it by inserting a ``ScheduledRun`` row; the insert and the task's
queueing are one transaction, and the (name, time) pair is unique, so however many workers tick,
one queues it and the others are refused by the database. A worker that was down when a time
came catches up with the latest missed time once (not every one it missed); a first start only
takes a time of the last ``FIRST_RUN_WINDOW``, so installing the portal at noon does not run
the night's work at once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from cronsim import CronSim
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)
FIRST_RUN_WINDOW = datetime.timedelta(minutes=15)
CATCH_UP = datetime.timedelta(days=2)  # how far back a missed time is still run


@dataclass(frozen=True)
class Entry:
    name: str
    cron: str  # minute hour day month weekday, Asia/Bangkok
    task: str  # dotted path of a django_tasks task without arguments
    priority: int = 0


SCHEDULE = (
    # Night: housekeeping first, then the link checks (hours of polite fetching, behind people's work).
    Entry("prune", "15 2 * * *", "ita_portal.scheduled.prune"),
    Entry("prune-renders", "20 2 * * *", "reports.tasks.prune_renders"),
    Entry("sweep-files", "45 2 * * *", "reports.tasks.sweep_files"),
    Entry("check-oit-links", "30 2 * * *", "oit.tasks.check_due_registers", priority=-50),
    # Morning: the day's reminders, then everyone's digest of what waits for them.
    Entry("reminders", "0 7 * * *", "notifications.tasks.remind"),
    Entry("digests", "30 7 * * *", "notifications.tasks.send_digests"),
    # E-mail asked for at once, and any that failed, sent again.
    Entry("send-pending", "*/10 * * * *", "notifications.tasks.send_pending"),
)


def latest_time(cron: str, now: datetime.datetime, since: datetime.datetime) -> datetime.datetime | None:
    """The latest time of ``cron`` after ``since`` and not after ``now`` (None if none came)."""
    latest = None
    for moment in CronSim(cron, timezone.localtime(since)):
        if moment > now:
            return latest
        latest = moment
    return latest  # pragma: no cover (CronSim never ends)


def due(entry: Entry, now: datetime.datetime) -> datetime.datetime | None:
    """The time of ``entry`` to run now, if one came since it last ran."""
    last = (
        ScheduledRun.objects.filter(name=entry.name).order_by("-slot").values_list("slot", flat=True).first()
    )
    since = max(last, now - CATCH_UP) if last else now - FIRST_RUN_WINDOW
    return latest_time(entry.cron, timezone.localtime(now), since)


def claim(entry: Entry, slot: datetime.datetime, worker: str = "") -> bool:
    """Queue ``entry``'s task for ``slot`` unless another worker already did; whether this one did."""
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(name=entry.name, slot=slot, worker=worker[:100])
            task = import_string(entry.task)
            result = task.using(priority=entry.priority).enqueue()
            run.task_id = str(result.id)[:64]
            run.save(update_fields=["task_id"])
    except IntegrityError:
        return False
    logger.info("scheduled task queued", extra={"task": entry.name, "slot": slot.isoformat()})
    return True


def tick(now: datetime.datetime | None = None, worker: str = "", schedule=SCHEDULE) -> list[str]:
    """Queue every entry whose time has come; the names this worker queued."""
    now = now or timezone.now()
    queued = []
    for entry in schedule:
        slot = due(entry, now)
        if slot is not None and claim(entry, slot, worker):
            queued.append(entry.name)
    return queued
