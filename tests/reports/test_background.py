"""PDFs and batches in the background: a download never waits for a render, a second download of
unchanged records renders nothing, a change renders again; batches report per organisation.

Tasks run inside the test (the immediate backend of the test settings); tests/e2e/test_production.py
runs them in a real worker process.
"""

import io
import zipfile

import pytest
from django.urls import reverse

from assessments.choices import Role
from ita_portal.models import Job, JobStatus
from reports import pdf, rendering
from reports.models import PublishedDocument
from tests.factories import OrganisationFactory, make_approved_plan, member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def renders(monkeypatch):
    """Counts the renders (and still renders)."""
    calls = []
    real = pdf.render_pdf

    def counting(html, **kwargs):
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    return calls


def pdf_url(plan, kind="analysis"):
    return reverse("reports:document-pdf", kwargs={"pk": plan.pk, "kind": kind})


def cached_names():
    store = rendering.storage()
    return store.listdir(rendering.PREFIX)[1] if store.exists(rendering.PREFIX) else []


def test_a_second_download_of_unchanged_records_renders_nothing(client, approved, renders):
    plan, wg, _admin = approved
    client.force_login(wg)
    first = client.get(pdf_url(plan))
    job = Job.objects.get()
    assert first.url == job.get_absolute_url() and job.status == JobStatus.DONE
    assert len(renders) == 1 and len(cached_names()) == 1
    again = client.get(pdf_url(plan))
    assert again.status_code == 200 and again.content.startswith(b"%PDF")
    assert len(renders) == 1 and Job.objects.count() == 1  # served from the cache


def test_a_change_in_the_records_renders_again_and_drops_the_old_file(client, approved, renders):
    plan, wg, _admin = approved
    client.force_login(wg)
    client.get(pdf_url(plan))
    [old] = cached_names()
    client.post(
        reverse("reports:document-options", kwargs={"pk": plan.pk, "kind": "analysis"}), {"thai_digits": "0"}
    )
    second = client.get(pdf_url(plan))
    assert second.status_code == 302 and len(renders) == 2
    [new] = cached_names()
    assert new != old and new.startswith(f"{plan.pk}-analysis-")
    assert client.get(pdf_url(plan)).content.startswith(b"%PDF")


def test_asking_twice_while_it_renders_joins_the_same_job(client, approved, settings, renders):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # never runs
    plan, wg, _admin = approved
    client.force_login(wg)
    first, second = client.get(pdf_url(plan)), client.get(pdf_url(plan))
    assert first.url == second.url and Job.objects.get().status == JobStatus.QUEUED
    page = client.get(first.url).content.decode()
    # The page follows its job by script (data-follow), never a meta refresh (WCAG 2.2.1), and
    # offers a link to look again without JavaScript.
    assert 'data-follow="/jobs/' in page and "http-equiv" not in page and "รอคิว" in page
    assert f'<a href="{first.url}">ตรวจสอบอีกครั้ง</a>' in page
    assert renders == []


def test_a_job_is_its_starters_alone(client, approved):
    plan, wg, admin = approved
    client.force_login(wg)
    job_url = client.get(pdf_url(plan)).url
    client.force_login(admin)  # same organisation, another person
    assert client.get(job_url).status_code == 404


def test_a_failed_render_says_so_in_thai_and_logs_the_traceback(client, approved, monkeypatch, caplog):
    plan, wg, _admin = approved

    def broken(html, **kwargs):
        raise RuntimeError("font cache unreadable")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client.force_login(wg)
    page = client.get(client.get(pdf_url(plan)).url).content.decode()
    assert "ไม่สำเร็จ" in page and "เกิดข้อผิดพลาดระหว่างดำเนินการ" in page
    assert "font cache unreadable" not in page
    [record] = [r for r in caplog.records if r.name == "ita_portal.jobs"]
    assert record.exc_info and "font cache unreadable" in str(record.exc_info[1])
    assert cached_names() == []


@pytest.fixture
def two_plans():
    """An administrator of two organisations, each with an approved plan."""
    first, _ = make_approved_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", code="A1"))
    second, _ = make_approved_plan(OrganisationFactory(name="เทศบาลตำบลทดสอบ", code="B2"))
    admin = member(first.organisation, Role.ADMINISTRATOR)
    admin.memberships.create(organisation=second.organisation, role=Role.ADMINISTRATOR)
    return admin, [first, second]


def test_a_batch_renders_each_organisation_and_bundles_the_pdfs(client, two_plans):
    admin, plans = two_plans
    client.force_login(admin)
    page = client.get(reverse("reports:document-batch")).content.decode()
    assert "องค์การบริหารส่วนตำบลวังหมี" in page and "เทศบาลตำบลทดสอบ" in page
    response = client.post(reverse("reports:document-batch"), {"kind": "analysis", "everything": "on"})
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.done == job.total == 2
    assert [item["ok"] for item in job.items] == [True, True]
    assert job.message == "สร้างสำเร็จ 2 จาก 2 หน่วยงาน"
    bundle = zipfile.ZipFile(io.BytesIO(client.get(reverse("job-result", args=[job.public_id])).getvalue()))
    assert sorted(bundle.namelist()) == ["A1-analysis-2569.pdf", "B2-analysis-2569.pdf"]
    assert all(bundle.read(name).startswith(b"%PDF") for name in bundle.namelist())
    # The organisations' own downloads now come from the cache.
    assert client.get(pdf_url(plans[0])).status_code == 200


def test_a_batch_publishes_where_it_may_and_reports_where_it_may_not(client, two_plans):
    admin, plans = two_plans
    admin.memberships.filter(organisation=plans[1].organisation).update(role=Role.WORKING_GROUP)
    client.force_login(admin)
    client.post(
        reverse("reports:document-batch"),
        {"kind": "analysis", "plans": [str(p.pk) for p in plans], "publish": "on"},
    )
    job = Job.objects.get()
    assert [item["ok"] for item in job.items] == [True, False]
    assert "เฉพาะผู้ดูแล/ผู้เผยแพร่" in job.items[1]["message"]
    assert PublishedDocument.objects.get().plan == plans[0]
    assert job.message == "เผยแพร่สำเร็จ 1 จาก 2 หน่วยงาน"


def test_a_batch_needs_a_choice_and_someone_who_may_make_documents(client, two_plans):
    admin, plans = two_plans
    client.force_login(admin)
    response = client.post(reverse("reports:document-batch"), {"kind": "analysis"})
    assert "กรุณาเลือกหน่วยงานอย่างน้อยหนึ่งแห่ง" in response.content.decode() and not Job.objects.exists()
    client.force_login(member(plans[0].organisation, Role.STAFF))
    assert client.get(reverse("reports:document-batch")).status_code == 403


def test_a_render_already_made_for_someone_else_is_not_made_again(client, approved, settings, renders):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued only
    plan, wg, admin = approved
    for person in (wg, admin):  # two people ask for the same records' PDF before the worker runs
        client.force_login(person)
        assert client.get(pdf_url(plan)).url.startswith("/jobs/")
    queued = task_backends["default"].results
    assert len(queued) == 2
    for result in queued:  # what the worker does, in order
        result.task.call(*result.args, **result.kwargs)
    assert len(renders) == 1
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}
