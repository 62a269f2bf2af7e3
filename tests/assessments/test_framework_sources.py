"""The yearly frameworks as corrected from public sources (FRAMEWORK_SOURCES.md), and loading the
corrections over a database that already holds results, plans and measure templates."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from assessments.choices import Role
from assessments.models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    PublishedToolScore,
    Question,
    QuestionScore,
)
from assessments.services import framework_load
from measures.models import Measure, MeasureTemplate
from measures.services import plan_approve, plan_generate, plan_submit
from tests.factories import OrganisationFactory, load_reference_demo, member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The framework files as they were before the corrections from public sources (November 2026), in
# today's format (their notes about sources under "source", as every framework file keeps them).
BEFORE = Path(__file__).parent / "files" / "frameworks_before_sources"


def question(year: int, code: str) -> Question:
    return Question.objects.get(fiscal_year__year=year, code=code)


def test_the_eit_is_in_two_parts_from_2567():
    assert dict(FiscalYear.objects.values_list("year", "eit_parts")) == {
        2562: False,
        2563: False,
        2564: False,
        2565: False,
        2566: False,
        2567: True,
        2568: True,
        2569: True,
    }
    assert "2567" in FiscalYear.objects.get(year=2567).source_note


def test_2566_has_its_own_oit_list():
    assert Question.objects.filter(fiscal_year__year=2566, code__startswith="o").count() == 43
    assert question(2566, "o10").text == "นโยบายคุ้มครองข้อมูลส่วนบุคคล"
    assert question(2566, "o18").text == "E-Service"
    assert question(2566, "o31").text.startswith("ประกาศเจตนารมณ์นโยบายไม่รับของขวัญ")
    assert question(2566, "o42").text == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    # Schools' and universities' lists: unconfirmed for local governments, with the source named.
    o10 = question(2566, "o10")
    assert o10.unconfirmed and "FRAMEWORK_SOURCES.md ข้อ 2" in o10.source_note


def test_2567_items_from_reference_002():
    o16 = question(2567, "o16")
    assert o16.text == "ความก้าวหน้าการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"
    assert o16.unconfirmed and "002" in o16.source_note
    assert "ขัดกัน" in question(2567, "o14").source_note


def test_2568_wording_from_one_agencys_pages():
    assert question(2568, "o9").text == "คู่มือหรือแนวทางการขอรับบริการสำหรับผู้รับบริการหรือผู้มาติดต่อ"
    assert question(2568, "o22").text == "รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา"
    for code in ("o9", "o21", "o22", "o23", "o24", "o5"):
        item = question(2568, code)
        assert item.unconfirmed and "FRAMEWORK_SOURCES.md ข้อ 5" in item.source_note, code


def test_2569_has_26_oit_items():
    codes = list(
        Question.objects.filter(fiscal_year__year=2569, indicator__tool__code="OIT")
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert codes == [f"O{n}" for n in range(1, 27)]
    assert question(2569, "O10").text == "E-Service"
    assert all(q.unconfirmed for q in Question.objects.filter(fiscal_year__year=2569, code__startswith="O"))
    # O2, O6 and O7 were not found anywhere: they say so rather than guess a name.
    assert "ไม่พบ" in question(2569, "O2").source_note


def _demo_with_plans():
    """The demo database with an approved plan for every demo result that can have one."""
    load_reference_demo()
    plans = []
    for assessment in Assessment.objects.select_related("organisation"):
        user = member(assessment.organisation, Role.WORKING_GROUP)
        report = plan_generate(assessment=assessment, user=user)
        plan = plan_submit(plan=report.plan, user=user)
        plans.append(plan_approve(plan=plan, user=user))
    return plans


def _recorded():
    return (
        sorted(IndicatorScore.objects.values_list("pk", "assessment_id", "indicator_id", "score")),
        sorted(
            QuestionScore.objects.values_list("pk", "assessment_id", "question_id", "score", "recommendation")
        ),
        sorted(PublishedToolScore.objects.values_list("pk", "tool_id", "score")),
        sorted(Assessment.objects.values_list("pk", "published_overall", "published_level", "updated_at")),
    )


def _measure_texts():
    return sorted(
        Measure.objects.values_list(
            "pk", "title", "analysis", "steps", "relies_on", "question_codes", "indicator_id", "version"
        )
    )


def test_loading_the_corrections_over_the_demo_database_keeps_every_score_and_measure():
    # The database as it was before the corrections: the old files, the demo results, plans.
    for path in sorted(BEFORE.glob("*.json")):
        framework_load(data=json.loads(path.read_text(encoding="utf-8")))
    # (The 2569 templates of O1–O24 went with their items; the other templates are as they were.)
    assert not FiscalYear.objects.filter(eit_parts=True).exists()
    plans = _demo_with_plans()
    assert len(plans) == Assessment.objects.count() >= 5
    assert Measure.objects.count() > 0
    scores, measures = _recorded(), _measure_texts()
    questions = dict(Question.objects.values_list("pk", "text"))
    keys = {(q.fiscal_year.year, q.code): q.pk for q in Question.objects.select_related("fiscal_year")}
    template = MeasureTemplate.objects.get(fiscal_year__year=2568, key="q-o22")

    out = StringIO()
    call_command("load_framework", stdout=out)

    assert _recorded() == scores
    assert _measure_texts() == measures
    # Entries are updated in place: every question keeps its primary key, only its wording changed.
    after = {(q.fiscal_year.year, q.code): q.pk for q in Question.objects.select_related("fiscal_year")}
    assert all(after[key] == pk for key, pk in keys.items())
    assert question(2568, "o22").pk == template.question_id
    changed = {
        pk for pk, text in Question.objects.values_list("pk", "text") if questions.get(pk, text) != text
    }
    assert {(q.fiscal_year.year, q.code) for q in Question.objects.filter(pk__in=changed)} >= {
        (2567, "o16"),
        (2568, "o9"),
        (2568, "o21"),
        (2568, "o22"),
        (2568, "o23"),
        (2568, "o24"),
        (2566, "o10"),
    }
    # Templates for an item whose wording changed, or relying on it, are flagged, not silently kept.
    flagged = set(MeasureTemplate.objects.filter(needs_review=True).values_list("fiscal_year__year", "key"))
    assert {(2567, "q-o16"), (2568, "q-o9"), (2568, "q-o21"), (2568, "q-o22"), (2568, "q-o24")} <= flagged
    relying_on_o9 = MeasureTemplate.objects.filter(fiscal_year__year=2568, relies_on__regex=r"(^|, )o9(,|$)")
    assert relying_on_o9.exists() and all(t.needs_review for t in relying_on_o9)
    assert not MeasureTemplate.objects.get(fiscal_year__year=2568, key="q-o1").needs_review
    template.refresh_from_db()
    assert "ข้อ o22 เปลี่ยนจาก “รายงานผลการรับของขวัญและของกำนัล”" in template.review_note
    printed = out.getvalue()
    assert "ข้อ o16: “สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน” → “ความก้าวหน้า" in printed
    assert "แม่แบบ q-o22 ต้องทบทวน" in printed

    # Loading the same files again changes nothing and flags nothing more.
    MeasureTemplate.objects.update(needs_review=False)
    call_command("load_framework", stdout=StringIO())
    assert not MeasureTemplate.objects.filter(needs_review=True).exists()
    assert _recorded() == scores


# --- What users read and what maintainers keep ---------------------------------------------------


def test_sources_are_kept_for_maintainers_and_users_get_plain_thai_notes():
    o2 = question(2569, "O2")
    assert "FRAMEWORK_SOURCES.md" in o2.source_note  # for whoever maintains the framework data
    assert o2.note == "สำนักงาน ป.ป.ช. ยังไม่ได้เผยแพร่ชื่อรายการนี้ ผู้ดูแลระบบจะปรับชื่อให้ตรงกับคู่มือเมื่อประกาศ"
    for model in (FiscalYear, Question):
        for note in model.objects.exclude(note="").values_list("note", flat=True):
            assert ".md" not in note and "เอกสารอ้างอิง" not in note


def test_a_note_for_users_that_cites_a_file_is_refused_at_load():
    data = json.loads(
        (Path(__file__).resolve().parents[2] / "fixtures/frameworks/2568.json").read_text("utf-8")
    )
    data["questions"][0]["note"] = "ถ้อยคำตาม DOMAIN.md"
    with pytest.raises(ValidationError, match="ข้อ i1: หมายเหตุสำหรับผู้ใช้ \\(note\\) อ้างถึงไฟล์"):
        framework_load(data=data)
    assert not question(2568, "i1").note  # nothing written


def test_the_score_form_shows_users_the_note_never_the_source(client):
    organisation = OrganisationFactory()
    client.force_login(member(organisation, Role.STAFF))
    url = reverse("assessments:assessment-create", kwargs={"organisation_pk": organisation.pk})
    page = client.get(url + "?year=2569").content.decode()
    assert "ยังไม่ได้เผยแพร่ชื่อรายการนี้" in page  # O2's note, as the badge's tooltip
    assert "ถ้อยคำนี้ยังไม่ได้ตรวจกับคู่มือการประเมิน" in page  # the plain default for the others
    for source in (
        Question.objects.filter(fiscal_year__year=2569)
        .exclude(source_note="")
        .values_list("source_note", flat=True)
    ):
        assert source not in page
    assert "FRAMEWORK_SOURCES" not in page and ".md" not in page
