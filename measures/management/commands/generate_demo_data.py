"""python manage.py generate_demo_data --organisations 8300 --years 2562-2569 [--plans] [--seed N]

A national dataset for benchmarks and for trying the portal at scale: organisations in every
province (one อบจ., municipalities and อบต. in the national proportions of DOMAIN.md), an
assessment per organisation and year with indicator scores around that year's national mean and
question scores around their indicator's, and with ``--plans`` an approved plan of measures and
progress reports for the last two result years. Written with bulk inserts (COPY on PostgreSQL);
generated rows carry no history. Codes start with "GEN-", so the rows never mix with real ones,
and a second run refuses to start until ``--replace`` removes the first.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from assessments.choices import OrganisationType, SizeClass
from assessments.importing import bulk
from assessments.models import Assessment, FiscalYear, IndicatorScore, Organisation, QuestionScore
from assessments.services import results
from ita_portal.commands import ThaiCommand, bounded
from ita_portal.thai import parse_be_year, quarter_bounds
from measures.choices import MeasureKind, MeasureStatus, PlanStatus
from measures.models import Measure, MeasurePlan, ProgressUpdate
from measures.services import plan_counters_refresh

from ._demo_places import PARTS, PROVINCES

# National means where DOMAIN.md gives them; the others between their neighbours.
NATIONAL_MEAN = {
    2562: "64.00", 2563: "67.90", 2564: "81.25", 2565: "87.57",
    2566: "90.19", 2567: "92.00", 2568: "93.82", 2569: "94.00",
}  # fmt: skip
TWO = Decimal("0.01")


def insert(model, rows: list[dict]) -> None:
    """bulk.insert_rows with "" for the blank text fields the rows leave out (they have no default)."""
    blanks = {
        f.attname: ""
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and f.blank and not f.has_default()
    }
    bulk.insert_rows(model, [{**blanks, **row} for row in rows])


def _score(value: float) -> Decimal:
    return Decimal(str(min(100.0, max(0.0, value)))).quantize(TWO, rounding=ROUND_HALF_UP)


class Command(ThaiCommand):
    help = "สร้างข้อมูลจำลองระดับประเทศ (หน่วยงาน ผลการประเมินหลายปี และแผนมาตรการ) สำหรับทดสอบความเร็ว"

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=bounded(1, 20_000), default=8300)
        parser.add_argument("--years", default="2562-2569", help="เช่น 2562-2569 หรือ 2568")
        parser.add_argument(
            "--plans", action="store_true", help="สร้างแผนมาตรการและรายงานความก้าวหน้าของสองปีล่าสุดด้วย"
        )
        parser.add_argument("--seed", type=bounded(0, 999_999_999), default=2568)
        parser.add_argument("--replace", action="store_true", help="ลบข้อมูลจำลองชุดเดิม (รหัส GEN-) ก่อน")

    def handle(self, *args, organisations: int, years: str, plans: bool, seed: int, replace: bool, **options):
        first, _, last = years.partition("-")
        start, end = parse_be_year(first), parse_be_year(last or first)
        if start is None or end is None or start > end:
            raise CommandError(f"--years ต้องเป็นปี พ.ศ. เช่น 2562-2569 (ได้รับ “{years}”)")
        if organisations < 1 or organisations > 20000:
            raise CommandError("--organisations ต้องอยู่ระหว่าง 1 ถึง 20000")
        fiscal_years = list(FiscalYear.objects.filter(year__range=(start, end)).order_by("year"))
        if not fiscal_years:
            raise CommandError(f"ยังไม่มีกรอบการประเมินปี {start}–{end} ให้โหลด load_framework ก่อน")
        generated = Organisation.objects.filter(code__startswith="GEN-")
        if generated.exists() and not replace:
            raise CommandError("มีข้อมูลจำลองอยู่แล้ว ใช้ --replace เพื่อลบชุดเดิมแล้วสร้างใหม่")
        rng = random.Random(seed)
        with transaction.atomic():
            if replace:
                generated.delete()
            org_ids = self._organisations(rng, organisations)
            counts = self._assessments(rng, org_ids, fiscal_years)
            if plans:
                counts |= self._plans(rng, fiscal_years[-2:])
            self._reset_sequences()
        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them PostgreSQL plans the first queries on the
            # new rows as if the tables were empty (autovacuum would catch up only later).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            "สร้างข้อมูลจำลอง: " + ", ".join(f"{name} {count:,}" for name, count in counts.items())
        )

    def _organisations(self, rng: random.Random, count: int) -> list[tuple[int, str]]:
        """(id, province) of each new organisation: one อบจ. per province first, then the others."""
        next_id = (Organisation.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        types = (
            [OrganisationType.SAO] * 64
            + [OrganisationType.SUBDISTRICT_MUNICIPALITY] * 27
            + [OrganisationType.TOWN_MUNICIPALITY] * 2
            + [OrganisationType.CITY_MUNICIPALITY] * 1
        )
        prefix = {
            OrganisationType.SAO: "องค์การบริหารส่วนตำบล",
            OrganisationType.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
            OrganisationType.TOWN_MUNICIPALITY: "เทศบาลเมือง",
            OrganisationType.CITY_MUNICIPALITY: "เทศบาลนคร",
        }
        rows, made = [], []
        # Existing organisations keep their names: a generated one that would clash is marked.
        seen = set(Organisation.objects.values_list("name", "district", "province"))
        for n in range(count):
            province = PROVINCES[n % len(PROVINCES)]
            if n < len(PROVINCES):
                kind, name, district = (
                    OrganisationType.PAO,
                    f"องค์การบริหารส่วนจังหวัด{province}",
                    f"เมือง{province}",
                )
            else:
                kind = rng.choice(types)
                district = rng.choice(
                    [f"เมือง{province}", *(f"{rng.choice(PARTS)}{rng.choice(PARTS)}" for _ in range(3))]
                )
                name = f"{prefix[kind]}{rng.choice(PARTS)}{rng.choice(PARTS)}"
                while (name, district, province) in seen:
                    name = f"{name}{rng.choice(PARTS)}"
            if (name, district, province) in seen:  # a real อบจ. of the province is already there
                name = f"{name} (ข้อมูลจำลอง)"
            seen.add((name, district, province))
            size = rng.choices([SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE], [60, 30, 10])[0]
            rows.append(
                {
                    "id": next_id + n,
                    "code": f"GEN-{n + 1:05d}",
                    "name": name,
                    "org_type": kind,
                    "size_class": size,
                    "district": district,
                    "province": province,
                    "website": "",
                    "garuda_type": "",
                }
            )
            made.append((next_id + n, province))
        insert(Organisation, rows)
        return made

    def _assessments(self, rng: random.Random, org_ids, fiscal_years) -> dict[str, int]:
        next_id = (Assessment.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        ability = {org_id: rng.gauss(0, 4) for org_id, _ in org_ids}
        assessments, indicator_rows, question_rows = [], [], []
        for fy in fiscal_years:
            mean = float(NATIONAL_MEAN.get(fy.year, "90"))
            indicators = list(fy.indicators.order_by("number"))
            questions: dict[int, list[int]] = {}
            for question_id, indicator_id in fy.questions.exclude(kind="oit_item").values_list(
                "id", "indicator_id"
            ):
                questions.setdefault(indicator_id, []).append(question_id)
            for org_id, _province in org_ids:
                assessment_id = next_id
                next_id += 1
                assessments.append({"id": assessment_id, "organisation_id": org_id, "fiscal_year_id": fy.pk})
                for indicator in indicators:
                    value = mean + ability[org_id] + rng.gauss(0, 6 if indicator.number >= 9 else 3)
                    score = _score(value)
                    indicator_rows.append(
                        {"assessment_id": assessment_id, "indicator_id": indicator.pk, "score": score}
                    )
                    for question_id in questions.get(indicator.pk, [])[:4]:
                        question_rows.append(
                            {
                                "assessment_id": assessment_id,
                                "question_id": question_id,
                                "score": _score(float(score) + rng.gauss(0, 4)),
                            }
                        )
        insert(Assessment, assessments)
        insert(IndicatorScore, indicator_rows)
        insert(QuestionScore, question_rows)
        results.refresh_with(results.Models.of_app(), [row["id"] for row in assessments])
        return {
            "หน่วยงาน": len(org_ids),
            "ผลการประเมิน": len(assessments),
            "คะแนนตัวชี้วัด": len(indicator_rows),
            "คะแนนรายข้อ": len(question_rows),
        }

    def _plans(self, rng: random.Random, fiscal_years) -> dict[str, int]:
        """An approved plan for each generated assessment of these years: about 14 measures, most
        with a progress report, some done, some late, a few cancelled."""
        plan_id = (MeasurePlan.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        measure_id = (Measure.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        plans, measures, updates = [], [], []
        reporter, _ = get_user_model().objects.get_or_create(
            username="gen-reporter", defaults={"first_name": "ผู้รายงาน", "last_name": "ข้อมูลจำลอง"}
        )
        for fy in fiscal_years:
            indicators = list(fy.indicators.order_by("number").values_list("id", "number", "name"))
            generated = Assessment.objects.filter(fiscal_year=fy, organisation__code__startswith="GEN-")
            for assessment_id in generated.values_list("id", flat=True):
                plans.append(
                    {
                        "id": plan_id,
                        "assessment_id": assessment_id,
                        "plan_year": fy.year + 1,
                        "status": PlanStatus.APPROVED,
                    }
                )
                for order in range(1, rng.randint(10, 18) + 1):
                    indicator = indicators[min(order - 1, len(indicators) - 1) % len(indicators)]
                    measure, update = _demo_measure(rng, fy.year + 1, plan_id, measure_id, order, indicator)
                    measures.append(measure)
                    if update:
                        updates.append({**update, "created_by_id": reporter.pk})
                    measure_id += 1
                plan_id += 1
        insert(MeasurePlan, plans)
        insert(Measure, measures)
        insert(ProgressUpdate, updates)
        plan_counters_refresh(MeasurePlan.objects.filter(pk__in=[row["id"] for row in plans]))
        return {"แผน": len(plans), "มาตรการ": len(measures), "รายงานความก้าวหน้า": len(updates)}

    @staticmethod
    def _reset_sequences() -> None:
        models = [
            Organisation,
            Assessment,
            IndicatorScore,
            QuestionScore,
            MeasurePlan,
            Measure,
            ProgressUpdate,
        ]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


STATUSES = [MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS, MeasureStatus.DONE, MeasureStatus.CANCELLED]
CANCELLED_BECAUSE = "ดำเนินการรวมกับมาตรการอื่น"


def _demo_measure(rng: random.Random, plan_year: int, plan_id: int, measure_id: int, order: int, indicator):
    """One generated measure's row and, unless it has not started, its progress report's row."""
    indicator_id, number, name = indicator
    start = rng.randint(1, 3)
    end_quarter = rng.randint(start, 4)
    status = rng.choices(STATUSES, [20, 35, 40, 5])[0]
    percent = {MeasureStatus.NOT_STARTED: 0, MeasureStatus.DONE: 100}.get(status, rng.randint(10, 90))
    reported = fiscal_day(plan_year, rng.choice([11, 1, 3, 5, 7]), rng.randint(1, 28))
    cancel_reason = CANCELLED_BECAUSE if status == MeasureStatus.CANCELLED else ""
    measure = {
        "id": measure_id,
        "plan_id": plan_id,
        "indicator_id": indicator_id,
        "kind": MeasureKind.IMPROVE if order % 3 else MeasureKind.KEEP,
        "order": order,
        "title": f"มาตรการพัฒนาตัวชี้วัดที่ {number} {name} ชุดที่ {order}",
        "analysis": f"ตัวชี้วัดที่ {number} {name} ยังพัฒนาได้อีก",
        "steps": "ทบทวนการดำเนินงาน\nจัดทำและเผยแพร่ข้อมูล\nติดตามผล",
        "period_start": start,
        "period_end": end_quarter,
        "planned_end_on": quarter_bounds(plan_year, end_quarter)[1],
        "status": status,
        "percent": percent,
        "cancel_reason": cancel_reason,
        "last_update_on": None if status == MeasureStatus.NOT_STARTED else reported,
    }
    if status == MeasureStatus.NOT_STARTED:
        return measure, None
    update = {
        "measure_id": measure_id,
        "reported_on": reported,
        "status": status,
        "percent": percent,
        "result": "ดำเนินการตามขั้นตอนที่กำหนด",
        "cancel_reason": cancel_reason,
    }
    return measure, update


def fiscal_day(year_be: int, month: int, day: int) -> datetime.date:
    """A day of fiscal year ``year_be`` (October–December fall in the Christian year before)."""
    year = year_be - 543 - (1 if month >= 10 else 0)
    return datetime.date(year, month, day)
