"""Queue a link check of every OIT register not checked lately (the schedule does it every night:
``oit.tasks.check_due_registers``; this command is for a check out of turn)."""

from django.core.management.base import CommandError
from django.utils import timezone

from assessments.models import FiscalYear
from ita_portal.commands import ThaiCommand, bounded
from oit import selectors as register
from oit import tasks


class Command(ThaiCommand):
    help = (
        "ส่งงานตรวจลิงก์ทะเบียน OIT ที่ไม่ได้ตรวจมาเกินกำหนดเข้าคิวงานเบื้องหลังทันที (ปกติระบบส่งเองทุกคืน) "
        "ผู้ทำงานเบื้องหลัง (run_worker) เป็นผู้ตรวจ"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=bounded(2500, 2700), help="ทะเบียนของปีงบประมาณนี้ (พ.ศ.) ค่าเริ่มต้น: ปีของทะเบียนปัจจุบัน"
        )
        parser.add_argument(
            "--days", type=bounded(1, 3650), default=7, help="ตรวจทะเบียนที่ตรวจครั้งล่าสุดเกินกี่วัน (ค่าเริ่มต้น 7)"
        )

    def handle(self, *args, year=None, days=7, **options):
        fiscal_year = (
            FiscalYear.objects.filter(year=year).first()
            if year
            else register.register_year(timezone.localdate())
        )
        if fiscal_year is None:
            raise CommandError(f"ไม่มีกรอบการประเมินปี {year} ที่มีรายการ OIT")
        queued = tasks.queue_due_checks(fiscal_year, days=days)
        self.stdout.write(f"ส่งงานตรวจลิงก์ทะเบียน OIT ปี {fiscal_year.year} เข้าคิว {queued:,} หน่วยงาน")
