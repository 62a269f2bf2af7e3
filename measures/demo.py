"""The demo data (``fixtures/demo.json``): the five organisations of the reference documents with the
results they print, three demo users, and a year in progress dated from today.

A first run (``load_demo --once``) loads it only into an empty database, once, so a restart keeps
every edit; asked directly, ``load_demo`` refuses a database that holds anything but the demo, or a
server with DEBUG off, unless told ``--force``: the demo users' password is public.

The reference results are of their own years (2562–2568). So that a newcomer sees the ITA year as
it stands today, two organisations also get a result for the latest fiscal year whose results are
out, and plans for the current fiscal year: one approved, its measures due across the year and
reported on up to today, one a draft for the working group to review.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from assessments import scoring
from assessments.models import Assessment, FiscalYear, Membership, Organisation
from assessments.services import ScoreSheet, assessment_save_scores
from ita_portal.thai import fiscal_year_of

from .choices import MeasureStatus
from .models import MeasurePlan
from .services import plan_approve, plan_generate, plan_submit, progress_report

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
DEMO_PREFIX = "DEMO-"
# The README's: every demo user has it (demo.json keeps only its hash); printed at start-up.
DEMO_PASSWORD = "ItaDemo!2568"  # noqa: S105 — public by design, and refused outside a demo database
RESULTS_MONTH = 9  # NACC announces a year's results in August or September (2568: 18 August 2025)


class DemoRefused(Exception):
    """The database holds something other than the demo; the message says what, in Thai."""


def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def database_state() -> str:
    """ "empty", "demo" (only the demo's organisations and users) or "other" (anything else)."""
    data = demo_data()
    users = get_user_model().objects.all()
    other_users = users.exclude(username__in=[u["username"] for u in data["users"]])
    other_organisations = Organisation.objects.exclude(code__startswith=DEMO_PREFIX)
    if other_users.exists() or other_organisations.exists():
        return "other"
    return "demo" if users.exists() or Organisation.objects.exists() else "empty"


def refusal() -> str:
    """Why the demo may not be written into this database, in Thai, or "" when it may."""
    if not settings.DEBUG:
        return (
            "ไม่โหลดข้อมูลตัวอย่างเมื่อปิดโหมดพัฒนา (DEBUG) อยู่ เพราะผู้ใช้ตัวอย่างมีรหัสผ่านที่เปิดเผยใน README "
            "ถ้าตั้งใจจริง ให้สั่งซ้ำพร้อม --force"
        )
    if database_state() == "other":
        organisations = Organisation.objects.exclude(code__startswith=DEMO_PREFIX).count()
        users = get_user_model().objects.exclude(username__in=[u["username"] for u in demo_data()["users"]])
        return (
            f"ฐานข้อมูลนี้มีข้อมูลจริงอยู่แล้ว (หน่วยงาน {organisations} แห่ง ผู้ใช้ {users.count()} คน ที่ไม่ใช่ข้อมูลตัวอย่าง) "
            "จึงไม่เขียนผู้ใช้ตัวอย่างซึ่งมีรหัสผ่านที่เปิดเผยลงไป ถ้าตั้งใจจริง ให้สั่งซ้ำพร้อม --force"
        )
    return ""


def latest_results_year(today: datetime.date) -> int:
    """The latest fiscal year whose results are out on ``today`` (and whose framework is loaded)."""
    current = fiscal_year_of(today)
    year = current if today.month == RESULTS_MONTH else current - 1
    loaded = (
        FiscalYear.objects.filter(year__lte=year).order_by("-year").values_list("year", flat=True).first()
    )
    return loaded or year


@dataclass(frozen=True)
class Loaded:
    organisations: int
    users: int
    assessments: int
    plans: int
    latest_year: int


@transaction.atomic
def demo_load(today: datetime.date, *, year_in_progress: bool = True) -> Loaded:
    """Write the demo (idempotent: demo records are brought back to the demo's values);
    ``year_in_progress=False`` writes only the reference documents' results."""
    data = demo_data()
    organisations = _organisations(data)
    users = _users(data, organisations)
    for item in data["assessments"]:
        _assessment(organisations[item["organisation"]], item["year"], item)
    latest = latest_results_year(today)
    current = data["current"] if year_in_progress else {"assessments": [], "plans": []}
    reference = {(item["organisation"], item["year"]) for item in data["assessments"]}
    for item in current["assessments"]:
        if (item["organisation"], latest) not in reference:  # a reference result is never overwritten
            _assessment(organisations[item["organisation"]], latest, item)
    plans = 0
    for item in current["plans"]:
        assessment = Assessment.objects.get(
            organisation=organisations[item["organisation"]], fiscal_year__year=latest
        )
        if not MeasurePlan.objects.filter(assessment=assessment).exists():
            _plan(assessment, item, users, today)
            plans += 1
    return Loaded(
        len(organisations), len(users), len(data["assessments"]) + len(current["assessments"]), plans, latest
    )


def _organisations(data: dict) -> dict[str, Organisation]:
    organisations = {}
    for item in data["organisations"]:
        fields = {k: v for k, v in item.items() if k not in ("key", "code")}
        organisations[item["key"]], _ = Organisation.objects.update_or_create(
            code=item["code"], defaults=fields
        )
    return organisations


def _users(data: dict, organisations: dict[str, Organisation]) -> dict[str, object]:
    User = get_user_model()
    users = {}
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
        users[item["username"]] = user
    return users


def _score(value):
    return None if value is None else scoring.parse_score(value)


def _assessment(organisation: Organisation, year: int, item: dict) -> Assessment:
    fiscal_year = FiscalYear.objects.get(year=year)
    numbers = sorted(fiscal_year.indicators.values_list("number", flat=True))
    questions = item.get("questions", {})
    sheet = ScoreSheet(
        indicators={n: scoring.parse_score(v) for n, v in zip(numbers, item["indicators"], strict=True)},
        questions={code: _score(q.get("score")) for code, q in questions.items()},
        question_recommendations={code: q.get("recommendation", "") for code, q in questions.items()},
        published_overall=_score(item.get("published_overall")),
        published_level=item.get("published_level", ""),
        published_tools={code: _score(v) for code, v in item.get("published_tools", {}).items()},
        eit_part1=_score(item.get("eit_parts", [None, None])[0]),
        eit_part2=_score(item.get("eit_parts", [None, None])[1]),
    )
    return assessment_save_scores(organisation=organisation, fiscal_year=fiscal_year, sheet=sheet, user=None)


def _plan(assessment: Assessment, item: dict, users: dict, today: datetime.date) -> MeasurePlan:
    """The draft the templates propose; taken to approval, with progress up to ``today``, if asked."""
    plan = plan_generate(assessment=assessment, user=users[item["generated_by"]]).plan
    if item["status"] == "draft":
        return plan
    plan_submit(plan=plan, user=users[item["submitted_by"]])
    start = plan.measures.order_by("period_start").first().planned_start if plan.measures.exists() else today
    meeting = min(today, start + datetime.timedelta(days=14))
    plan = plan_approve(
        plan=plan,
        user=users[item["approved_by"]],
        meeting_number=item["meeting_number"],
        meeting_date=meeting,
    )
    reporter = users[item["reported_by"]]
    for measure in plan.measures.order_by("order"):
        _progress(measure, reporter, today)
    return plan


def _progress(measure, user, today: datetime.date) -> None:
    """Done if it was due before today; half-way through if it is under way; nothing if not begun."""
    start, end = measure.planned_start, measure.planned_end
    if start > today:
        return
    finished = end < today
    reported_on = end if finished else today
    elapsed = (today - start).days / max((end - start).days, 1)
    percent = 100 if finished else min(90, max(10, round(elapsed * 10) * 10))  # time, not a score
    progress_report(
        measure=measure,
        user=user,
        reported_on=reported_on,
        status=MeasureStatus.DONE if finished else MeasureStatus.IN_PROGRESS,
        percent=percent,
        result=(
            "ดำเนินการครบตามขั้นตอนที่กำหนด และรายงานผลต่อคณะทำงาน ITA แล้ว"
            if finished
            else "อยู่ระหว่างดำเนินการตามขั้นตอนที่กำหนด"
        ),
    )
