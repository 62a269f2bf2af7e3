"""One way to deliver a file (ita_portal.delivery): the worker runs only functions marked as file
makers, whatever name a task row carries."""

import pytest

from assessments.choices import Role
from ita_portal import delivery, jobs
from ita_portal.models import JobKind, JobStatus
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def test_the_worker_runs_nothing_but_a_file_maker_by_name(tmp_path, monkeypatch):
    user = member(OrganisationFactory(), Role.STAFF)
    touched = tmp_path / "touched"
    monkeypatch.setattr(
        "tests.ita_portal.test_delivery.not_a_maker", lambda *a, **k: touched.write_text("ran")
    )
    job = jobs.start(kind=JobKind.EXPORT, title="ไม่ควรทำงาน", user=user)
    jobs.enqueue(job, delivery.make_file, "tests.ita_portal.test_delivery.not_a_maker", [], user.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not touched.exists()


def test_deliver_refuses_a_function_not_marked_as_a_maker(rf):
    request = rf.get("/")
    request.user = member(OrganisationFactory(), Role.STAFF)
    with pytest.raises(TypeError):
        delivery.deliver(request, print, rows=1, title="x")


def not_a_maker(*args, **kwargs):
    raise AssertionError("never run")


def test_every_workbook_has_one_name_now_or_in_the_background(client, settings):
    """The same request above the threshold: a job whose file has the name the direct answer had."""
    from django.urls import reverse

    from ita_portal.models import Job
    from tests.factories import plan_with_measures

    plan, _wg = plan_with_measures()
    client.force_login(member(plan.organisation, Role.ADMINISTRATOR))
    urls = [
        reverse("assessments:organisation-scores-export", args=[plan.organisation.pk]),
        reverse("measures:plan-progress-export", args=[plan.pk]),
        reverse("oit:register-export", kwargs={"pk": plan.organisation.pk, "year": 2569}),
    ]
    now = [client.get(url)["Content-Disposition"] for url in urls]
    settings.EXPORT_BACKGROUND_ROWS = 0
    for url, disposition in zip(urls, now, strict=True):
        response = client.get(url)
        job = Job.objects.get(public_id=response.url.strip("/").split("/")[-1])
        assert job.status == JobStatus.DONE and disposition == f'attachment; filename="{job.result_filename}"'
