"""What the production stack adds around the pages: the health check, one-line logs that name the
request, background imports and exports, the worker command, files in an S3-compatible bucket."""

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from assessments.choices import ImportStatus, Role
from assessments.models import Assessment, FiscalYear, ScoreImport
from ita_portal.models import Job, JobStatus
from tests.assessments.importing import xlsx
from tests.factories import KHOKMON_2568, OrganisationFactory, member

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def log_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_the_health_check_answers_without_login_and_says_when_the_database_does_not(client, monkeypatch):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}

    def refuse(*args, **kwargs):
        raise connections["default"].Database.OperationalError("server closed the connection")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json()["database"] == "unavailable"


@pytest.fixture
def stdout_log():
    """What the portal's stdout log handler writes during the test."""
    handler = next(h for h in logging.getLogger("django.request").handlers if h.get_name() == "stdout")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.urls("tests.urls_failing")
def test_a_500_leaves_one_line_with_its_traceback_request_and_user(stdout_log):
    user = member(OrganisationFactory(), Role.STAFF)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/broken/", HTTP_X_REQUEST_ID="proxy-given-id-123")
    assert response.status_code == 500 and "ระบบขัดข้องชั่วคราว" in response.content.decode()
    assert "รหัสอ้างอิง <code>proxy-given-id-123</code>" in response.content.decode()
    assert response["X-Request-ID"] == "proxy-given-id-123"
    [line] = [entry for entry in log_lines(stdout_log.getvalue()) if entry.get("traceback")]
    assert line["logger"] == "django.request" and line["level"] == "ERROR"
    assert line["request_id"] == "proxy-given-id-123" and line["user_id"] == user.pk
    assert "RuntimeError: the database said no" in line["traceback"]


def test_every_response_names_its_request_and_a_strange_id_is_replaced(client):
    mine = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert len(mine) == 32 and mine.isalnum()


def test_a_view_names_on_its_log_lines_the_organisation_it_loads(rf):
    from assessments.views import AssessmentDetailView
    from ita_portal import logs

    organisation = OrganisationFactory()
    assessment = Assessment.objects.create(
        organisation=organisation, fiscal_year=FiscalYear.objects.get(year=2568)
    )
    view = AssessmentDetailView()
    view.setup(rf.get("/"), pk=assessment.pk)
    view.request.user = member(organisation, Role.STAFF)
    with logs.task_context("test"):
        view.get_object()
        assert logs.context()["organisation"] == organisation.pk


def test_a_large_import_is_confirmed_in_the_background(client, settings):
    settings.IMPORT_BACKGROUND_ROWS = 1
    khokmon = OrganisationFactory(code="6701", name="องค์การบริหารส่วนตำบลโคกมน", province="เพชรบูรณ์")
    wangmee = OrganisationFactory(code="3001", name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    staff = member(khokmon, Role.STAFF)
    staff.memberships.create(organisation=wangmee, role=Role.STAFF)
    client.force_login(staff)
    content = xlsx([["6701", "", "", ""] + KHOKMON_2568, ["3001", "", "", ""] + KHOKMON_2568])
    upload = client.post(
        reverse("assessments:import-create"),
        {"fiscal_year": "2568", "file": _file(content)},
    )
    record = ScoreImport.objects.get()
    assert upload.url == reverse("assessments:import-detail", args=[record.pk])
    response = client.post(reverse("assessments:import-commit", args=[record.pk]))
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.message == "นำเข้าผลการประเมินเรียบร้อยแล้ว"
    assert job.next_url == reverse("assessments:import-detail", args=[record.pk])
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED and Assessment.objects.count() == 2


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ผล.xlsx", content)


def test_a_large_year_export_is_written_in_the_background_and_downloaded(client, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    first = OrganisationFactory()
    user = member(first, Role.ADMINISTRATOR)
    user.memberships.create(organisation=OrganisationFactory(), role=Role.ADMINISTRATOR)
    client.force_login(user)
    response = client.get(reverse("assessments:year-scores-export", args=[2568]))
    job = Job.objects.get()
    assert response.url == job.get_absolute_url() and job.total == 2 and job.done == 2
    assert "ส่งออกคะแนนปี 2568 ของ 2 หน่วยงานแล้ว" in client.get(response.url).content.decode()
    download = client.get(reverse("job-result", args=[job.public_id]))
    assert download["Content-Disposition"] == 'attachment; filename="ita-scores-2568.xlsx"'
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_the_worker_command_refuses_a_bad_limit_in_thai():
    result = subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--max-tasks", "abc"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": "sqlite:////tmp/ita-never-used.sqlite3"},
    )
    assert result.returncode == 2 and "--max-tasks ต้องเป็นจำนวนเต็ม" in result.stderr


def test_a_large_import_template_and_overview_are_made_in_the_background(client, settings):
    from measures.choices import PlanStatus
    from tests.factories import plan_with_measures

    settings.EXPORT_BACKGROUND_ROWS = 1
    first, _ = plan_with_measures(OrganisationFactory(province="ตาก"), status=PlanStatus.APPROVED)
    second, _ = plan_with_measures(OrganisationFactory(province="น่าน"), status=PlanStatus.APPROVED)
    user = member(first.organisation, Role.ADMINISTRATOR)
    user.memberships.create(organisation=second.organisation, role=Role.ADMINISTRATOR)
    client.force_login(user)
    template = client.get(reverse("assessments:import-template", args=[2568]))
    overview = client.get(reverse("measures:progress-overview-export") + "?year=2569")
    jobs = list(Job.objects.order_by("pk"))
    assert [template.url, overview.url] == [job.get_absolute_url() for job in jobs]
    assert [job.status for job in jobs] == [JobStatus.DONE, JobStatus.DONE]
    assert jobs[0].result_filename == "ita-import-template-2568.xlsx"
    assert jobs[1].message == "ภาพรวมมาตรการปี 2569: 2 แผน"
    for job in jobs:
        body = b"".join(client.get(reverse("job-result", args=[job.public_id])).streaming_content)
        assert body.startswith(b"PK")


def test_a_person_finds_their_own_jobs_again_and_nobody_elses(client):
    from ita_portal import jobs

    mine, theirs = member(OrganisationFactory(), Role.STAFF), member(OrganisationFactory(), Role.STAFF)
    jobs.start(kind="export", title="คะแนนปี 2568 ของฉัน", user=mine)
    jobs.start(kind="export", title="คะแนนของคนอื่น", user=theirs)
    client.force_login(mine)
    page = client.get(reverse("job-list")).content.decode()
    assert "คะแนนปี 2568 ของฉัน" in page and "คะแนนของคนอื่น" not in page
    assert 'href="/jobs/"' in client.get(reverse("home")).content.decode()  # in the navigation bar


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [
        ("check_oit_links", ["--days", "1000000"], "--days ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 3,650"),
        ("check_oit_links", ["--days", "-1"], "--days ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 3,650"),
        ("check_oit_links", ["--year", "99999"], "--year ต้องเป็นจำนวนเต็มตั้งแต่ 2,500 ถึง 2,700"),
        ("refresh_results", ["--year", "2025x"], "--year ต้องเป็นจำนวนเต็ม"),
        ("generate_demo_data", ["--organisations", "0"], "--organisations ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 20,000"),
        ("sweep_files", ["--hours", "0"], "--hours ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 8,760"),
    ],
)
def test_command_arguments_are_range_checked_in_thai(command, arguments, message):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=message):
        call_command(command, *arguments)
