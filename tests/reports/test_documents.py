"""The documents' contents, built from the records and rendered to HTML (no PDF here)."""

import datetime
from decimal import Decimal

import pytest

from assessments.models import Question
from measures.choices import MeasureStatus
from measures.services import progress_report
from reports import context, documents
from reports.choices import DocumentKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 30)


def build(kind, plan, today=TODAY):
    return context.build(kind, context.plans_for_documents().get(pk=plan.pk), today)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>คะแนน 90.42 ปี 2568</p>", "<p>คะแนน ๙๐.๔๒ ปี ๒๕๖๘</p>"),
        ('<td class="c2" data-x="10">10</td>', '<td class="c2" data-x="10">๑๐</td>'),
        ("<style>h1 { margin: 12pt }</style><p>12</p>", "<style>h1 { margin: 12pt }</style><p>๑๒</p>"),
        ("<p>(อ้างอิง o8, o10) ข้อ i12 และ e7 ตัวชี้วัด 9.1</p>", "<p>(อ้างอิง o8, o10) ข้อ i12 และ e7 ตัวชี้วัด ๙.๑</p>"),
        ("<p>&#x27;5&#39;</p>", "<p>&#x27;๕&#39;</p>"),
    ],
)
def test_thai_digits_change_text_only(html, expected):
    assert documents.thai_digits_in_html(html) == expected


def test_analysis_report_holds_the_records_values(approved):
    plan, _wg, _admin = approved
    doc = build(DocumentKind.ANALYSIS, plan)
    assert doc.header.place == "องค์การบริหารส่วนตำบลวังหมี อำเภอวังน้ำเขียว จังหวัดนครราชสีมา"
    assert (doc.header.assessment_year, doc.header.plan_year) == (2568, 2569)
    assert doc.result.overall == Decimal("90.42")
    assert doc.level_label == "ผ่าน"  # OIT 83.75 is below 85
    printed = [line.measure.pk for s in doc.sections for g in s.groups for line in g.lines]
    assert sorted(printed) == sorted(plan.measures.values_list("pk", flat=True))
    # Each measure sits under the tool of its own indicator.
    for section in doc.sections:
        for group in section.groups:
            assert all(line.indicator.tool_id == section.tool.pk for line in group.lines)
    assert doc.indicator_chart.startswith("<svg")
    assert doc.trend_chart == ""  # one year only


def test_trend_chart_appears_with_a_second_year(approved):
    from tests.factories import make_assessment

    plan, wg, _admin = approved
    make_assessment(plan.organisation, year=2567, indicators=["90"] * 10, user=wg)
    doc = build(DocumentKind.ANALYSIS, plan)
    assert doc.years == [2567, 2568]
    assert doc.trend_chart.startswith("<svg")


def test_eit_measures_split_by_part_where_the_questions_say(approved):
    plan, _wg, _admin = approved
    Question.objects.filter(fiscal_year__year=2568, code__in=["e1", "e2", "e3"]).update(part=1)
    # document 001's EIT measures keep indicators at standard and name no question; let one name e1
    plan.measures.filter(indicator__number=6).update(question_codes="e1")
    doc = build(DocumentKind.ANALYSIS, plan)
    eit = next(s for s in doc.sections if s.tool.code == "EIT")
    titles = [g.title for g in eit.groups]
    assert titles[0] == "ส่วนที่ 1 ผู้รับบริการตอบเอง"
    part_one = eit.groups[0].lines
    assert part_one and all({q.code for q in line.questions} <= {"e1", "e2", "e3"} for line in part_one)
    iit = next(s for s in doc.sections if s.tool.code == "IIT")
    assert [g.title for g in iit.groups] == [""]


def test_memo_needs_its_details(approved):
    plan, _wg, _admin = approved
    with pytest.raises(context.DocumentUnavailable):
        build(DocumentKind.MEMO, plan)


def test_memo_subject_defaults_from_the_years(with_memo):
    plan, _wg, _admin = with_memo
    doc = build(DocumentKind.MEMO, plan)
    assert "ประจำปีงบประมาณ พ.ศ. 2568" in doc.subject and "พ.ศ. 2569" in doc.subject
    assert [s.name for s in doc.signatories] == ["นางมาลี ศรีสุข"]
    assert doc.measure_count == plan.measures.count()


def test_implementation_report_prints_the_latest_progress(approved):
    plan, wg, _admin = approved
    measure = plan.measures.order_by("pk").first()
    progress_report(
        measure=measure,
        user=wg,
        reported_on=datetime.date(2026, 3, 1),
        status=MeasureStatus.DONE,
        percent=100,
        result="ประกาศแนวปฏิบัติการยืมทรัพย์สินแล้ว",
        recommendation="ทบทวนทุกปี",
    )
    doc = build(DocumentKind.IMPLEMENTATION, plan)
    line = next(li for s in doc.sections for g in s.groups for li in g.lines if li.measure.pk == measure.pk)
    assert line.last.result == "ประกาศแนวปฏิบัติการยืมทรัพย์สินแล้ว"
    assert dict(doc.by_status)["ดำเนินการแล้วเสร็จ"] == 1
    html = documents.render_html(doc, thai_digits=False, for_pdf=True)
    assert "ประกาศแนวปฏิบัติการยืมทรัพย์สินแล้ว" in html and "ทบทวนทุกปี" in html


def test_html_in_thai_or_arabic_digits(approved):
    plan, _wg, _admin = approved
    doc = build(DocumentKind.ANALYSIS, plan)
    thai = documents.render_html(doc, thai_digits=True, for_pdf=True)
    arabic = documents.render_html(doc, thai_digits=False, for_pdf=True)
    assert "๙๐.๔๒" in thai and "90.42" not in thai.split("<body>")[1].split("<svg")[0]
    assert "90.42" in arabic and "๙๐.๔๒" not in arabic
    assert "counter(page, thai)" in thai and "counter(page, thai)" not in arabic


def test_draft_plans_print_as_drafts(approved):
    from tests.factories import make_plan

    draft, _wg = make_plan()
    assert "draft-mark" in documents.render_html(
        build(DocumentKind.ANALYSIS, draft), thai_digits=True, for_pdf=True
    )
    plan, _wg2, _admin = approved
    assert "draft-mark" not in documents.render_html(
        build(DocumentKind.ANALYSIS, plan), thai_digits=True, for_pdf=True
    )


# --- EIT part scores and provisional levels -----------------------------------------------------


def _set_parts(plan, part1, part2):
    from assessments.models import Assessment

    Assessment.objects.filter(pk=plan.assessment_id).update(
        eit_part1=Decimal(part1), eit_part2=Decimal(part2)
    )


def test_documents_print_the_part_scores_and_name_the_four_scores(with_memo):
    plan, _wg, _admin = with_memo
    _set_parts(plan, "97.50", "96.25")
    doc = build(DocumentKind.ANALYSIS, plan)
    assert doc.level_label == "ผ่าน"
    html = documents.render_html(doc, thai_digits=False, for_pdf=True)
    assert 'คะแนน EIT ส่วนที่ 1 (ตามที่ ป.ป.ช. ประกาศ)</td><td class="num">97.50' in html
    assert 'คะแนน EIT ส่วนที่ 2 (ตามที่ ป.ป.ช. ประกาศ)</td><td class="num">96.25' in html
    assert (
        "ยังไม่บรรลุค่าเป้าหมาย ซึ่งกำหนดให้มีคะแนนภาพรวม 85 คะแนนขึ้นไป และมีคะแนนรายเครื่องมือ "
        "ประกอบด้วย IIT, EIT ส่วนที่ 1, EIT ส่วนที่ 2 และ OIT ที่มีค่าคะแนน 85 คะแนนขึ้นไป "
        "โดยยังไม่บรรลุในส่วนของ OIT (83.75)"
    ) in html
    thai = documents.render_html(doc, thai_digits=True, for_pdf=True)
    assert "IIT, EIT ส่วนที่ ๑, EIT ส่วนที่ ๒ และ OIT" in thai  # as NACC writes it
    memo = documents.render_html(build(DocumentKind.MEMO, plan), thai_digits=False, for_pdf=True)
    assert "EIT 96.78 คะแนน (EIT ส่วนที่ 1 97.50 คะแนน EIT ส่วนที่ 2 96.25 คะแนน)" in memo


def test_a_provisional_level_says_so_in_every_document(with_memo):
    from tests.factories import KHOKMON_2568, make_assessment

    plan, wg, _admin = with_memo
    make_assessment(plan.organisation, indicators=KHOKMON_2568, user=wg)  # ผ่านดี by the three tools
    note = "ผ่านดี (ระดับเบื้องต้น: ยังไม่ได้กรอกคะแนน EIT รายส่วน)"
    for kind in (DocumentKind.ANALYSIS, DocumentKind.MEMO, DocumentKind.IMPLEMENTATION):
        doc = build(kind, plan)
        assert doc.level_label == note
        assert note in documents.render_html(doc, thai_digits=False, for_pdf=True)
    html = documents.render_html(build(DocumentKind.ANALYSIS, plan), thai_digits=False, for_pdf=True)
    assert "บรรลุค่าเป้าหมาย คือ มีคะแนนภาพรวม 85 คะแนนขึ้นไป และมีคะแนนรายเครื่องมือ ประกอบด้วย IIT, EIT และ OIT" in html
    assert "(ยังไม่ได้กรอกคะแนน EIT รายส่วน จึงพิจารณาคะแนน EIT รวม)" in html
    _set_parts(plan, "99", "84")
    doc = build(DocumentKind.ANALYSIS, plan)
    assert doc.level_label == "ผ่าน"  # part 2 below 85: final, and lower than the three tools said
