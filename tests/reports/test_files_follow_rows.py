"""Files follow their rows: a save that fails after writing its files removes them with the rolled
back rows, and sweep_files removes what a killed process leaves behind, once it is a day old."""

import datetime
import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from ita_portal.storage import named_storage
from measures import services
from measures.choices import MeasureStatus
from measures.models import Evidence, ProgressUpdate
from measures.services import Upload
from tests.factories import plan_with_measures, scan_pdf

pytestmark = pytest.mark.django_db


def files_in(store: str) -> list[str]:
    from reports.management.commands.sweep_files import stored_names

    return sorted(stored_names(named_storage(store)))


def test_a_progress_report_that_fails_after_writing_its_files_leaves_none(monkeypatch):
    plan, wg = plan_with_measures()
    measure = plan.measures.first()
    before = files_in("evidence")

    def crash(plan):
        raise RuntimeError("the process fails after the files were written")

    monkeypatch.setattr(services.progress, "plan_counters_refresh", crash)
    with pytest.raises(RuntimeError):
        services.progress_report(
            measure=measure,
            user=wg,
            reported_on=datetime.date(2026, 1, 10),
            status=MeasureStatus.IN_PROGRESS,
            percent=40,
            result="เริ่มแล้ว",
            files=[Upload("หลักฐาน1.pdf", scan_pdf("1")), Upload("หลักฐาน2.pdf", scan_pdf("2"))],
        )
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    assert files_in("evidence") == before


def test_sweep_files_removes_files_no_row_names_once_a_day_old():
    plan, wg = plan_with_measures()
    services.progress_report(
        measure=plan.measures.first(),
        user=wg,
        reported_on=datetime.date(2026, 1, 10),
        status=MeasureStatus.IN_PROGRESS,
        percent=40,
        result="เริ่มแล้ว",
        files=[Upload("หลักฐาน.pdf", scan_pdf("kept"))],
    )
    storage = named_storage("evidence")
    kept = Evidence.objects.get().file.name
    old = storage.save("evidence/left-by-a-crash.pdf", ContentFile(b"%PDF-1.7 orphan"))
    young = storage.save("evidence/still-being-saved.pdf", ContentFile(b"%PDF-1.7 young"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(storage.path(old), (two_days_ago, two_days_ago))
    os.utime(storage.path(kept), (two_days_ago, two_days_ago))

    out = StringIO()
    call_command("sweep_files", "--dry-run", stdout=out)
    assert f"พบไฟล์ที่ไม่มีข้อมูลอ้างถึง: evidence/{old}" in out.getvalue() and storage.exists(old)

    out = StringIO()
    call_command("sweep_files", stdout=out)
    assert "ลบไฟล์ที่ไม่มีข้อมูลอ้างถึง 1 ไฟล์ (ยังไม่ถึง 24 ชั่วโมงจึงเก็บไว้ก่อน 1 ไฟล์)" in out.getvalue()
    assert not storage.exists(old) and storage.exists(young) and storage.exists(kept)


@pytest.mark.parametrize("hours", ["0", "-1", "1000000"])
def test_sweep_files_checks_its_argument_in_thai(hours):
    with pytest.raises(CommandError, match="--hours ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 8,760"):
        call_command("sweep_files", "--hours", hours)
