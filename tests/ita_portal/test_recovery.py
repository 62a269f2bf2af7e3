"""Recovering jobs whose worker is gone (ita_portal.recovery), without killing anything: the
rules — what is run again, how many times, what fails, what is left alone, what the task rows say.
The real kill is in tests/ita_portal/test_worker_recovery.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessments import tasks as assessment_tasks
from ita_portal import delivery, jobs, recovery
from ita_portal.models import Job, JobKind, JobStatus
from reports import tasks as report_tasks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings):
    """Tasks as rows, as the real worker sees them (the suite otherwise runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def lost_job(kind, task, *args, attempts=1, minutes_ago=10, priority=0):
    """A job its worker started ``minutes_ago`` and stopped hearing from, its task row running."""
    user = UserFactory()
    job = jobs.start(kind=kind, title="งานทดสอบ", user=user, key="k")
    jobs.enqueue(job, task.using(priority=priority), *args)
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=job.task_id).update(status=TaskResultStatus.RUNNING, worker_ids=["gone:1"])
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, worker="gone:1", started_at=then, heartbeat_at=then, attempts=attempts
    )
    return Job.objects.get(pk=job.pk)


def test_a_lost_render_is_queued_again_with_its_arguments_and_priority():
    job = lost_job(
        JobKind.DOCUMENT, report_tasks.render_document, "<html></html>", "documents/x.pdf", priority=-5
    )
    first = job.task_id
    [recovered] = recovery.recover_stale()
    assert recovered.status == JobStatus.QUEUED and recovered.task_id != first
    assert "เริ่มทำใหม่ให้แล้ว (ครั้งที่ 2 จาก 3)" in recovered.message
    old, new = DBTaskResult.objects.get(pk=first), DBTaskResult.objects.get(pk=recovered.task_id)
    assert (old.status, old.exception_class_path) == (TaskResultStatus.FAILED, recovery.WORKER_LOST)
    assert new.status == TaskResultStatus.READY and new.priority == -5
    assert new.args_kwargs["args"] == [job.pk, "<html></html>", "documents/x.pdf"]


def test_a_render_lost_at_every_attempt_is_given_up_in_thai():
    lost_job(JobKind.DOCUMENT, report_tasks.render_document, "<html></html>", "x", attempts=3)
    [recovered] = recovery.recover_stale()
    assert recovered.status == JobStatus.FAILED and "3 ครั้งแล้ว" in recovered.message
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0


def test_a_lost_import_is_not_repeated_and_says_nothing_was_half_saved():
    job = lost_job(JobKind.IMPORT, assessment_tasks.commit_import, 1, 1)
    [recovered] = recovery.recover_stale()
    assert recovered.status == JobStatus.FAILED and "ไม่มีข้อมูลใดถูกบันทึกครึ่งทาง" in recovered.message
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED


def test_a_job_whose_worker_still_beats_is_left_alone():
    job = lost_job(JobKind.DOCUMENT, report_tasks.render_document, "h", "n", minutes_ago=0)
    assert recovery.recover_stale() == []
    recovery.heartbeat("gone:1")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.RUNNING


def test_a_worker_known_gone_is_recovered_at_once_whatever_its_lease():
    job = lost_job(
        JobKind.EXPORT, delivery.make_file, "assessments.files.year_scores", [2568], 1, minutes_ago=0
    )
    assert recovery.recover_stale() == []  # still within its lease
    [recovered] = recovery.recover_worker("gone:1")  # but run_worker saw its child die
    assert recovered.pk == job.pk and recovered.status == JobStatus.QUEUED


def test_asking_again_never_joins_a_dead_job():
    job = lost_job(JobKind.IMPORT, assessment_tasks.commit_import, 1, 1)
    again, created = jobs.start_or_join(kind=JobKind.IMPORT, key="k", user=job.created_by, title="อีกครั้ง")
    assert created and again.pk != job.pk
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_the_job_page_says_a_lost_job_failed_instead_of_running_forever(client):
    job = lost_job(JobKind.IMPORT, assessment_tasks.commit_import, 1, 1)
    client.force_login(job.created_by)
    page = client.get(reverse("job-detail", args=[job.public_id])).content.decode()
    assert 'data-status="failed"' in page and "กรุณาสั่งใหม่อีกครั้ง" in page


def test_task_rows_left_running_by_a_gone_worker_are_failed():
    job = lost_job(JobKind.DOCUMENT, report_tasks.render_document, "h", "n", minutes_ago=0)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)  # nothing speaks for the row
    assert recovery.recover_rows_of("gone:1") == 1
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED
