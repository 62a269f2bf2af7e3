"""Queue a link check of every OIT register not checked lately (for a daily cron or timer)."""

import datetime

from django.core.management.base import CommandError
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import FiscalYear
from ita_portal import jobs
from ita_portal.commands import ThaiCommand, bounded
from ita_portal.models import JobKind
from oit import selectors as register
from oit import tasks
from oit.models import RegisterItem

# Scheduled checks can keep a worker busy for hours (a pause per web site); the worker takes the
# highest priority first, so they wait behind anything queued by a person (priority 0).
SCHEDULED_PRIORITY = -50


class Command(ThaiCommand):
    help = (
        "ส่งงานตรวจลิงก์ทะเบียน OIT ที่ไม่ได้ตรวจมาเกินกำหนดเข้าคิวงานเบื้องหลัง (ใช้กับ cron รายวัน) "
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
        since = timezone.now() - datetime.timedelta(days=days)
        due = (
            RegisterItem.objects.filter(fiscal_year=fiscal_year)
            .exclude(urls="")
            .values("organisation_id", "organisation__name")
            .annotate(last=Max("checks__checked_at"))
            .filter(Q(last__isnull=True) | Q(last__lt=since))
            .order_by("organisation_id")
        )
        queued = 0
        for row in due:
            organisation = row["organisation_id"]
            job, created = jobs.start_or_join(
                kind=JobKind.LINKCHECK,
                key=f"linkcheck:{organisation}:{fiscal_year.year}",
                user=None,
                title=f"ตรวจลิงก์ OIT ปี {fiscal_year.year} · {row['organisation__name']} (ตามกำหนด)",
                next_url=reverse("oit:register", kwargs={"pk": organisation, "year": fiscal_year.year}),
            )
            if created:
                # Below everything a person is waiting for: a page's PDF, an export, an import.
                jobs.enqueue(
                    job,
                    tasks.check_register.using(priority=SCHEDULED_PRIORITY),
                    organisation,
                    fiscal_year.year,
                )
                queued += 1
        self.stdout.write(f"ส่งงานตรวจลิงก์ทะเบียน OIT ปี {fiscal_year.year} เข้าคิว {queued:,} หน่วยงาน")
