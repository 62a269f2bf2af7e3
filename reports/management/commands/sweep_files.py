"""python manage.py sweep_files [--hours 24] [--dry-run] — files that no row names (a process killed
between writing a file and committing its row leaves one behind), and files of withdrawn documents
a crash kept from being removed: listed, and removed once older than --hours, so a save still in
progress is never touched. Run it daily beside the other cron lines.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ita_portal.commands import ThaiCommand, bounded
from ita_portal.storage import named_storage
from measures.models import Evidence

from ...models import PublishedDocument, PublishedEvidence, SignedCopy

# Each private store and the rows whose files it keeps (the "work" store holds caches only): a
# withdrawn row keeps its file's name in the history, but not the file.
KEPT_BY = {
    "evidence": [(Evidence, "file", {})],
    "published": [
        (PublishedDocument, "file", {"withdrawn_at__isnull": True}),
        (PublishedEvidence, "file", {"withdrawn_at__isnull": True}),
        (SignedCopy, "file", {"document__withdrawn_at__isnull": True}),
    ],
}


def stored_names(storage, folder: str = ""):
    """Every file's name under ``folder`` of ``storage``, its subfolders included."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


class Command(ThaiCommand):
    help = "ตรวจหาไฟล์ที่ไม่มีข้อมูลในฐานข้อมูลอ้างถึง (เช่น จากการบันทึกที่หยุดกลางคัน) รายงาน และลบเมื่อเก่ากว่า --hours ชั่วโมง"

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=bounded(1, 8760), default=24, help="ลบเฉพาะไฟล์ที่เก่ากว่านี้ (1–8760 ชั่วโมง)"
        )
        parser.add_argument("--dry-run", action="store_true", help="รายงานอย่างเดียว ไม่ลบ")

    def handle(self, *args, hours: int, dry_run: bool, **options):
        before = timezone.now() - datetime.timedelta(hours=hours)
        removed = kept_young = 0
        for store, owners in KEPT_BY.items():
            storage = named_storage(store)
            known = {
                name
                for model, field, kept in owners
                for name in model.objects.filter(**kept).values_list(field, flat=True)
                if name
            }
            for name in stored_names(storage):
                if name in known:
                    continue
                if storage.get_modified_time(name) > before:
                    kept_young += 1  # perhaps a save still in progress
                    continue
                self.stdout.write(f"{'พบ' if dry_run else 'ลบ'}ไฟล์ที่ไม่มีข้อมูลอ้างถึง: {store}/{name}")
                if not dry_run:
                    storage.delete(name)
                removed += 1
        verb = "พบ" if dry_run else "ลบ"
        self.stdout.write(
            f"{verb}ไฟล์ที่ไม่มีข้อมูลอ้างถึง {removed:,} ไฟล์"
            + (f" (ยังไม่ถึง {hours} ชั่วโมงจึงเก็บไว้ก่อน {kept_young:,} ไฟล์)" if kept_young else "")
        )
