"""Import a results file (.xlsx or .csv) from the command line, with the same checks as the web page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from tqdm import tqdm

from assessments import importing
from assessments.importing.spreadsheets import SpreadsheetError, read_sheet
from assessments.models import FiscalYear
from assessments.services import score_import_apply, score_import_stage
from ita_portal.commands import ThaiCommand, bounded


class Command(ThaiCommand):
    help = (
        "นำเข้าผลการประเมินจากไฟล์ .xlsx หรือ .csv (หนึ่งแถวต่อหนึ่งหน่วยงาน) แสดงตัวอย่างก่อน "
        "แล้วบันทึกทั้งไฟล์ในธุรกรรมเดียว หรือไม่บันทึกเลยหากมีข้อผิดพลาด"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์ผลการประเมิน (.xlsx หรือ .csv)")
        parser.add_argument(
            "--year", type=bounded(2500, 2700), required=True, help="ปีงบประมาณ พ.ศ. ของผล เช่น 2568"
        )
        parser.add_argument("--dry-run", action="store_true", help="ตรวจและแสดงตัวอย่างเท่านั้น ไม่บันทึก")
        parser.add_argument("--create-organisations", action="store_true", help="สร้างหน่วยงานที่ยังไม่มีในระบบ")
        parser.add_argument(
            "--user",
            help="นำเข้าในนามผู้ใช้นี้: บันทึกในประวัติ และนำเข้าได้เฉพาะหน่วยงานของผู้ใช้ (ไม่ระบุ = ทุกหน่วยงาน)",
        )
        parser.add_argument(
            "--show", type=bounded(0, 100_000), default=20, help="จำนวนแถวที่แสดงรายละเอียดในแต่ละกลุ่ม"
        )

    def handle(self, *args, file, year, dry_run, create_organisations, user, show, **options):
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(f"ไม่มีกรอบการประเมินของปี {year} (โหลดด้วย manage.py load_framework)")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"ไม่พบผู้ใช้ {user}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(f"ไฟล์ใหญ่เกิน {settings.IMPORT_MAX_BYTES // 1024 // 1024} MB")
        content = path.read_bytes()
        self.stderr.write("กำลังอ่านไฟล์…")
        try:
            sheet = read_sheet(content, max_rows=settings.IMPORT_MAX_ROWS)
        except SpreadsheetError as exc:
            raise CommandError(exc.message) from None
        progress = tqdm(total=0, unit=" แถว", desc="ตรวจข้อมูล", file=self.stderr, disable=None)

        def on_row(done: int, total: int) -> None:
            progress.total = total
            progress.update(1)

        try:
            plan = importing.plan_import(
                sheet,
                fiscal_year=fiscal_year,
                user=account,
                create_organisations=create_organisations,
                on_row=on_row,
            )
        except importing.HeaderError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        finally:
            progress.close()
        self._print_preview(plan, show)
        if plan.has_errors:
            wrong = plan.count(importing.Action.ERROR)
            raise CommandError(plan.unchecked_note or f"พบข้อผิดพลาด {wrong} แถว ยังไม่ได้บันทึกข้อมูลใด ๆ")
        if dry_run:
            self.stdout.write("ทดลองตรวจเท่านั้น (--dry-run) ยังไม่ได้บันทึกข้อมูลใด ๆ")
            return
        if not plan.changes_anything:
            self.stdout.write("ไม่มีข้อมูลที่ต่างจากที่บันทึกไว้ จึงไม่มีอะไรต้องนำเข้า")
            return
        self.stderr.write("กำลังบันทึก…")
        with transaction.atomic():
            score_import_apply(plan=plan, user=account, reason=f"นำเข้าจากไฟล์ {path.name}")
            score_import_stage(
                sheet=sheet, plan=plan, user=account, file_name=path.name, content=content, committed=True
            )
        self.stdout.write(self.style.SUCCESS("นำเข้าเรียบร้อยแล้ว"))

    def _print_preview(self, plan: importing.ImportPlan, show: int) -> None:
        write = self.stdout.write
        for warning in plan.columns.warnings:
            write(f"ข้อสังเกต: {warning}")
        write(
            f"ปีงบประมาณ {plan.catalogue.year}: สร้างใหม่ {plan.count(importing.Action.CREATE)}"
            f" (หน่วยงานใหม่ {plan.new_organisations})"
            f" · ปรับปรุง {plan.count(importing.Action.UPDATE)}"
            f" · ไม่เปลี่ยนแปลง {plan.count(importing.Action.UNCHANGED)}"
            f" · ข้าม (ไม่มีคะแนน) {plan.count(importing.Action.SKIP)}"
            f" · มีข้อผิดพลาด {plan.count(importing.Action.ERROR)}"
        )
        for error in plan.errors:
            write(f"ผิดพลาด: {error}")
        shown: dict[str, int] = {}
        for row in plan.rows:
            if row.action not in (importing.Action.CREATE, importing.Action.UPDATE):
                continue
            shown[row.action] = shown.get(row.action, 0) + 1
            if shown[row.action] > show:
                continue
            verb = "สร้าง" if row.action == importing.Action.CREATE else "ปรับปรุง"
            changes = ", ".join(f"{c.label} {c.old} → {c.new}" for c in row.changes)
            write(f"แถว {row.row} {verb} {row.organisation}: {changes}")
        for row in plan.rows:
            for warning in row.warnings:
                write(f"ข้อสังเกต แถว {row.row} ({row.organisation}): {warning}")
