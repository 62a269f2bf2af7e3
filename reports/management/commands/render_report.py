"""Render one of the Thai documents from the command line, exactly as the portal does."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from assessments.models import Organisation
from ita_portal.commands import ThaiCommand
from ita_portal.forms import parse_thai_date
from ita_portal.thai import parse_int
from measures.models import MeasurePlan
from reports import context, documents, pdf
from reports.choices import DocumentKind
from reports.selectors import thai_digits_for


class Command(ThaiCommand):
    help = (
        "สร้างเอกสาร (รายงานวิเคราะห์ บันทึกข้อความ หรือรายงานผลการดำเนินการ) เป็น PDF หรือ HTML "
        "เช่น render_report --org 1 --year 2569 --kind analysis --output report.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="รหัสในระบบ (id) หรือรหัสหน่วยงานของหน่วยงาน")
        parser.add_argument(
            "--year",
            required=True,
            type=int,
            help="ปีงบประมาณของแผนมาตรการ (พ.ศ.) เช่น 2569 สำหรับมาตรการที่มาจากผลการประเมินปี 2568",
        )
        parser.add_argument("--kind", required=True, choices=DocumentKind.values)
        parser.add_argument("--output", required=True, help="ไฟล์ปลายทาง: .pdf หรือ .html")
        parser.add_argument(
            "--digits", choices=["thai", "arabic"], help="ชนิดตัวเลข (ค่าเริ่มต้น: ตามที่ตั้งไว้ในระบบของเอกสารนั้น)"
        )
        parser.add_argument("--date", help="ข้อมูล ณ วันที่ (วัน/เดือน/ปี พ.ศ.) ของรายงานผลการดำเนินการ; ค่าเริ่มต้น วันนี้")

    def handle(self, *args, org, year, kind, output, digits=None, date=None, **options):
        organisation = self._organisation(org)
        plan = (
            context.plans_for_documents()
            .filter(assessment__organisation=organisation, plan_year=year)
            .first()
        )
        if plan is None:
            hint = (
                MeasurePlan.objects.filter(
                    assessment__organisation=organisation, assessment__fiscal_year__year=year
                )
                .values_list("plan_year", flat=True)
                .first()
            )
            message = f"{organisation.name} ไม่มีแผนมาตรการปีงบประมาณ {year}"
            if hint:
                message += f" (ผลการประเมินปี {year} มีแผนมาตรการปี {hint}: ใช้ --year {hint})"
            raise CommandError(message)
        today = self._date(date)
        try:
            document = context.build(kind, plan, today)
        except context.DocumentUnavailable as exc:
            raise CommandError(str(exc)) from None
        thai = thai_digits_for(plan, kind) if digits is None else digits == "thai"
        html = documents.render_html(document, thai_digits=thai, for_pdf=True)
        target = Path(output)
        if target.suffix.lower() not in (".pdf", ".html"):
            raise CommandError(
                f"--output ต้องลงท้ายด้วย .pdf หรือ .html (ได้รับ “{target.name}”) คำสั่งนี้เขียนได้เฉพาะสองชนิดนี้"
            )
        if not target.parent.is_dir():
            raise CommandError(f"ไม่มีโฟลเดอร์ {target.parent} สำหรับไฟล์ผลลัพธ์")
        try:
            if target.suffix.lower() == ".html":
                target.write_text(html, encoding="utf-8")
            else:
                target.write_bytes(pdf.render_pdf(html))
        except OSError as exc:
            raise CommandError(f"เขียนไฟล์ {target} ไม่ได้: {exc.strerror or exc}") from None
        self.stdout.write(f"{DocumentKind(kind).label}: {organisation.name} ปี {year} → {target}")

    @staticmethod
    def _organisation(value: str) -> Organisation:
        pk = parse_int(value, low=1, high=2**31 - 1)
        lookup = Q(code=value) | (Q(pk=pk) if pk else Q())
        found = Organisation.objects.filter(lookup).first()
        if found is None:
            raise CommandError(f"ไม่พบหน่วยงาน {value}")
        return found

    @staticmethod
    def _date(value: str | None) -> datetime.date:
        if not value:
            return timezone.localdate()
        try:
            return parse_thai_date(value)
        except ValueError:
            raise CommandError(f"วันที่ไม่ถูกต้อง: {value} (วัน/เดือน/ปี พ.ศ. เช่น 30/9/2569)") from None
