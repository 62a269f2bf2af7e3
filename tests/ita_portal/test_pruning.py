"""The nightly housekeeping keeps what is still needed: a job still queued or running (whatever its
age), a recent job, a published document; and removes finished jobs and their files after
``JOBS_KEEP_DAYS``, cached PDFs of removed plans or not renewed since."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from ita_portal.jobs import work_storage
from ita_portal.models import Job, JobStatus
from ita_portal.scheduled import prune, prune_jobs
from reports import rendering
from reports.tasks import prune_renders
from tests.factories import JobFactory, PublishedDocumentFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - datetime.timedelta(days=40)


def job(status, finished_at=None, result=""):
    made = JobFactory(status=status, finished_at=finished_at, result_name=result)
    if result:
        work_storage().save(result, ContentFile(b"x"))
    return made


def test_old_finished_jobs_go_with_their_files_and_running_or_recent_ones_stay(settings):
    settings.JOBS_KEEP_DAYS = 30
    old_done = job(JobStatus.DONE, LONG_AGO, "results/old.xlsx")
    old_failed = job(JobStatus.FAILED, LONG_AGO)
    recent = job(JobStatus.DONE, timezone.now() - datetime.timedelta(days=2), "results/recent.xlsx")
    running = job(JobStatus.RUNNING)
    Job.objects.filter(pk=running.pk).update(created_at=LONG_AGO)
    queued = job(JobStatus.QUEUED)
    assert prune_jobs() == 2
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk, queued.pk}
    assert not work_storage().exists("results/old.xlsx") and work_storage().exists("results/recent.xlsx")
    assert old_done.pk != old_failed.pk
    prune.enqueue()  # the scheduled task: the same, and the task queue's rows (none kept in tests)
    assert Job.objects.count() == 3


def test_cached_renders_of_removed_or_stale_plans_go_and_published_documents_stay(settings):
    settings.JOBS_KEEP_DAYS = 30
    document = PublishedDocumentFactory()
    plan_id = document.plan_id
    fresh = rendering.cache_name(plan_id, "analysis", "a" * 64)
    stale = rendering.cache_name(plan_id, "plan", "b" * 64)
    orphan = rendering.cache_name(999_999, "analysis", "c" * 64)
    for name in (fresh, stale, orphan):
        rendering.storage().save(name, ContentFile(b"%PDF"))
    old = (timezone.now() - datetime.timedelta(days=45)).timestamp()
    os.utime(rendering.storage().path(stale), (old, old))
    prune_renders.enqueue()
    store = rendering.storage()
    assert store.exists(fresh) and not store.exists(stale) and not store.exists(orphan)
    assert document.file.storage.exists(document.file.name)  # the published copy is another store's
