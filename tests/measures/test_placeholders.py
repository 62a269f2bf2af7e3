"""No placeholder reaches a document: optional template segments, the checks that find what is left,
and submit and publish refusing it (issue 14, point 1)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments.choices import Role
from measures import checks
from measures.generation import fill as _fill
from measures.models import MeasureTemplate
from measures.services import measure_update, plan_approve, plan_generate, plan_submit
from reports import pdf, services
from reports.choices import DocumentKind
from tests.factories import OrganisationFactory, make_assessment, member


@pytest.mark.parametrize(
    "text,found",
    [
        ("ข้อที่ควรพัฒนา: {weak_questions}", "{weak_questions}"),
        ("ข้อ [[ ได้ 90.00 คะแนน", "[["),
        ("ข้อ o9 ได้ – คะแนน", "ขีด"),
        ("ตัวชี้วัดที่ 1 ได้ 99.00 คะแนน ข้อที่ได้คะแนนเต็ม: –", "ขีด"),
        ("เป็นตัวชี้วัดที่ต้องปรับปรุง ข้อที่ควรพัฒนา: ยังไม่ได้บันทึกคะแนนรายข้อ", "ยังไม่ได้บันทึกคะแนน"),
        ("เป็นตัวชี้วัดที่ต้องปรับปรุง ข้อที่ควรพัฒนา:", "ขาดตัวเลข"),
        ("ข้อ o9 คู่มือ ได้ คะแนน (ตัวชี้วัดที่ 9", "ขาดตัวเลข"),
    ],
)
def test_placeholders_are_found_and_named(text, found):
    findings = checks.check_placeholders(text, "ผลการวิเคราะห์")
    assert findings and all(f.placeholder and f.field == "ผลการวิเคราะห์" for f in findings)
    assert any(found in f.message for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "ไตรมาส 1 – 2 (ตุลาคม – มีนาคม)",
        "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ ได้ 100.00 คะแนน ข้อที่ได้คะแนนเต็ม: i1, i2, i3",
        "หน่วยงานได้คะแนนเต็มในข้อนี้",
        "ข้อ o9 คู่มือ ได้ 50.00 คะแนน (ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ได้ 82.50 คะแนน)",
        "ผู้ตรวจประเมินเสนอแนะว่า “ควรปรับปรุง - ให้ชัดเจน”",
    ],
)
def test_finished_text_has_no_placeholder(text):
    assert checks.check_placeholders(text) == []


def test_an_optional_segment_is_printed_only_with_every_fact():
    text = "ได้ {indicator_score} คะแนน[[ ข้อที่ควรพัฒนา: {weak_questions}]] ต่อไป"
    assert _fill(text, {"indicator_score": "85.00", "weak_questions": "i1 (70.00 คะแนน)"}) == (
        "ได้ 85.00 คะแนน ข้อที่ควรพัฒนา: i1 (70.00 คะแนน) ต่อไป"
    )
    assert _fill(text, {"indicator_score": "85.00", "weak_questions": ""}) == "ได้ 85.00 คะแนน ต่อไป"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["[[ ข้อ {weak_questions}", "a ]] b", "[[ [[ {weak_questions} ]] ]]"])
def test_a_template_with_unpaired_segments_is_refused(text):
    template = MeasureTemplate(key="x", indicator_number=1, title="t", analysis=text, steps="s")
    with pytest.raises(ValidationError) as exc:
        template.full_clean()
    assert "analysis" in exc.value.message_dict


@pytest.fixture
def plan_without_question_scores(db):
    """An approved plan generated from 000's result, entered without any question score."""
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลโคกมน", district="น้ำหนาว")
    user = member(organisation, Role.WORKING_GROUP)
    assessment = make_assessment(organisation, user=user)
    plan = plan_generate(assessment=assessment, user=user).plan
    return plan, user, member(organisation, Role.ADMINISTRATOR)


@pytest.mark.slow
def test_a_plan_without_question_scores_publishes_with_no_placeholder(plan_without_question_scores):
    plan, user, admin = plan_without_question_scores
    texts = [t for m in plan.measures.all() for t in (m.title, m.analysis, m.steps)]
    assert texts and not [t for t in texts if checks.check_placeholders(t)]
    plan_submit(plan=plan, user=user)
    plan_approve(plan=plan, user=user)
    published = services.document_publish(
        plan=plan, kind=DocumentKind.ANALYSIS, user=admin, today=datetime.date(2025, 12, 1)
    )
    assert published.overridden_findings == []
    rendered = services.document_render(
        plan=plan, kind=DocumentKind.ANALYSIS, today=datetime.date(2025, 12, 1)
    )
    text = "\n".join(pdf.page_texts(rendered.html))
    for leftover in ("ยังไม่ได้บันทึก", ": –", "{", "[["):
        assert leftover not in text


def test_a_placeholder_typed_into_a_measure_blocks_submit_and_publish(plan_without_question_scores):
    plan, user, admin = plan_without_question_scores
    measure = plan.measures.first()
    measure_update(
        measure=measure,
        user=user,
        values={"analysis": measure.analysis + " ข้อที่ควรพัฒนา: {weak_questions}"},
        expected_version=measure.version,
    )
    with pytest.raises(ValidationError, match="กรุณาแก้ไขก่อนเสนอ"):
        plan_submit(plan=plan, user=user)
    # Even a plan approved before the edit cannot publish it, whatever reason is given.
    plan.status = "approved"
    plan.save(update_fields=["status"])
    with pytest.raises(services.PublishRefused) as exc:
        services.document_publish(
            plan=plan,
            kind=DocumentKind.ANALYSIS,
            user=admin,
            today=datetime.date(2025, 12, 1),
            override_reason="เผยแพร่ตามกำหนด",
        )
    assert any("{weak_questions}" in m and "(ผลการวิเคราะห์)" in m for m in exc.value.messages)
