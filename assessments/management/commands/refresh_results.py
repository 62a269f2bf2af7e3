"""Recompute the stored result of every assessment (or check that none drifted from its scores)."""

from django.core.management.base import CommandError

from assessments.models import Assessment
from assessments.services import results_drifted, results_refresh
from ita_portal.commands import ThaiCommand, bounded


class Command(ThaiCommand):
    help = "คำนวณคะแนนรวมและระดับที่เก็บไว้ของผลการประเมินทุกรายการใหม่จากคะแนน (--check: ตรวจอย่างเดียว)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=bounded(2500, 2700), help="เฉพาะปีงบประมาณนี้ (พ.ศ.)")
        parser.add_argument("--check", action="store_true", help="ตรวจว่าตรงกับคะแนนหรือไม่ โดยไม่แก้ไข")

    def handle(self, *args, year=None, check=False, **options):
        assessments = Assessment.objects.all()
        if year:
            assessments = assessments.filter(fiscal_year__year=year)
        if check:
            drifted = results_drifted(assessments)
            if drifted:
                raise CommandError(
                    f"ผลที่เก็บไว้ไม่ตรงกับคะแนน {len(drifted):,} รายการ (เช่น id {drifted[:10]}): "
                    "สั่ง refresh_results เพื่อคำนวณใหม่"
                )
            self.stdout.write(f"ผลที่เก็บไว้ตรงกับคะแนนทั้ง {assessments.count():,} รายการ")
            return
        self.stdout.write(f"คำนวณใหม่ {results_refresh(assessments):,} รายการ")
