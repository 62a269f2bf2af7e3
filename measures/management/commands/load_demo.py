"""Load the demo: five organisations, three users with a public password, their results, and a year
in progress dated from today (measures.demo)."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from ita_portal.commands import ThaiCommand
from ita_portal.thai import to_arabic_digits

from ... import demo


def _day(value: str) -> datetime.date:
    """A Buddhist-era d/m/yyyy (Thai digits accepted), for testing a day other than today."""
    try:
        day, month, year = (int(part) for part in to_arabic_digits(value).split("/"))
        return datetime.date(year - 543, month, day)
    except ValueError:
        raise CommandError(f"--today ต้องเป็นวันที่ พ.ศ. เช่น 6/12/2569 แต่ได้รับ “{value}”") from None


class Command(ThaiCommand):
    help = (
        "โหลดข้อมูลตัวอย่าง: หน่วยงาน 5 แห่งจากเอกสารอ้างอิง ผู้ใช้ตัวอย่าง 3 คน (รหัสผ่านเปิดเผยใน README) "
        "ผลการประเมิน และแผนของปีงบประมาณปัจจุบัน โหลดได้เฉพาะในฐานข้อมูลที่ว่างหรือมีแต่ข้อมูลตัวอย่าง"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="สำหรับ make run/serve: โหลดเฉพาะเมื่อฐานข้อมูลว่าง ถ้าเคยโหลดแล้วหรือมีข้อมูลจริงก็ข้ามไป (การแก้ไขยังอยู่)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="โหลดแม้ฐานข้อมูลมีข้อมูลอื่นหรือปิดโหมดพัฒนา (DEBUG) อยู่: ผู้ใช้ตัวอย่างมีรหัสผ่านที่เปิดเผย",
        )
        parser.add_argument("--today", help="วันที่ที่ใช้กำหนดปีของข้อมูลตัวอย่าง (ว/ด/ปี พ.ศ.) ค่าเริ่มต้นคือวันนี้")

    def handle(self, *args, **options):
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        if options["once"] and not options["force"]:
            state = demo.database_state()
            if state == "demo":
                self.stdout.write("ข้อมูลตัวอย่างโหลดไว้แล้ว ไม่โหลดซ้ำ (สิ่งที่แก้ไขไว้ยังอยู่)")
                return
            if state == "other":
                self.stdout.write("ฐานข้อมูลนี้มีข้อมูลจริง จึงไม่โหลดข้อมูลตัวอย่าง")
                return
        if not options["force"] and (why := demo.refusal()):
            raise CommandError(why)
        loaded = demo.demo_load(today)
        self.stdout.write(
            f"ข้อมูลตัวอย่าง: {loaded.organisations} หน่วยงาน, {loaded.users} ผู้ใช้, "
            f"{loaded.assessments} ผลการประเมิน (ล่าสุดปี {loaded.latest_year}), แผนใหม่ {loaded.plans} แผน"
        )
