"""Load or update yearly ITA frameworks from their data files."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from assessments.services import framework_load
from ita_portal.commands import ThaiCommand

FRAMEWORK_DIR = Path(settings.BASE_DIR) / "fixtures" / "frameworks"


class Command(ThaiCommand):
    help = "โหลดหรือปรับปรุงกรอบการประเมินรายปีจากแฟ้ม fixtures/frameworks/<ปี>.json"

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            help="แฟ้ม JSON หรือปี พ.ศ. (เช่น 2568); ไม่ระบุ = ทุกแฟ้มใน fixtures/frameworks",
        )

    def handle(self, *args, files, **options):
        paths = [self._path(item) for item in files] or sorted(FRAMEWORK_DIR.glob("*.json"))
        if not paths:
            raise CommandError(f"ไม่พบแฟ้มกรอบการประเมินใน {FRAMEWORK_DIR}")
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"อ่านแฟ้ม {path} ไม่ได้: {exc}") from exc
            try:
                with transaction.atomic():
                    load = framework_load(data=data)
            except ValidationError as exc:
                raise CommandError(f"{path.name}: " + "; ".join(exc.messages)) from exc
            fiscal_year = load.fiscal_year
            verb = "สร้าง" if load.created else "ปรับปรุง"
            self.stdout.write(
                f"{verb}กรอบการประเมินปี {fiscal_year.year}: "
                f"{fiscal_year.indicators.count()} ตัวชี้วัด, {fiscal_year.questions.count()} ข้อ, "
                f"{fiscal_year.levels.count()} ระดับ"
            )
            for change in load.changed_items:
                self.stdout.write(f"  ข้อ {change.code}: “{change.old}” → “{change.new}”")
            for note in load.notes:
                self.stdout.write(f"  {note}")

    def _path(self, item: str) -> Path:
        if item.isdigit():
            return FRAMEWORK_DIR / f"{item}.json"
        path = Path(item)
        if not path.exists():
            raise CommandError(f"ไม่พบแฟ้ม {item}")
        return path
