"""Saving scores and loading frameworks: all or nothing, idempotent, with history."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assessments.choices import Role
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Organisation,
    Question,
    QuestionScore,
    RatingLevel,
)
from assessments.services import ScoreSheet, assessment_save_scores, framework_load
from measures.models import MeasurePlan
from tests.factories import KHOKMON_2568, OrganisationFactory, make_assessment, member

pytestmark = pytest.mark.django_db
FRAMEWORK_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "frameworks"


def load_json(year):
    return json.loads((FRAMEWORK_DIR / f"{year}.json").read_text(encoding="utf-8"))


def test_fiscal_years_have_their_dates_and_frameworks():
    years = FiscalYear.objects.order_by("year")
    assert [fy.year for fy in years] == list(range(2562, 2570))
    fy = FiscalYear.objects.get(year=2568)
    assert (fy.start_date.isoformat(), fy.end_date.isoformat()) == ("2024-10-01", "2025-09-30")
    assert fy.tools.count() == 3 and fy.indicators.count() == 10
    assert Indicator.objects.get(fiscal_year__year=2564, number=8).name == "การปรับปรุงระบบการทำงาน"
    assert Indicator.objects.get(fiscal_year__year=2568, number=8).name == "การปรับปรุงการทำงาน"


def test_question_codes_belong_to_their_year():
    o10_2566 = Question.objects.get(fiscal_year__year=2566, code="o10")
    o10_2568 = Question.objects.get(fiscal_year__year=2568, code="o10")
    assert o10_2568.text == "E-Service"
    assert o10_2566.text != o10_2568.text
    assert Question.objects.get(fiscal_year__year=2568, code="o27").sub_indicator.code == "10.2"
    assert Question.objects.filter(fiscal_year__year=2564, code__startswith="i").count() == 30
    assert Question.objects.get(fiscal_year__year=2564, code="i13").indicator.number == 3


def test_unconfirmed_entries_carry_the_mark():
    assert Question.objects.get(fiscal_year__year=2568, code="o2").unconfirmed
    assert not Question.objects.get(fiscal_year__year=2568, code="o8").unconfirmed
    assert RatingLevel.objects.get(fiscal_year__year=2568, code="improve").unconfirmed
    assert not RatingLevel.objects.get(fiscal_year__year=2568, code="good").unconfirmed
    assert all(RatingLevel.objects.filter(fiscal_year__year=2566).values_list("unconfirmed", flat=True))
    assert FiscalYear.objects.get(year=2569).unconfirmed


def test_loading_a_framework_again_updates_in_place():
    before = {q.code: q.pk for q in Question.objects.filter(fiscal_year__year=2568)}
    data = load_json(2568)
    data["indicators"][7]["name"] = "การปรับปรุงการทำงาน (แก้ไข)"
    data["questions"] = [q for q in data["questions"] if q["code"] != "o2"]
    load = framework_load(data=data)
    fiscal_year = load.fiscal_year
    assert not load.created
    assert load.changed_items == []  # an indicator renamed and a question dropped: no wording changed
    assert Indicator.objects.get(fiscal_year=fiscal_year, number=8).name == "การปรับปรุงการทำงาน (แก้ไข)"
    after = {q.code: q.pk for q in Question.objects.filter(fiscal_year__year=2568)}
    assert "o2" not in after
    assert all(before[code] == pk for code, pk in after.items())


def test_a_question_with_scores_is_kept_when_the_file_drops_it():
    org = OrganisationFactory()
    make_assessment(org, questions={"o2": Decimal("100")})
    data = load_json(2568)
    data["questions"] = [q for q in data["questions"] if q["code"] != "o2"]
    framework_load(data=data)
    assert Question.objects.filter(fiscal_year__year=2568, code="o2").exists()


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d["tools"][0].update(weight="0.5"), "น้ำหนักของเครื่องมือรวมกันได้"),
        (lambda d: d["indicators"][0].update(tool="XYZ"), "อ้างถึงเครื่องมือ XYZ"),
        (lambda d: d["levels"].reverse(), "เรียงจากดีที่สุด"),
        (lambda d: d["questions"][0].update(indicator=11), "ตัวชี้วัดที่ 11 ที่ไม่มี"),
        (lambda d: d["questions"].append(dict(d["questions"][0])), "รหัสข้อคำถามซ้ำกัน"),
        (lambda d: d["tools"][1].update(code="XIT"), "แต่ไม่มีเครื่องมือ EIT"),
    ],
)
def test_a_bad_framework_file_is_refused_and_nothing_changes(change, message):
    data = load_json(2568)
    change(data)
    names = list(Indicator.objects.filter(fiscal_year__year=2568).values_list("name", flat=True))
    with pytest.raises(ValidationError) as exc:
        framework_load(data=data)
    assert any(message in m for m in exc.value.messages)
    assert list(Indicator.objects.filter(fiscal_year__year=2568).values_list("name", flat=True)) == names


def test_save_scores_is_all_or_nothing():
    org = OrganisationFactory()
    fiscal_year = FiscalYear.objects.get(year=2568)
    sheet = ScoreSheet(
        indicators={n: Decimal(v) for n, v in enumerate(KHOKMON_2568, start=1)},
        questions={"i1": Decimal("90"), "zz9": Decimal("50")},
    )
    with pytest.raises(ValidationError, match="zz9"):
        assessment_save_scores(organisation=org, fiscal_year=fiscal_year, sheet=sheet, user=None)
    assert not Assessment.objects.filter(organisation=org).exists()
    assert not QuestionScore.objects.exists()


def test_save_scores_refuses_a_missing_indicator():
    org = OrganisationFactory()
    values = {n: Decimal(v) for n, v in enumerate(KHOKMON_2568, start=1)}
    del values[4]
    with pytest.raises(ValidationError, match="ตัวชี้วัดที่ 4"):
        assessment_save_scores(
            organisation=org,
            fiscal_year=FiscalYear.objects.get(year=2568),
            sheet=ScoreSheet(indicators=values),
            user=None,
        )
    assert not Assessment.objects.exists()


def test_out_of_range_score_is_refused_by_the_model():
    org = OrganisationFactory()
    values = {n: Decimal(v) for n, v in enumerate(KHOKMON_2568, start=1)}
    values[1] = Decimal("100.5")
    with pytest.raises(ValidationError):
        assessment_save_scores(
            organisation=org,
            fiscal_year=FiscalYear.objects.get(year=2568),
            sheet=ScoreSheet(indicators=values),
            user=None,
        )
    assert not IndicatorScore.objects.exists()


def test_history_records_who_changed_what():
    org = OrganisationFactory()
    first, second = member(org, Role.STAFF), member(org, Role.WORKING_GROUP)
    assessment = make_assessment(org, user=first)
    values = list(KHOKMON_2568)
    values[2] = "98.00"
    make_assessment(org, indicators=values, user=second, questions={"e1": Decimal("88")})
    row = IndicatorScore.objects.get(assessment=assessment, indicator__number=3)
    history = list(row.history.order_by("history_date"))
    assert [(h.history_user, h.score) for h in history] == [
        (first, Decimal("99.75")),
        (second, Decimal("98.00")),
    ]
    # Unchanged indicators got no second history row.
    assert IndicatorScore.objects.get(assessment=assessment, indicator__number=1).history.count() == 1
    # Clearing a question score removes it, and the removal is in the history too.
    make_assessment(org, indicators=values, user=first)
    assert not QuestionScore.objects.filter(assessment=assessment).exists()
    assert QuestionScore.history.filter(assessment_id=assessment.pk, history_type="-").count() == 1


def test_load_demo_is_idempotent():
    call_command("load_demo", force=True, verbosity=0)
    counts = (
        Organisation.objects.count(),
        Assessment.objects.count(),
        IndicatorScore.history.count(),
        MeasurePlan.objects.count(),
    )
    call_command("load_demo", force=True, verbosity=0)
    assert (
        Organisation.objects.count(),
        Assessment.objects.count(),
        IndicatorScore.history.count(),
        MeasurePlan.objects.count(),
    ) == counts
    # The five reference results, and two of the year in progress with their two plans.
    assert counts[:2] == (5, 7) and counts[3] == 2
    krasang = Assessment.objects.get(organisation__name="เทศบาลตำบลกระสัง")
    assert krasang.fiscal_year.year == 2564 and krasang.published_overall == Decimal("95.00")
