"""Carrying a plan out: derived lateness, progress updates, evidence checks, concurrent edits."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.choices import Role
from measures import services
from measures.choices import MeasureStatus, PlanStatus
from measures.models import Evidence, Measure
from measures.services import StaleEdit, Upload
from tests.factories import (
    OrganisationFactory,
    member,
    office_file,
    plan_with_measures,
    png_picture,
    scan_pdf,
)

pytestmark = pytest.mark.django_db

PDF = scan_pdf("evidence")
PNG = png_picture()


def a_measure(plan):
    return plan.measures.select_related("plan").get(question_codes="i10")


def report(measure, user, day, status=MeasureStatus.IN_PROGRESS, percent=50, **kwargs):
    return services.progress_report(
        measure=measure,
        user=user,
        reported_on=day,
        status=status,
        percent=percent,
        result=kwargs.pop("result", "ดำเนินการแล้วบางส่วน"),
        **kwargs,
    )


def test_planned_dates_follow_the_quarters_of_the_plan_year_unless_dates_are_set():
    plan, _ = plan_with_measures(status=PlanStatus.DRAFT)
    measure = a_measure(plan)  # i10: quarters 1–2 of 2569
    assert (measure.planned_start, measure.planned_end) == (
        datetime.date(2025, 10, 1),
        datetime.date(2026, 3, 31),
    )
    measure.end_date = datetime.date(2026, 1, 15)
    assert measure.planned_end == datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("status", "today", "late"),
    [
        (MeasureStatus.NOT_STARTED, datetime.date(2026, 3, 31), False),  # on the last day: not yet
        (MeasureStatus.NOT_STARTED, datetime.date(2026, 4, 1), True),
        (MeasureStatus.IN_PROGRESS, datetime.date(2026, 4, 1), True),
        (MeasureStatus.DONE, datetime.date(2026, 9, 1), False),
        (MeasureStatus.CANCELLED, datetime.date(2026, 9, 1), False),
    ],
)
def test_late_is_derived_from_the_dates_and_the_status(status, today, late):
    plan, _ = plan_with_measures(status=PlanStatus.DRAFT)
    measure = a_measure(plan)
    measure.status = status
    assert measure.is_late(today) is late


def test_the_latest_update_by_date_drives_the_measure_and_earlier_ones_stay():
    plan, wg = plan_with_measures()
    measure = a_measure(plan)
    report(measure, wg, datetime.date(2026, 1, 10), percent=40)
    report(measure, wg, datetime.date(2026, 3, 20), MeasureStatus.DONE, 100, result="เสร็จแล้ว")
    # A report of an earlier date typed afterwards does not turn a finished measure back.
    report(measure, wg, datetime.date(2026, 2, 1), percent=70)
    measure.refresh_from_db()
    assert (measure.status, measure.percent, measure.last_update_on) == (
        MeasureStatus.DONE,
        100,
        datetime.date(2026, 3, 20),
    )
    assert [u.percent for u in measure.updates.all()] == [100, 70, 40]


@pytest.mark.parametrize(
    ("status", "percent", "extra", "field"),
    [
        (MeasureStatus.DONE, 80, {}, "percent"),
        (MeasureStatus.NOT_STARTED, 10, {}, "percent"),
        (MeasureStatus.CANCELLED, 0, {}, "cancel_reason"),
    ],
)
def test_inconsistent_updates_are_refused_and_nothing_is_saved(status, percent, extra, field):
    plan, wg = plan_with_measures()
    measure = a_measure(plan)
    with pytest.raises(ValidationError) as exc:
        report(measure, wg, datetime.date(2026, 1, 10), status, percent, **extra)
    assert field in exc.value.message_dict
    measure.refresh_from_db()
    assert (measure.status, measure.updates.count()) == (MeasureStatus.NOT_STARTED, 0)


def test_a_cancelled_measure_keeps_its_reason():
    plan, wg = plan_with_measures()
    measure = a_measure(plan)
    report(
        measure, wg, datetime.date(2026, 1, 10), MeasureStatus.CANCELLED, 0, cancel_reason="ไม่ได้รับงบประมาณ"
    )
    measure.refresh_from_db()
    assert (measure.status, measure.cancel_reason) == (MeasureStatus.CANCELLED, "ไม่ได้รับงบประมาณ")


def test_progress_is_only_recorded_on_an_approved_plan_by_staff_or_the_working_group():
    plan, wg = plan_with_measures(status=PlanStatus.DRAFT)
    with pytest.raises(services.PlanLocked):
        report(a_measure(plan), wg, datetime.date(2026, 1, 10))
    plan, wg = plan_with_measures()
    for user in (
        member(plan.organisation, Role.ADMINISTRATOR),
        member(OrganisationFactory(), Role.WORKING_GROUP),
    ):
        with pytest.raises(PermissionDenied):
            report(a_measure(plan), user, datetime.date(2026, 1, 10))


def test_evidence_links_and_files_are_kept():
    plan, wg = plan_with_measures()
    update = report(
        a_measure(plan),
        wg,
        datetime.date(2026, 1, 10),
        links=["https://example.go.th/oit/o8"],
        files=[Upload("คู่มือการยืม.pdf", PDF), Upload("ภาพกิจกรรม.PNG", PNG)],
    )
    evidence = list(update.evidence.order_by("pk"))
    assert [e.url for e in evidence] == ["https://example.go.th/oit/o8", "", ""]
    files = evidence[1:]
    assert [(e.original_name, e.content_type, e.size) for e in files] == [
        ("คู่มือการยืม.pdf", "application/pdf", len(PDF)),
        ("ภาพกิจกรรม.PNG", "image/png", len(PNG)),
    ]
    assert files[0].file.read() == PDF
    assert "คู่มือ" not in files[0].file.name  # stored under a random name


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (Upload("script.exe", b"MZ" + b"x" * 10), "ชนิดที่ไม่รับ"),
        (Upload("fake.pdf", b"<html>not a pdf</html>"), "ไม่ใช่ PDF"),
        (Upload("empty.png", b""), "ว่างเปล่า"),
    ],
)
def test_bad_files_are_refused_before_anything_is_written(upload, message):
    plan, wg = plan_with_measures()
    measure = a_measure(plan)
    with pytest.raises(ValidationError, match=message):
        report(measure, wg, datetime.date(2026, 1, 10), files=[Upload("ok.pdf", PDF), upload])
    assert measure.updates.count() == 0 and Evidence.objects.count() == 0


def test_too_large_files_are_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 50
    plan, wg = plan_with_measures()
    with pytest.raises(ValidationError, match="เกินกำหนด"):
        report(a_measure(plan), wg, datetime.date(2026, 1, 10), files=[Upload("big.pdf", PDF)])


def test_the_second_of_two_concurrent_edits_is_refused_with_what_changed():
    plan, wg = plan_with_measures()
    other = member(plan.organisation, Role.STAFF, first_name="สมศรี", last_name="ใจดี")
    measure = a_measure(plan)
    opened = measure.version  # both forms were opened at this version
    services.measure_track(
        measure=measure, user=other, values={"owner_person": "นายสมชาย"}, expected_version=opened
    )
    with pytest.raises(StaleEdit) as exc:
        services.measure_track(
            measure=measure, user=wg, values={"owner_person": "นางสาวสุดา"}, expected_version=opened
        )
    assert "สมศรี ใจดี" in exc.value.messages[0]
    assert exc.value.changes == [("ผู้รับผิดชอบ (บุคคล)", "–", "นายสมชาย")]
    measure.refresh_from_db()
    assert measure.owner_person == "นายสมชาย"  # the first save is not lost
    # With the new version the second person can save.
    assert services.measure_track(
        measure=measure, user=wg, values={"owner_person": "นางสาวสุดา"}, expected_version=measure.version
    )


def test_a_progress_report_against_an_old_version_is_refused():
    plan, wg = plan_with_measures()
    measure = a_measure(plan)
    opened = measure.version
    report(measure, wg, datetime.date(2026, 1, 10), expected_version=opened)
    with pytest.raises(StaleEdit) as exc:
        report(measure, wg, datetime.date(2026, 1, 11), percent=60, expected_version=opened)
    assert ("สถานะการดำเนินการ", "ยังไม่เริ่ม", "กำลังดำเนินการ") in exc.value.changes
    assert Measure.objects.get(pk=measure.pk).updates.count() == 1


def test_the_stored_planned_end_follows_the_dates_and_quarters():
    plan, wg = plan_with_measures()
    measure = plan.measures.order_by("pk").first()
    measure.refresh_from_db()
    assert measure.planned_end_on == measure.planned_end
    measure.end_date = datetime.date(2026, 2, 1)
    measure.save(update_fields=["end_date"])
    measure.refresh_from_db()
    assert measure.planned_end_on == datetime.date(2026, 2, 1)
    measure.end_date = None
    measure.period_end = 4
    measure.save()
    measure.refresh_from_db()
    assert measure.planned_end_on == datetime.date(2026, 9, 30)  # the last day of fiscal 2569


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, format="JPEG")
    return out.getvalue()


def _zip_with(name: str, data: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("รายงาน.docx", _zip_with("setup.exe", b"MZ" + b"\0" * 100), "ไม่ใช่ไฟล์ Word"),
        ("รายงาน.docx", office_file("docx", {"word/vbaProject.bin": b"macro"}), "มาโครซ่อนอยู่"),
        ("รายงาน.docx", office_file("docx", {"word/payload.exe": b"MZ"}), "โปรแกรม"),
        ("ตาราง.xlsx", office_file("docx"), "ไม่ใช่ไฟล์ Excel"),
        ("ภาพ.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "เปิดเป็นรูปภาพ JPEG ไม่ได้"),
        ("ภาพ.png", png_picture() + b"<html><body><script>alert(1)</script></body></html>", "ซ่อนหรือต่อท้าย"),
        ("ภาพ.jpg", _jpeg() + _zip_with("run.exe", b"MZ"), "ซ่อนหรือต่อท้าย"),
        ("เอกสาร.pdf", scan_pdf("doc") + _zip_with("run.exe", b"MZ"), "ต่อท้าย"),
        ("เอกสาร.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", "เปิดเป็น PDF ไม่ได้"),
    ],
)
def test_evidence_is_checked_by_what_it_is(name, content, message):
    plan, wg = plan_with_measures()
    measure = a_measure(plan)
    with pytest.raises(ValidationError, match=message):
        report(measure, wg, datetime.date(2026, 1, 10), files=[Upload(name, content)])
    assert Evidence.objects.count() == 0


def test_real_office_files_and_pictures_are_accepted():
    plan, wg = plan_with_measures()
    files = [
        Upload("รายงาน.docx", office_file("docx")),
        Upload("ตาราง.xlsx", office_file("xlsx")),
        Upload("ภาพ.jpg", _jpeg()),
        Upload("ภาพ.png", png_picture()),
        Upload("เอกสาร.pdf", scan_pdf("ok")),
    ]
    report(a_measure(plan), wg, datetime.date(2026, 1, 10), files=files)
    assert Evidence.objects.count() == 5
