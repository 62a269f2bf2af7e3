"""Background work that survives a killed process.

A job being run names its worker and carries a heartbeat: ``manage.py run_worker`` renews it for
the jobs its child runs (every ``JOB_HEARTBEAT_SECONDS``), and the task renews it with each step
of progress. When the child dies (kill -9, an out-of-memory kill), run_worker recovers its jobs at
once; when the whole worker is gone (a deploy, a restart of the machine), any worker, a person
asking for the same work again, or the job's own page recovers it once its heartbeat is older than
``JOB_LEASE_SECONDS``.

Recovering a job marks its task row failed (so the task rows agree with the jobs) and, where the
work is safe to repeat — a PDF, an export, a link check — queues the same task again, at most
``JOB_MAX_ATTEMPTS`` times in all; otherwise the job fails with a Thai message saying so.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Claim, Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

# Work whose repetition does no harm: the result is a file made again from the records.
REPEATABLE = frozenset({JobKind.DOCUMENT, JobKind.EXPORT, JobKind.LINKCHECK})
WORKER_LOST = "ita_portal.recovery.WorkerLost"
RESTARTED = "เครื่องที่ทำงานเบื้องหลังหยุดไประหว่างทำงานนี้ ระบบเริ่มทำใหม่ให้แล้ว (ครั้งที่ {attempt} จาก {most})"
LOST = "เครื่องที่ทำงานเบื้องหลังหยุดไประหว่างทำงานนี้ งานจึงไม่เสร็จ และไม่มีข้อมูลใดถูกบันทึกครึ่งทาง กรุณาสั่งใหม่อีกครั้ง"
GAVE_UP = "เครื่องที่ทำงานเบื้องหลังหยุดระหว่างทำงานนี้ {most} ครั้งแล้ว ระบบจึงหยุดลองใหม่ กรุณาแจ้งผู้ดูแลระบบ"


def this_worker() -> str:
    """The name a running job is given: run_worker's, passed to its child, else this process's
    (at most 64 characters: it is also the task row's worker id)."""
    return os.environ.get("ITA_WORKER") or f"{socket.gethostname()[:50]}:{os.getpid()}"


def heartbeat(worker: str) -> int:
    """Renew the heartbeat of every job ``worker`` is running; how many."""
    return Job.objects.filter(status=JobStatus.RUNNING, worker=worker).update(heartbeat_at=timezone.now())


def stale(now: datetime.datetime | None = None) -> Q:
    """Running jobs not heard from within the lease."""
    limit = (now or timezone.now()) - datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)
    return Q(status=JobStatus.RUNNING) & (
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )


def recover_worker(worker: str) -> list[Job]:
    """The jobs of a worker known to be gone (run_worker's child exited): recovered now, and what
    it claimed (``locks.claimed``) released."""
    Claim.objects.filter(holder=worker).delete()
    ids = list(Job.objects.filter(status=JobStatus.RUNNING, worker=worker).values_list("pk", flat=True))
    return [job for pk in ids if (job := recover(pk, worker=worker)) is not None]


def recover_stale() -> list[Job]:
    """Every running job whose heartbeat is older than the lease, whoever ran it."""
    ids = list(Job.objects.filter(stale()).values_list("pk", flat=True))
    return [job for pk in ids if (job := recover(pk)) is not None]


def recover_if_stale(job: Job) -> Job:
    """``job`` as it is once recovered, if it was running and its lease has run out."""
    if job.status == JobStatus.RUNNING and Job.objects.filter(stale(), pk=job.pk).exists():
        return recover(job.pk) or job
    return job


def recover(job_id: int, worker: str | None = None) -> Job | None:
    """Fail the job's task row and run the job again where safe, else fail it (one transaction;
    None if someone else recovered it, or it finished, in the meantime)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.RUNNING).first()
        if job is None or (worker is not None and job.worker != worker):
            return None
        if worker is None and not Job.objects.filter(stale(), pk=job_id).exists():
            return None  # it renewed its heartbeat meanwhile
        row = DBTaskResult.objects.filter(pk=job.task_id).first() if job.task_id else None
        _fail_row(row)
        if job.kind in REPEATABLE and row is not None and job.attempts < settings.JOB_MAX_ATTEMPTS:
            job.task_id = str(_enqueue_again(row).id)
            job.status, job.worker, job.heartbeat_at = JobStatus.QUEUED, "", None
            job.message = RESTARTED.format(attempt=job.attempts + 1, most=settings.JOB_MAX_ATTEMPTS)
        else:
            job.status, job.finished_at = JobStatus.FAILED, timezone.now()
            job.message = GAVE_UP.format(most=job.attempts) if job.kind in REPEATABLE else LOST
        job.save(update_fields=["status", "task_id", "worker", "heartbeat_at", "message", "finished_at"])
    logger.warning("job %s lost its worker %s; now %s", job.pk, worker or "(lease expired)", job.status)
    return job


def _fail_row(row: DBTaskResult | None) -> None:
    if row is not None and row.status == TaskResultStatus.RUNNING:
        DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=WORKER_LOST,
            traceback="The worker process running this task stopped before it finished.",
        )


def _enqueue_again(row: DBTaskResult):
    """The same task with the same arguments and priority, as a new task row."""
    task = import_string(row.task_path).using(priority=row.priority, queue_name=row.queue_name)
    return task.enqueue(*row.args_kwargs.get("args", []), **row.args_kwargs.get("kwargs", {}))


def recover_rows_of(worker: str) -> int:
    """Task rows a gone worker left running that no job speaks for (their jobs, if any, are
    recovered above): failed, so that no row stays "running" forever."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids")
    lost = [row.pk for row in running if row.worker_ids[-1:] == [worker]]
    for row in DBTaskResult.objects.filter(pk__in=lost):
        _fail_row(row)
    return len(lost)
