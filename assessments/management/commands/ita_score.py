"""Compute an ITA result from the ten indicator scores, by the year's rules."""

import json

from django.core.management.base import CommandError

from assessments import consistency, scoring
from assessments.models import FiscalYear
from assessments.selectors import framework_for_year
from ita_portal.commands import ThaiCommand, bounded


class Command(ThaiCommand):
    help = "คำนวณคะแนนรายเครื่องมือ คะแนนรวม และระดับ จากคะแนน 10 ตัวชี้วัด ตามเกณฑ์ของปีงบประมาณ แล้วพิมพ์ผลเป็น JSON"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=bounded(2500, 2700), required=True, help="ปีงบประมาณ พ.ศ. เช่น 2568")
        parser.add_argument(
            "--indicators",
            required=True,
            help="คะแนนตัวชี้วัดที่ 1–10 คั่นด้วยจุลภาค เช่น 100,100,99.75,...",
        )
        parser.add_argument(
            "--eit-parts",
            help="คะแนน EIT ส่วนที่ 1 และส่วนที่ 2 ที่ ป.ป.ช. ประกาศ คั่นด้วยจุลภาค เช่น 97.50,80 (ปี 2567 เป็นต้นไป)",
        )
        parser.add_argument("--published-overall", help="คะแนนภาพรวมที่ ป.ป.ช. ประกาศ")
        parser.add_argument("--published-level", default="", help="ระดับที่ ป.ป.ช. ประกาศ")

    def handle(self, *args, year, indicators, eit_parts, published_overall, published_level, **options):
        try:
            framework = framework_for_year(year)
        except FiscalYear.DoesNotExist:
            raise CommandError(f"ไม่มีกรอบการประเมินของปี {year} (โหลดด้วย manage.py load_framework)") from None
        values = [v for v in indicators.split(",")]
        numbers = framework.indicator_numbers
        if len(values) != len(numbers):
            raise CommandError(f"ปี {year} มี {len(numbers)} ตัวชี้วัด แต่ได้รับคะแนน {len(values)} ค่า")
        scores = {}
        for number, value in zip(numbers, values, strict=True):
            try:
                scores[number] = scoring.parse_score(value)
            except scoring.ScoreError as exc:
                raise CommandError(f"ตัวชี้วัดที่ {number} ({value.strip()!r}): {exc.message}") from None
        parts = self._eit_parts(framework, eit_parts) if eit_parts is not None else None
        published = None
        if published_overall is not None or published_level:
            try:
                overall = scoring.parse_score(published_overall) if published_overall is not None else None
            except scoring.ScoreError as exc:
                raise CommandError(f"--published-overall: {exc.message}") from None
            published = consistency.Published(overall=overall, level=published_level)

        result = scoring.evaluate(framework, scores, parts)
        output = {"year": year}
        output.update({code.lower(): f"{value:.2f}" for code, value in result.tool_scores.items()})
        output["eit_parts"] = [f"{value:.2f}" for value in result.eit_parts] if result.eit_parts else None
        output["overall"] = f"{result.overall:.2f}"
        output["level"] = result.level.label if result.level else None
        output["level_provisional"] = result.level_provisional
        output["passed"] = result.passed
        output["targets"] = [
            {"label": t.label, "value": f"{t.value:.2f}", "target": f"{t.target:.2f}", "met": t.met}
            for t in result.targets
        ]
        if published is not None:
            findings = consistency.check_consistency(framework, result, published)
            output["consistent"] = not findings
            output["findings"] = [{"field": f.field, "message": f.message} for f in findings]
        self.stdout.write(json.dumps(output, ensure_ascii=False))

    def _eit_parts(self, framework: scoring.Framework, text: str) -> tuple:
        """The two part scores from "P1,P2" (Thai digits accepted); CommandError in Thai otherwise."""
        if not framework.eit_parts:
            raise CommandError(f"--eit-parts: ปี {framework.year} EIT ไม่ได้แยกคะแนนเป็นสองส่วน")
        values = text.split(",")
        if len(values) != len(scoring.PARTS):
            raise CommandError(
                f"--eit-parts: ต้องมีคะแนน 2 ค่า (ส่วนที่ 1,ส่วนที่ 2) คั่นด้วยจุลภาค แต่ได้รับ {len(values)} ค่า"
            )
        parts = []
        for part, value in zip(scoring.PARTS, values, strict=True):
            try:
                parts.append(scoring.parse_score(value))
            except scoring.ScoreError as exc:
                raise CommandError(f"--eit-parts ส่วนที่ {part} ({value.strip()!r}): {exc.message}") from None
        return tuple(parts)
