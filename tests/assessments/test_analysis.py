"""The classification rule, trend and standing: pure, table-driven, no database."""

from decimal import Decimal

import pytest

from assessments.analysis import (
    IMPROVE,
    KEEP,
    AnalysisRule,
    IndicatorFacts,
    QuestionFacts,
    YearScores,
    classify,
    standing,
    trend,
)

D = Decimal
NAMES = {1: "การปฏิบัติหน้าที่", 2: "การใช้งบประมาณ", 3: "การใช้อำนาจ", 9: "การเปิดเผยข้อมูล", 10: "การป้องกันการทุจริต"}


def ind(number, score, *questions, recommendation="", tool="IIT"):
    return IndicatorFacts(
        number=number,
        name=NAMES.get(number, f"ตัวชี้วัด {number}"),
        tool=tool,
        score=D(score),
        recommendation=recommendation,
        questions=tuple(questions),
    )


def q(code, score=None, recommendation=""):
    return QuestionFacts(
        code=code, text=f"ข้อ {code}", score=None if score is None else D(score), recommendation=recommendation
    )


def by_number(results):
    return {r.indicator.number: r for r in results}


@pytest.mark.parametrize(
    ("rule", "indicators", "expected"),
    [
        # Thresholds: below improve_below is to improve; below urgent_below is urgent.
        (
            AnalysisRule(urgent_lowest=0),
            [ind(1, "100"), ind(2, "95.00"), ind(3, "94.99"), ind(4, "84.99")],
            {1: (KEEP, False), 2: (KEEP, False), 3: (IMPROVE, False), 4: (IMPROVE, True)},
        ),
        # The lowest-ranked indicators to improve are urgent even above urgent_below.
        (
            AnalysisRule(urgent_lowest=1),
            [ind(1, "90"), ind(2, "92"), ind(3, "99")],
            {1: (IMPROVE, True), 2: (IMPROVE, False), 3: (KEEP, False)},
        ),
        # A question below full marks improves the indicator only where the year's rule says so.
        (
            AnalysisRule(urgent_lowest=0),
            [ind(3, "99.75", q("i7", "100"), q("i8", "100"), q("i9", "99.25"))],
            {3: (KEEP, False)},
        ),
        (
            AnalysisRule(urgent_lowest=0, question_below_full_marks_improves=True),
            [ind(3, "99.75", q("i7", "100"), q("i8", "100"), q("i9", "99.25"))],
            {3: (IMPROVE, False)},
        ),
        # An assessor's recommendation improves the indicator, unless the rule turns that off.
        (
            AnalysisRule(urgent_lowest=0),
            [ind(1, "100", q("i1", "100", recommendation="ควรระบุระยะเวลา"))],
            {1: (IMPROVE, False)},
        ),
        (
            AnalysisRule(urgent_lowest=0, recommendation_improves=False),
            [
                ind(1, "100", q("i1", "100", recommendation="ควรระบุระยะเวลา")),
                ind(2, "100", recommendation="x"),
            ],
            {1: (KEEP, False), 2: (KEEP, False)},
        ),
        # Raising the keep threshold moves a 96 from keep to improve.
        (AnalysisRule(improve_below=D("97"), urgent_lowest=0), [ind(1, "96")], {1: (IMPROVE, False)}),
    ],
)
def test_classification_rule(rule, indicators, expected):
    results = by_number(classify(rule, indicators))
    assert {n: (r.status, r.urgent) for n, r in results.items()} == expected


def test_khokmon_2568_with_the_default_rule():
    """Document 000: 9 (91.25) and 10 (85.00) to improve, both urgent as the two lowest; i9's recommendation
    makes indicator 3 one to improve too."""
    indicators = [
        ind(1, "100"),
        ind(2, "100"),
        ind(3, "99.75", q("i7", "100"), q("i8", "100"), q("i9", "99.25", "สั่งการเรื่องส่วนตัว")),
        ind(9, "91.25", tool="OIT"),
        ind(10, "85.00", tool="OIT"),
    ]
    results = by_number(classify(AnalysisRule(), indicators))
    assert [n for n, r in results.items() if r.to_improve] == [3, 9, 10]
    assert [n for n, r in results.items() if r.urgent] == [9, 10]
    assert results[3].status_label == "ต้องปรับปรุง/พัฒนา"
    assert results[9].status_label == "ต้องปรับปรุง/พัฒนาเร่งด่วน"
    assert results[1].status_label == "ต้องคงมาตรฐาน"
    assert [x.code for x in results[3].weaknesses] == ["i9"]
    assert [x.code for x in results[3].strengths] == ["i7", "i8"]
    assert results[10].rank == 1 and results[9].rank == 2


def test_a_full_marks_question_with_a_recommendation_is_a_point_to_develop_not_a_strength():
    result = classify(AnalysisRule(), [ind(1, "100", q("i1", "100", "ควรปรับปรุง"), q("i2", "100"))])[0]
    assert [x.code for x in result.weaknesses] == ["i1"]
    assert [x.code for x in result.strengths] == ["i2"]


def test_the_rule_is_stated_with_its_figures():
    lines = AnalysisRule(improve_below=D("97"), urgent_below=D("85"), urgent_lowest=3).describe()
    text = " ".join(lines)
    assert "ต่ำกว่า 97.00 คะแนน" in text
    assert "ต่ำกว่า 85.00 คะแนน" in text
    assert "ต่ำสุด 3 ลำดับแรก" in text
    assert "ข้อเสนอแนะ" in text
    assert "ได้ต่ำกว่า 100.00 คะแนน ถือเป็น" not in text  # that switch is off by default
    assert "ถือเป็นตัวชี้วัดที่ต้องปรับปรุง/พัฒนาด้วย" in " ".join(
        AnalysisRule(question_below_full_marks_improves=True).describe()
    )


def test_trend_matches_indicators_by_number_and_shows_changes():
    years = [
        YearScores(2566, {1: D("90.00"), 2: D("80.00")}, {"IIT": D("85.00")}, D("85.00")),
        YearScores(2567, {1: D("95.50")}, {"IIT": D("95.50")}, D("95.50")),
        YearScores(2568, {1: D("94.00"), 2: D("90.00")}, {"IIT": D("92.00")}, D("92.00")),
    ]
    rows = {row.label: row for row in trend(years, {1: "การปฏิบัติหน้าที่", 2: "การใช้งบประมาณ"}, ["IIT"])}
    first = rows["ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"]
    assert first.scores == (D("90.00"), D("95.50"), D("94.00"))
    assert first.changes == (None, D("5.50"), D("-1.50"))
    # A year without the indicator leaves a gap rather than a made-up change.
    assert rows["ตัวชี้วัดที่ 2 การใช้งบประมาณ"].changes == (None, None, None)
    assert rows["คะแนนภาพรวม"].last_change == D("-3.50")


def test_standing_ranks_ties_together():
    result = standing(D("90"), [D("95"), D("90"), D("90"), D("80")])
    assert (result.rank, result.count, result.best) == (2, 4, D("95"))
    assert result.mean == D("88.75")
    assert result.median == D("90")
    assert standing(D("90"), []) is None
