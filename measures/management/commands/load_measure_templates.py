"""Load or update the measure template library from fixtures/measure_templates.json."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from ita_portal.commands import ThaiCommand
from measures.services import measure_templates_load

TEMPLATE_FILE = Path(settings.BASE_DIR) / "fixtures" / "measure_templates.json"


class Command(ThaiCommand):
    help = "โหลดหรือปรับปรุงแม่แบบมาตรการจาก fixtures/measure_templates.json (ต้องโหลดกรอบการประเมินก่อน)"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(TEMPLATE_FILE), help="แฟ้ม JSON ของแม่แบบ")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"อ่านแฟ้ม {path} ไม่ได้: {exc}") from exc
        try:
            created, updated = measure_templates_load(data=data)
        except ValidationError as exc:
            raise CommandError(f"{path.name}: " + "; ".join(exc.messages)) from exc
        self.stdout.write(f"แม่แบบมาตรการ: เพิ่ม {created} ปรับปรุง {updated} จากทั้งหมด {len(data['templates'])}")
