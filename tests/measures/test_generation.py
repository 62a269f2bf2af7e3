"""Plan generation as a pure function: hand-made analyses and templates in, proposals out (no database)."""

from decimal import Decimal

import pytest

from assessments.analysis import IMPROVE, KEEP, IndicatorAnalysis, IndicatorFacts, QuestionFacts
from measures.generation import Subject, Template, Templates, fill, proposals


def q(code, score, recommendation=""):
    return QuestionFacts(
        code=code,
        text=f"ข้อความข้อ {code}",
        score=None if score is None else Decimal(score),
        recommendation=recommendation,
    )


def indicator(number, score, *, improve, weak=(), strong=(), urgent=False, recommendation=""):
    facts = IndicatorFacts(
        number=number, name=f"ตัวชี้วัด{number}", tool="OIT", score=Decimal(score), recommendation=recommendation
    )
    return IndicatorAnalysis(
        indicator=facts,
        status=IMPROVE if improve else KEEP,
        urgent=urgent,
        reasons=(),
        strengths=tuple(strong),
        weaknesses=tuple(weak),
        rank=1,
    )


def subject(*items):
    return Subject(
        organisation="อบต.ทดสอบ",
        year=2568,
        target=Decimal("85"),
        tools=[("OIT", list(items))],
        indicator_ids={item.indicator.number: 100 + item.indicator.number for item in items},
    )


KEEP_9 = Template(
    key="keep-9",
    indicator_number=9,
    kind=KEEP,
    title="รักษา {indicator_name} ปี {plan_year}",
    analysis="ได้ {indicator_score} คะแนน[[ ข้อที่ได้คะแนนเต็ม: {strong_questions}]]",
    steps="ทำต่อ",
)
IMPROVE_10 = Template(
    key="improve-10",
    indicator_number=10,
    kind=IMPROVE,
    title="พัฒนา {indicator_name}",
    analysis="ข้อที่ควรพัฒนา: {weak_questions}",
    steps="แก้ไข",
    pk=7,
)
Q_O30 = Template(
    key="q-o30",
    indicator_number=10,
    kind=IMPROVE,
    question_code="o30",
    title="เผยแพร่ {question_text}",
    analysis="ข้อ {question_code}[[ ได้ {question_score} คะแนน]]",
    steps="จัดทำ",
    period_start=2,
    period_end=3,
    relies_on="o29",
    pk=8,
)
TEMPLATES = Templates(
    by_question={"o30": [Q_O30]}, by_indicator={(9, KEEP): KEEP_9, (10, IMPROVE): IMPROVE_10}
)


def test_an_indicator_to_keep_gets_its_keep_template_filled():
    [p] = proposals(
        subject(indicator(9, "100", improve=False, strong=[q("o1", "100"), q("o2", "100")])), TEMPLATES
    )
    assert (p.key, p.kind, p.indicator_id, p.template_id) == ("keep-9@9", KEEP, 109, None)
    assert p.title == "รักษา ตัวชี้วัด9 ปี 2569"
    assert p.analysis == "ได้ 100.00 คะแนน ข้อที่ได้คะแนนเต็ม: o1, o2"
    assert (
        p.question_codes == ""
        and p.responsible_unit == "คณะทำงาน ITA"
        and (p.period_start, p.period_end) == (1, 4)
    )


def test_weak_questions_get_their_templates_and_the_rest_go_to_the_indicator_template():
    item = indicator(
        10,
        "85",
        improve=True,
        urgent=True,
        weak=[q("o30", "0", "ควรเผยแพร่"), q("o31", "0")],
        recommendation="เร่งรัด",
    )
    by_question, by_indicator = proposals(subject(item), TEMPLATES)
    assert (by_question.key, by_question.question_codes, by_question.template_id) == ("q-o30@10", "o30", 8)
    assert by_question.title == "เผยแพร่ ข้อความข้อ o30"
    assert by_question.analysis == "ข้อ o30 ได้ 0.00 คะแนน ผู้ตรวจประเมินเสนอแนะในข้อ o30 ว่า “ควรเผยแพร่”"
    assert (by_question.period_start, by_question.period_end, by_question.relies_on) == (2, 3, "o29")
    # Only the uncovered question goes to the indicator's template, with the indicator's recommendation.
    assert (by_indicator.key, by_indicator.question_codes) == ("improve-10@10", "o31")
    assert by_indicator.analysis == "ข้อที่ควรพัฒนา: o31 (0.00 คะแนน) ผู้ตรวจประเมินเสนอแนะต่อตัวชี้วัดนี้ ว่า “เร่งรัด”"
    assert by_question.urgent and by_indicator.urgent and by_question.kind == IMPROVE


def test_when_every_weak_question_has_a_template_the_indicator_template_is_not_added():
    item = indicator(10, "90", improve=True, weak=[q("o30", "0")])
    assert [p.key for p in proposals(subject(item), TEMPLATES)] == ["q-o30@10"]


def test_without_question_scores_the_indicator_template_stands_alone():
    [p] = proposals(subject(indicator(10, "80", improve=True)), TEMPLATES)
    assert (p.key, p.question_codes) == ("improve-10@10", "")


@pytest.mark.parametrize(
    ("number", "kind", "title"),
    [
        (3, IMPROVE, "มาตรการพัฒนาตัวชี้วัดที่ 3 ตัวชี้วัด3"),
        (3, KEEP, "มาตรการรักษามาตรฐานตัวชี้วัดที่ 3 ตัวชี้วัด3"),
    ],
)
def test_an_indicator_without_templates_gets_the_builtin_one(number, kind, title):
    [p] = proposals(subject(indicator(number, "70", improve=kind == IMPROVE)), Templates())
    assert p.title == title and p.key == f"builtin-{kind}-{number}@{number}" and p.template_id is None


def test_an_optional_segment_is_left_out_when_a_fact_is_missing():
    item = indicator(10, "90", improve=True, weak=[q("o30", None)])
    [p] = proposals(subject(item), TEMPLATES)
    assert p.analysis == "ข้อ o30"  # no "ได้ – คะแนน"
    assert fill("[[{a}]]{b}", {"a": "", "b": "x"}) == "x"


def test_proposals_keep_the_order_of_tools_and_indicators_and_the_same_input_gives_the_same_digest():
    items = (indicator(9, "100", improve=False), indicator(10, "80", improve=True))
    first = proposals(subject(*items), TEMPLATES)
    assert [p.indicator_id for p in first] == [109, 110]
    assert [p.digest() for p in first] == [p.digest() for p in proposals(subject(*items), TEMPLATES)]
    assert first[0].digest() != first[1].digest()
