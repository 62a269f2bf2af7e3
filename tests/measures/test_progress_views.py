"""Progress on the web: recording with evidence, downloads, the concurrent-edit refusal, export, query counts."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.choices import Role
from measures import services
from measures.choices import MeasureStatus, PlanStatus
from measures.exports import HEADERS
from measures.models import Evidence, Measure
from tests.factories import OrganisationFactory, member, plan_with_measures, scan_pdf

pytestmark = pytest.mark.django_db

PDF = scan_pdf("evidence")


@pytest.fixture
def approved():
    return plan_with_measures(OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา"))


def a_measure(plan):
    return plan.measures.select_related("plan").get(question_codes="i10")


def progress_data(measure, **extra):
    data = {
        "form": "progress",
        "progress-version": measure.version,
        "progress-reported_on": "๑๕/๑/๒๕๖๙",
        "progress-status": MeasureStatus.IN_PROGRESS,
        "progress-percent": "๖๐",
        "progress-result": "จัดทำแนวปฏิบัติการยืมทรัพย์สินแล้ว",
        "progress-links": "https://example.go.th/oit/o8",
    }
    data.update(extra)
    return data


def test_recording_progress_with_a_file_and_downloading_it(client, approved):
    plan, wg = approved
    measure = a_measure(plan)
    client.force_login(wg)
    url = reverse("measures:measure-progress", args=[measure.pk])
    data = progress_data(measure, **{"progress-files": SimpleUploadedFile("แนวปฏิบัติ.pdf", PDF)})
    response = client.post(url, data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.percent, measure.last_update_on) == (
        MeasureStatus.IN_PROGRESS,
        60,
        datetime.date(2026, 1, 15),
    )
    evidence = Evidence.objects.exclude(file="").get()
    html = client.get(url).content.decode()
    assert "จัดทำแนวปฏิบัติการยืมทรัพย์สินแล้ว" in html and "แนวปฏิบัติ.pdf" in html
    download = client.get(reverse("measures:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_another_organisations_file_is_404(client, approved):
    plan, wg = approved
    update = services.progress_report(
        measure=a_measure(plan),
        user=wg,
        reported_on=datetime.date(2026, 1, 10),
        status=MeasureStatus.IN_PROGRESS,
        percent=10,
        result="เริ่มแล้ว",
        files=[services.Upload("a.pdf", PDF)],
    )
    evidence = update.evidence.get()
    url = reverse("measures:evidence-download", args=[evidence.pk])
    client.force_login(member(OrganisationFactory(), Role.ADMINISTRATOR))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to login
    client.force_login(member(plan.organisation, Role.ADMINISTRATOR))  # any member may read it
    assert client.get(url).status_code == 200


def test_a_wrong_file_is_refused_beside_the_field_and_nothing_is_saved(client, approved):
    plan, wg = approved
    measure = a_measure(plan)
    client.force_login(wg)
    data = progress_data(measure, **{"progress-files": SimpleUploadedFile("virus.exe", b"MZ....")})
    response = client.post(reverse("measures:measure-progress", args=[measure.pk]), data)
    assert response.status_code == 200
    assert "ชนิดที่ไม่รับ" in response.content.decode()
    assert measure.updates.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("progress-percent", "120", "ความก้าวหน้าต้องเป็นจำนวนเต็ม 0 ถึง 100"),
        ("progress-reported_on", "32/1/2569", "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ."),
        ("progress-links", "ไม่ใช่ลิงก์", "ไม่ถูกต้อง"),
    ],
)
def test_bad_input_is_refused_in_thai(client, approved, field, value, message):
    plan, wg = approved
    measure = a_measure(plan)
    client.force_login(wg)
    response = client.post(
        reverse("measures:measure-progress", args=[measure.pk]), progress_data(measure, **{field: value})
    )
    assert message in response.content.decode()
    assert measure.updates.count() == 0


def test_the_second_save_from_an_old_form_is_refused_showing_what_changed(client, approved):
    plan, wg = approved
    measure = a_measure(plan)
    other = member(plan.organisation, Role.STAFF)
    url = reverse("measures:measure-progress", args=[measure.pk])
    track = {
        "form": "track",
        "track-version": measure.version,
        "track-responsible_unit": "กองคลัง",
        "track-owner_person": "นายสมชาย",
    }
    client.force_login(other)
    assert client.post(url, track).status_code == 302
    client.force_login(wg)
    response = client.post(url, {**track, "track-owner_person": "นางสาวสุดา"})  # the same, older version
    html = response.content.decode()
    assert response.status_code == 200
    assert "มีผู้อื่นบันทึกการแก้ไขมาตรการนี้ไปก่อนท่าน" in html
    assert "ผู้รับผิดชอบ (บุคคล): – → นายสมชาย" in html
    assert 'value="นางสาวสุดา"' in html  # what the user typed is kept
    measure.refresh_from_db()
    assert measure.owner_person == "นายสมชาย"
    # The form now carries the current version: saving again goes through.
    version = measure.version
    assert (
        client.post(url, {**track, "track-version": version, "track-owner_person": "นางสาวสุดา"}).status_code
        == 302
    )
    measure.refresh_from_db()
    assert measure.owner_person == "นางสาวสุดา"


def test_plan_edit_form_refuses_a_stale_save(client):
    plan, wg = plan_with_measures(status=PlanStatus.DRAFT)
    measure = a_measure(plan)
    opened = measure.version
    services.measure_update(measure=measure, user=wg, values={"title": "ชื่อจากอีกคน"})
    client.force_login(wg)
    response = client.post(
        reverse("measures:measure-update", args=[measure.pk]),
        {
            "version": opened,
            "indicator": measure.indicator_id,
            "title": "ชื่อของฉัน",
            "analysis": measure.analysis,
            "steps": measure.steps,
            "period_start": 1,
            "period_end": 2,
            "responsible_unit": measure.responsible_unit,
            "question_codes": "i10",
            "relies_on": "",
        },
    )
    html = response.content.decode()
    assert "มีผู้อื่นบันทึกการแก้ไขมาตรการนี้ไปก่อนท่าน" in html and "ชื่อจากอีกคน" in html
    assert Measure.objects.get(pk=measure.pk).title == "ชื่อจากอีกคน"


def test_only_editors_record_and_only_on_an_approved_plan(client, approved):
    plan, _ = approved
    measure = a_measure(plan)
    url = reverse("measures:measure-progress", args=[measure.pk])
    client.force_login(member(plan.organisation, Role.ADMINISTRATOR))
    assert client.get(url).status_code == 200  # may read
    assert "progress-form" not in client.get(url).content.decode()
    assert client.post(url, progress_data(measure)).status_code == 403
    client.force_login(member(OrganisationFactory(), Role.WORKING_GROUP))
    assert client.get(url).status_code == 404
    draft, wg = plan_with_measures(status=PlanStatus.DRAFT)
    client.force_login(wg)
    response = client.get(reverse("measures:measure-progress", args=[a_measure(draft).pk]))
    assert "progress-form" not in response.content.decode()


def late_and_done(plan, wg):
    """Two measures reported on: one done, one cancelled; the rest are late by April 2026 if they end in Q1–Q2."""
    measures = list(plan.measures.select_related("plan").order_by("order"))
    services.progress_report(
        measure=measures[0],
        user=wg,
        reported_on=datetime.date(2026, 1, 5),
        status=MeasureStatus.DONE,
        percent=100,
        result="เสร็จ",
    )
    services.progress_report(
        measure=measures[1],
        user=wg,
        reported_on=datetime.date(2026, 1, 6),
        status=MeasureStatus.CANCELLED,
        percent=0,
        result="ยกเลิก",
        cancel_reason="ไม่มีงบประมาณ",
    )
    return measures


def test_progress_page_totals_and_late_marks(client, approved, monkeypatch):
    plan, wg = approved
    measures = late_and_done(plan, wg)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 4, 1))
    client.force_login(wg)
    html = client.get(reverse("measures:plan-progress", args=[plan.pk])).content.decode()
    late = [m for m in measures[2:] if m.planned_end < datetime.date(2026, 4, 1)]
    assert late  # the fixture has measures ending by March
    assert f'<strong id="late-total">{len(late)}</strong>' in html
    for m in late:
        assert f'id="progress-{m.pk}" class="table-danger"' in html
    assert f'id="progress-{measures[0].pk}" class="table-danger"' not in html
    active = len(measures) - 1  # the cancelled one does not count
    assert f'<strong id="plan-percent">{round(100 / active)}%</strong>' in html


def test_excel_export_reads_back(client, approved):
    plan, wg = approved
    measures = late_and_done(plan, wg)
    client.force_login(wg)
    response = client.get(reverse("measures:plan-progress-export", args=[plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2569" in rows[0][0] and "องค์การบริหารส่วนตำบลวังหมี" in rows[1][0]
    assert list(rows[2]) == HEADERS
    body = rows[3:]
    assert len(body) == len(measures)
    first = dict(zip(HEADERS, body[0], strict=True))
    assert first["มาตรการ"] == measures[0].title
    assert first["สถานะ"] == "ดำเนินการแล้วเสร็จ" and first["ความก้าวหน้า (%)"] == 100
    assert first["ผลการดำเนินการ"] == "เสร็จ"
    assert first["ขั้นตอนดำเนินการ"].startswith("1. ")
    cancelled = dict(zip(HEADERS, body[1], strict=True))
    assert cancelled["สถานะ"] == "ยกเลิก (ไม่มีงบประมาณ)"
    assert {row[1] for row in body} == {"IIT", "EIT", "OIT"}


def test_overview_for_administrators_filters_and_counts(client, monkeypatch):
    plans = [
        plan_with_measures(OrganisationFactory(province=province))[0]
        for province in ("นครราชสีมา", "นครราชสีมา", "ตาก")
    ]
    admin = member(plans[0].organisation, Role.ADMINISTRATOR)
    from assessments.models import Membership

    for plan in plans[1:]:
        Membership.objects.create(user=admin, organisation=plan.organisation, role=Role.ADMINISTRATOR)
    outsider_plan = plan_with_measures()[0]  # not the admin's
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 4, 1))
    client.force_login(admin)
    url = reverse("measures:progress-overview")
    html = client.get(url, {"year": 2569}).content.decode()
    for plan in plans:
        assert plan.organisation.name in html
    assert outsider_plan.organisation.name not in html
    html = client.get(url, {"year": 2569, "province": "ตาก"}).content.decode()
    assert plans[2].organisation.name in html and plans[0].organisation.name not in html
    with CaptureQueriesContext(connection) as three:
        client.get(url, {"year": 2569})
    for _ in range(3):
        plan = plan_with_measures()[0]
        Membership.objects.create(user=admin, organisation=plan.organisation, role=Role.ADMINISTRATOR)
    with CaptureQueriesContext(connection) as six:
        client.get(url, {"year": 2569})
    assert len(six.captured_queries) == len(three.captured_queries)


def test_progress_page_query_count_does_not_grow_with_measures(
    client, approved, django_assert_max_num_queries
):
    plan, wg = approved
    late_and_done(plan, wg)
    client.force_login(wg)
    url = reverse("measures:plan-progress", args=[plan.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    template = a_measure(plan)
    for n in range(25):
        Measure.objects.create(
            plan=plan, indicator=template.indicator, title=f"เพิ่ม {n}", analysis="-", steps="-", order=200 + n
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.content.decode().count('id="progress-') == plan.measures.count()
    assert len(after.captured_queries) == len(before.captured_queries)
    with django_assert_max_num_queries(12):
        client.get(url)


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("https://evil.example/","คลิก")', "+1+2", "-2+3", "@SUM(A1)", "=1+1"]
)
def test_excel_export_keeps_formula_like_text_as_text(client, approved, text):
    """A user's text that a spreadsheet would run (=, +, -, @) reaches the reader as text."""
    plan, wg = approved
    measure = plan.measures.order_by("pk").first()
    type(measure).objects.filter(pk=measure.pk).update(title=text, responsible_unit=text)
    client.force_login(wg)
    response = client.get(reverse("measures:plan-progress-export", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=4) for cell in row if cell.value == text]
    assert len(cells) == 2  # the title and the responsible unit, exactly as typed
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    # Nothing in the file is a formula.
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.slow
def test_the_overview_is_paged_in_the_database_and_its_export_has_every_row(client, settings):
    from measures import selectors

    settings.DEBUG = False
    admin = None
    for n in range(selectors.OVERVIEW_PAGE_SIZE + 3):
        plan, _ = plan_with_measures(
            OrganisationFactory(province="ตาก", name=f"องค์การบริหารส่วนตำบลภาพรวม{n:02d}")
        )
        if admin is None:
            admin = member(plan.organisation, Role.ADMINISTRATOR)
        else:
            admin.memberships.create(organisation=plan.organisation, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    first = client.get(reverse("measures:progress-overview") + "?year=2569&sort=name").content.decode()
    assert "หน้า 1 จาก 2" in first and "ภาพรวม00" in first and "ภาพรวม52" not in first
    second = client.get(
        reverse("measures:progress-overview") + "?year=2569&sort=name&page=2"
    ).content.decode()
    assert "ภาพรวม52" in second
    import io

    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(client.get(reverse("measures:progress-overview-export") + "?year=2569").content)
    )
    assert book.active.max_row - 2 == selectors.OVERVIEW_PAGE_SIZE + 3  # title and header rows


def test_an_end_date_after_the_plans_year_is_saved_with_a_warning(client, approved):
    plan, wg = approved
    measure = a_measure(plan)
    client.force_login(wg)
    url = reverse("measures:measure-progress", args=[measure.pk])
    track = {"form": "track", "track-version": measure.version, "track-responsible_unit": "กองคลัง"}
    response = client.post(url, {**track, "track-end_date": "15/11/2569"}, follow=True)
    page = response.content.decode()
    assert "เลยปีงบประมาณ 2569 ของแผน (สิ้นสุด 30 กันยายน 2569)" in page
    measure.refresh_from_db()
    assert str(measure.end_date) == "2026-11-15"  # a warning, not a refusal
    response = client.post(
        url, {**track, "track-version": measure.version, "track-end_date": "15/9/2569"}, follow=True
    )
    assert "เลยปีงบประมาณ" not in response.content.decode()
