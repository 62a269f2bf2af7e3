"""Background work: start a job, run it as a Django task, report progress, keep its result.

A view calls ``start`` (or ``start_or_join`` for work that is the same whoever asks twice,
like one PDF) and enqueues a task with the job's id; the task runs inside ``running(job_id)``,
which marks it running, names it on the log lines, and records a failure in Thai (the
traceback goes to the log). ``progress`` and ``finish`` are called by the task. Tasks take
ids and plain values, load the records, and call the same services as the web pages.
"""

from __future__ import annotations

import contextlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from . import recovery
from .logs import task_context
from .models import FINISHED, Job, JobStatus
from .storage import named_storage

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "เกิดข้อผิดพลาดระหว่างดำเนินการ ระบบบันทึกรายละเอียดไว้ให้ผู้ดูแลระบบแล้ว กรุณาลองใหม่อีกครั้ง"


def work_storage():
    return named_storage("work")


def start(*, kind: str, title: str, user, total: int = 0, key: str = "", next_url: str = "") -> Job:
    return Job.objects.create(
        kind=kind, title=title[:255], created_by=user, total=total, key=key, next_url=next_url
    )


def start_or_join(*, kind: str, key: str, user, title: str, next_url: str = "") -> tuple[Job, bool]:
    """The user's unfinished job for ``key`` if there is one that is alive, else a new one (and
    True). A job whose worker is gone is recovered first, never joined as it was."""
    running = (
        Job.objects.filter(created_by=user, kind=kind, key=key)
        .exclude(status__in=FINISHED)
        .order_by("-pk")
        .first()
    )
    if running is not None:
        running = recovery.recover_if_stale(running)
        if not running.finished:
            return running, False
    return start(kind=kind, title=title, user=user, key=key, next_url=next_url), True


def enqueue(job: Job, task, *args, **kwargs) -> Job:
    """Queue ``task(job.pk, *args, **kwargs)`` and remember its id on the job."""
    result = task.enqueue(job.pk, *args, **kwargs)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@contextlib.contextmanager
def running(job_id: int, task: str):
    """Run a task's body for the job: running → done (if the body did not finish it) or failed."""
    with task_context(task, job=job_id):
        now = timezone.now()
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            worker=recovery.this_worker(),
            attempts=F("attempts") + 1,
            message="",
        )
        job = Job.objects.get(pk=job_id)
        try:
            yield job
        except Exception:
            logger.exception("background job %s failed", job_id)
            fail(job_id, FAILED_MESSAGE)
            return
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.DONE, finished_at=timezone.now()
        )


def progress(job_id: int, *, done: int | None = None, total: int | None = None, step: int = 0) -> None:
    """How far the job is; each step also says it is alive (its heartbeat)."""
    values: dict = {"heartbeat_at": timezone.now()}
    if done is not None:
        values["done"] = done
    if step:
        values["done"] = F("done") + step
    if total is not None:
        values["total"] = total
    Job.objects.filter(pk=job_id).update(**values)


def add_item(job_id: int, item: dict) -> None:
    """Append one item's result to a batch (read, append, write: one worker runs a job)."""
    job = Job.objects.get(pk=job_id)
    job.items = [*job.items, item]
    job.done = len(job.items)
    job.save(update_fields=["items", "done"])


def finish(
    job_id: int,
    *,
    message: str = "",
    content: bytes | None = None,
    filename: str = "",
    content_type: str = "",
    next_url: str | None = None,
) -> None:
    """Done; ``content`` is kept as the job's result file, offered for download as ``filename``."""
    values = {"status": JobStatus.DONE, "finished_at": timezone.now(), "message": message}
    if content is not None:
        name = work_storage().save(f"jobs/{uuid.uuid4().hex}", ContentFile(content))
        values |= {"result_name": name, "result_filename": filename, "result_type": content_type}
    if next_url is not None:
        values["next_url"] = next_url
    Job.objects.filter(pk=job_id).update(**values)


def fail(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, finished_at=timezone.now(), message=message)
