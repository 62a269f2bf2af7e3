"""Load the demo organisations, users and assessments (idempotent)."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from assessments import scoring
from assessments.models import FiscalYear, Membership, Organisation
from assessments.services import ScoreSheet, assessment_save_scores
from ita_portal.commands import ThaiCommand

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


def _score(value):
    return None if value is None else scoring.parse_score(value)


class Command(ThaiCommand):
    help = "โหลดข้อมูลตัวอย่าง: หน่วยงาน 5 แห่งจากเอกสารอ้างอิง ผู้ใช้ตัวอย่าง และผลการประเมิน"

    @transaction.atomic
    def handle(self, *args, **options):
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        organisations = {}
        for item in data["organisations"]:
            fields = {k: v for k, v in item.items() if k not in ("key", "code")}
            organisations[item["key"]], _ = Organisation.objects.update_or_create(
                code=item["code"], defaults=fields
            )
        User = get_user_model()
        for item in data["users"]:
            user, _ = User.objects.update_or_create(
                username=item["username"],
                defaults={
                    "first_name": item["first_name"],
                    "last_name": item["last_name"],
                    "password": item["password_hash"],
                },
            )
            for key, role in item["memberships"].items():
                Membership.objects.update_or_create(
                    user=user, organisation=organisations[key], defaults={"role": role}
                )
        for item in data["assessments"]:
            fiscal_year = FiscalYear.objects.get(year=item["year"])
            numbers = sorted(fiscal_year.indicators.values_list("number", flat=True))
            questions = item.get("questions", {})
            sheet = ScoreSheet(
                indicators={
                    n: scoring.parse_score(v) for n, v in zip(numbers, item["indicators"], strict=True)
                },
                questions={code: _score(q.get("score")) for code, q in questions.items()},
                question_recommendations={code: q.get("recommendation", "") for code, q in questions.items()},
                published_overall=_score(item.get("published_overall")),
                published_level=item.get("published_level", ""),
                published_tools={code: _score(v) for code, v in item.get("published_tools", {}).items()},
            )
            assessment_save_scores(
                organisation=organisations[item["organisation"]],
                fiscal_year=fiscal_year,
                sheet=sheet,
                user=None,
            )
        self.stdout.write(
            f"ข้อมูลตัวอย่าง: {len(organisations)} หน่วยงาน, {len(data['users'])} ผู้ใช้, "
            f"{len(data['assessments'])} ผลการประเมิน"
        )
