"""Importing results files, what they change: matching organisations, the preview's counts,
all-or-nothing commits, idempotent re-imports, history, queries, the EIT part columns."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import importing
from assessments.choices import ImportStatus, Role
from assessments.importing import bulk
from assessments.importing.spreadsheets import read_sheet
from assessments.models import Assessment, FiscalYear, IndicatorScore, Membership, Organisation, ScoreImport
from assessments.services import StaleImport, score_import_apply, score_import_commit, score_import_stage
from tests.assessments.importing import HEADER, WANGMEE, errors_of, plan_of, written, xlsx
from tests.factories import KHOKMON_2568, OrganisationFactory, UserFactory, make_assessment, member

pytestmark = pytest.mark.django_db


# --- Organisations ------------------------------------------------------------------------


def test_matching_by_name_and_province_writes_out_abbreviations(fiscal_year, khokmon):
    plan = plan_of(xlsx([["", "อบต. โคกมน", "", "จังหวัดเพชรบูรณ์"] + KHOKMON_2568]), fiscal_year)
    assert plan.rows[0].known.pk == khokmon.pk


def test_same_name_twice_in_a_province_needs_the_district(fiscal_year):
    OrganisationFactory(name="เทศบาลตำบลบ้านใหม่", district="เมือง", province="ตาก")
    other = OrganisationFactory(name="เทศบาลตำบลบ้านใหม่", district="แม่สอด", province="ตาก")
    ambiguous = plan_of(xlsx([["", "ทต.บ้านใหม่", "", "ตาก"] + KHOKMON_2568]), fiscal_year)
    assert "มากกว่าหนึ่งแห่ง กรุณาระบุรหัสหน่วยงานหรืออำเภอ" in errors_of(ambiguous)[0]
    plan = plan_of(xlsx([["", "ทต.บ้านใหม่", "อ.แม่สอด", "ตาก"] + KHOKMON_2568]), fiscal_year)
    assert plan.rows[0].known.pk == other.pk


def test_a_new_code_is_recorded_for_an_organisation_matched_by_name(fiscal_year, staff):
    uncoded = OrganisationFactory(code=None, name="เทศบาลตำบลกระสัง", district="กระสัง", province="บุรีรัมย์")
    Membership.objects.create(user=staff, organisation=uncoded, role=Role.STAFF)
    plan = plan_of(xlsx([["3101", "เทศบาลตำบลกระสัง", "", "บุรีรัมย์"] + KHOKMON_2568]), fiscal_year, staff)
    assert plan.rows[0].changes[0] == importing.Change("รหัสหน่วยงาน", "–", "3101")
    score_import_apply(plan=plan, user=staff, reason="x")
    uncoded.refresh_from_db()
    assert uncoded.code == "3101"


def test_unknown_organisations_are_reported_unless_created(fiscal_year, khokmon):
    row = ["9999", "อบต.ใหม่ถอดด้าม", "เมือง", "จ.ตาก"] + KHOKMON_2568
    plan = plan_of(xlsx([row]), fiscal_year)
    assert "ไม่พบหน่วยงานรหัส 9999" in errors_of(plan)[0]
    admin = member(khokmon, Role.ADMINISTRATOR)
    plan = plan_of(xlsx([row]), fiscal_year, admin, create_organisations=True)
    assert not plan.errors and plan.new_organisations == 1
    score_import_apply(plan=plan, user=admin, reason="x")
    created = Organisation.objects.get(code="9999")
    assert (created.name, created.district, created.province, created.org_type) == (
        "องค์การบริหารส่วนตำบลใหม่ถอดด้าม",
        "เมือง",
        "ตาก",
        "sao",
    )
    assert Membership.objects.get(organisation=created).user == admin
    assert Organisation.objects.visible_to(admin).filter(pk=created.pk).exists()


def test_a_new_organisation_needs_its_place_and_type(fiscal_year, khokmon):
    admin = member(khokmon, Role.ADMINISTRATOR)
    plan = plan_of(
        xlsx([["", "ศูนย์ทดสอบ", "เมือง", "ตาก"] + KHOKMON_2568, ["", "อบต.ไร้อำเภอ", "", "ตาก"] + KHOKMON_2568]),
        fiscal_year,
        admin,
        create_organisations=True,
    )
    assert "ไม่รู้ประเภทของ “ศูนย์ทดสอบ”" in errors_of(plan)[0]
    assert "เพราะไม่มีอำเภอ" in errors_of(plan)[1]


def test_users_import_only_into_their_own_organisations(fiscal_year, khokmon, wangmee):
    outsider = member(OrganisationFactory(), Role.STAFF)
    before = written()
    plan = plan_of(xlsx([["6701", "", "", ""] + KHOKMON_2568]), fiscal_year, outsider)
    # The same words as for a code that exists nowhere: the import never confirms other organisations.
    assert errors_of(plan) == ["แถว 2: ไม่พบหน่วยงานรหัส 6701 ในหน่วยงานที่ท่านมีสิทธิ์นำเข้าข้อมูล"]
    nowhere = plan_of(xlsx([["6799", "", "", ""] + KHOKMON_2568]), fiscal_year, outsider)
    assert errors_of(nowhere) == ["แถว 2: ไม่พบหน่วยงานรหัส 6799 ในหน่วยงานที่ท่านมีสิทธิ์นำเข้าข้อมูล"]
    assert written() == before


def test_administrators_import_into_the_organisations_they_administer(fiscal_year, khokmon, wangmee):
    admin = member(khokmon, Role.ADMINISTRATOR)
    Membership.objects.create(user=admin, organisation=wangmee, role=Role.ADMINISTRATOR)
    rows = [["6701", "", "", ""] + KHOKMON_2568, ["3001", "", "", ""] + WANGMEE]
    plan = plan_of(xlsx(rows), fiscal_year, admin)
    assert plan.count(importing.Action.CREATE) == 2 and not plan.errors


# --- The preview and the commit ---------------------------------------------------------------


def test_preview_counts_create_update_unchanged_and_skip(fiscal_year, khokmon, wangmee, staff):
    make_assessment(khokmon)  # already recorded with KHOKMON_2568
    third = OrganisationFactory(code="5001")
    Membership.objects.create(user=staff, organisation=third, role=Role.STAFF)
    make_assessment(third)
    changed = list(KHOKMON_2568)
    changed[9] = "90.00"
    rows = [
        ["6701", "", "", ""] + KHOKMON_2568,
        ["3001", "", "", ""] + WANGMEE,
        ["5001", "", "", ""] + changed,
        ["7777", "", "", ""] + [""] * 10,
    ]
    plan = plan_of(xlsx(rows), fiscal_year, staff)
    summary = plan.summary()
    assert summary["counts"] == {"create": 1, "update": 1, "unchanged": 1, "skip": 1, "error": 0}
    assert summary["rows"]["update"][0]["changes"] == [["ตัวชี้วัดที่ 10", "85.00", "90.00"]]
    assert summary["rows"]["create"][0]["changes"][0] == ["ตัวชี้วัดที่ 1", "–", "93.33"]


def test_published_numbers_that_do_not_follow_are_warned_about(fiscal_year, khokmon):
    header = HEADER + ["คะแนนรวมที่ประกาศ", "ระดับที่ประกาศ"]
    plan = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["95.00", "ผ่านดีเยี่ยม"]], header=header), fiscal_year
    )
    assert not plan.errors
    assert any("คะแนนภาพรวมที่ประกาศ (95.00) ไม่ตรงกับค่าที่คำนวณ" in w for w in plan.rows[0].warnings)
    assert any("ระดับที่ประกาศ (ผ่านดีเยี่ยม) ไม่ตรงกับระดับ" in w for w in plan.rows[0].warnings)


def test_commit_writes_scores_with_history_and_a_second_import_changes_nothing(
    fiscal_year, khokmon, wangmee, staff
):
    header = HEADER + ["คะแนน OIT ที่ประกาศ", "คะแนนรวมที่ประกาศ", "ระดับที่ประกาศ", "i4", "e1"]
    content = xlsx(
        [
            ["6701", "", "", ""] + KHOKMON_2568 + ["88.13", "94.74", "ผ่านดี", "", ""],
            ["3001", "", "", ""] + WANGMEE + ["83.75", "90.42", "ผ่าน", "94.19", "91.39"],
        ],
        header=header,
    )
    sheet = read_sheet(content, max_rows=100)
    plan = importing.plan_import(sheet, fiscal_year=fiscal_year, user=staff)
    record = score_import_stage(sheet=sheet, plan=plan, user=staff, file_name="ผล 2568.xlsx", content=content)
    assert Assessment.objects.count() == 0  # staging writes no scores
    score_import_commit(score_import=record, user=staff)
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED
    wangmee_result = Assessment.objects.get(organisation=wangmee)
    assert (wangmee_result.published_overall, wangmee_result.published_level, wangmee_result.updated_by) == (
        Decimal("90.42"),
        "pass",
        staff,
    )
    assert {s.question.code: s.score for s in wangmee_result.question_scores.all()} == {
        "i4": Decimal("94.19"),
        "e1": Decimal("91.39"),
    }
    assert wangmee_result.published_tool_scores.get().score == Decimal("83.75")
    scores = {s.indicator.number: s.score for s in wangmee_result.indicator_scores.all()}
    assert scores == {n: Decimal(v) for n, v in enumerate(WANGMEE, start=1)}
    history = IndicatorScore.history.filter(assessment_id=wangmee_result.pk)
    assert history.count() == 10
    assert {(h.history_type, h.history_user_id, h.history_change_reason) for h in history} == {
        ("+", staff.pk, "นำเข้าจากไฟล์ ผล 2568.xlsx")
    }
    assert Assessment.history.get(id=wangmee_result.pk).published_overall == Decimal("90.42")

    before = (
        written(),
        IndicatorScore.history.count(),
        Assessment.objects.get(pk=wangmee_result.pk).updated_at,
    )
    again = importing.plan_import(read_sheet(content, max_rows=100), fiscal_year=fiscal_year, user=staff)
    assert again.summary()["counts"]["unchanged"] == 2 and not again.changes_anything
    score_import_apply(plan=again, user=staff, reason="again")
    assert (
        written(),
        IndicatorScore.history.count(),
        Assessment.objects.get(pk=wangmee_result.pk).updated_at,
    ) == before


def test_an_update_writes_only_what_changed_with_old_values_in_history(fiscal_year, khokmon, staff):
    assessment = make_assessment(khokmon)
    changed = list(KHOKMON_2568)
    changed[8] = "92.00"
    plan = plan_of(xlsx([["6701", "", "", ""] + changed]), fiscal_year, staff)
    score_import_apply(plan=plan, user=staff, reason="แก้ไข")
    rows = IndicatorScore.history.filter(assessment_id=assessment.pk, indicator__number=9).order_by(
        "history_id"
    )
    assert [(r.history_type, r.score) for r in rows] == [("+", Decimal("91.25")), ("~", Decimal("92.00"))]
    assert IndicatorScore.history.filter(assessment_id=assessment.pk, history_type="~").count() == 1
    assert assessment.indicator_scores.get(indicator__number=9).score == Decimal("92.00")


def test_a_failure_half_way_writes_nothing(fiscal_year, khokmon, wangmee, staff, monkeypatch):
    plan = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568, ["3001", "", "", ""] + WANGMEE]), fiscal_year, staff
    )
    real = bulk.insert_history

    def fail_on_scores(model, rows, **kwargs):
        if model is IndicatorScore:
            raise RuntimeError("disk full")
        return real(model, rows, **kwargs)

    monkeypatch.setattr(bulk, "insert_history", fail_on_scores)
    before = written()
    with pytest.raises(RuntimeError):
        score_import_apply(plan=plan, user=staff, reason="x")
    assert written() == before


def test_confirming_after_the_records_changed_refuses_and_shows_a_new_preview(fiscal_year, khokmon, staff):
    content = xlsx([["6701", "", "", ""] + KHOKMON_2568])
    sheet = read_sheet(content, max_rows=100)
    record = score_import_stage(
        sheet=sheet,
        plan=importing.plan_import(sheet, fiscal_year=fiscal_year, user=staff),
        user=staff,
        file_name="a.xlsx",
        content=content,
    )
    make_assessment(khokmon, indicators=WANGMEE)  # someone typed other scores meanwhile
    before = written()
    with pytest.raises(StaleImport):
        score_import_commit(score_import=record, user=staff)
    assert written() == before
    record.refresh_from_db()
    assert record.summary["counts"]["update"] == 1 and record.status == ImportStatus.PENDING
    score_import_commit(score_import=record, user=staff)
    assert Assessment.objects.get(organisation=khokmon).indicator_scores.get(
        indicator__number=1
    ).score == Decimal("100")


def test_queries_do_not_grow_with_the_number_of_rows(fiscal_year):
    admin = UserFactory(is_superuser=True)
    organisations = OrganisationFactory.create_batch(43)

    def queries_for(count):
        chosen, organisations[:] = organisations[:count], organisations[count:]
        rows = [[org.pk, org.name, org.district, org.province] + KHOKMON_2568 for org in chosen]
        header = ["ลำดับ", "ชื่อหน่วยงาน", "อำเภอ", "จังหวัด"] + HEADER[4:]
        sheet = read_sheet(xlsx(rows, header=header), max_rows=100)
        with CaptureQueriesContext(connection) as captured:
            plan = importing.plan_import(sheet, fiscal_year=fiscal_year, user=admin)
            score_import_apply(plan=plan, user=admin, reason="x")
        assert plan.count(importing.Action.CREATE) == count
        return [q["sql"][:60] for q in captured]

    few, many = queries_for(3), queries_for(40)
    assert len(few) == len(many), set(many) - set(few)


# --- EIT part scores (2567 onwards) -------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        ["คะแนน EIT ส่วนที่ 1", "คะแนน EIT ส่วนที่ 2"],
        ["EIT ส่วนที่ ๑", "EIT ส่วนที่ ๒"],
        ["EIT1", "EIT2"],
        ["eit_part1", "EIT part 2"],
    ],
)
def test_part_score_columns_are_recognised(fiscal_year, khokmon, staff, headers):
    plan = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["๙๙.๕", "80"]], header=HEADER + headers),
        fiscal_year,
        staff,
    )
    assert not plan.errors
    assert [c.label for c in plan.columns.columns[-2:]] == ["คะแนน EIT ส่วนที่ 1", "คะแนน EIT ส่วนที่ 2"]
    assert plan.rows[0].values.eit_parts == {1: Decimal("99.50"), 2: Decimal("80.00")}


def test_part_scores_are_imported_with_history_and_decide_the_level(fiscal_year, khokmon, staff):
    header = HEADER + ["คะแนน EIT ส่วนที่ 1", "คะแนน EIT ส่วนที่ 2", "ระดับที่ประกาศ"]
    content = xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["99.50", "80", "ผ่านดี"]], header=header)
    plan = plan_of(content, fiscal_year, staff)
    assert [(c.label, c.old, c.new) for c in plan.rows[0].changes if "EIT" in c.label] == [
        ("คะแนน EIT ส่วนที่ 1", "–", "99.50"),
        ("คะแนน EIT ส่วนที่ 2", "–", "80.00"),
    ]
    # The published ผ่านดี is contradicted by part 2 at 80.
    assert any("EIT ส่วนที่ 2 ได้ 80.00 ต่ำกว่า 85.00" in w for w in plan.rows[0].warnings)
    score_import_apply(plan=plan, user=staff, reason="นำเข้า")
    assessment = Assessment.objects.get(organisation=khokmon)
    assert (assessment.eit_part1, assessment.eit_part2) == (Decimal("99.50"), Decimal("80.00"))
    assert Assessment.history.get(id=assessment.pk).eit_part2 == Decimal("80.00")
    # Correcting one part later updates it alone, the other stays as recorded.
    changed = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["", "86"]], header=HEADER + ["EIT1", "EIT2"]),
        fiscal_year,
        staff,
    )
    assert not changed.errors
    score_import_apply(plan=changed, user=staff, reason="แก้ไข")
    assessment.refresh_from_db()
    assert (assessment.eit_part1, assessment.eit_part2) == (Decimal("99.50"), Decimal("86.00"))
    assert [h.eit_part2 for h in Assessment.history.filter(id=assessment.pk).order_by("history_id")] == [
        Decimal("80.00"),
        Decimal("86.00"),
    ]


def test_one_part_score_alone_is_an_error_and_nothing_is_written(fiscal_year, khokmon, staff):
    before = written()
    plan = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["99", ""]], header=HEADER + ["EIT1", "EIT2"]),
        fiscal_year,
        staff,
    )
    assert [str(e) for e in plan.errors] == [
        "แถว 2: มีคะแนน EIT ส่วนที่ 1 แต่ไม่มีส่วนที่ 2 กรุณากรอกคะแนน EIT ทั้งสองส่วน"
    ]
    assert written() == before


def test_part_columns_are_refused_in_a_year_without_parts(khokmon, staff):
    with pytest.raises(importing.HeaderError) as exc:
        plan_of(
            xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["99", "99"]], header=HEADER + ["EIT1", "EIT2"]),
            FiscalYear.objects.get(year=2566),
            staff,
        )
    assert "ปี 2566 EIT ไม่ได้แยกคะแนนเป็นสองส่วน" in exc.value.messages[0]


def test_an_old_file_without_part_columns_still_imports_and_keeps_recorded_parts(fiscal_year, khokmon, staff):
    make_assessment(khokmon, eit_part1=Decimal("99"), eit_part2=Decimal("98"))
    changed = list(KHOKMON_2568)
    changed[0] = "99"
    plan = plan_of(xlsx([["6701", "", "", ""] + changed]), fiscal_year, staff)
    assert not plan.errors and plan.count(importing.Action.UPDATE) == 1
    score_import_apply(plan=plan, user=staff, reason="ไฟล์เก่า")
    assessment = Assessment.objects.get(organisation=khokmon)
    assert (assessment.eit_part1, assessment.eit_part2) == (Decimal("99.00"), Decimal("98.00"))


def test_creating_organisations_never_reveals_one_outside_the_users_scope(fiscal_year, khokmon):
    """An administrator elsewhere, importing with "create organisations", gets for an existing
    organisation outside their scope word for word what a missing one gets without "create"."""
    admin = member(OrganisationFactory(name="อบต.ของผู้นำเข้า"), Role.ADMINISTRATOR)
    existing = ["", "องค์การบริหารส่วนตำบลโคกมน", "น้ำหนาว", "เพชรบูรณ์"] + KHOKMON_2568
    with_create = plan_of(xlsx([existing]), fiscal_year, admin, create_organisations=True)
    without = plan_of(xlsx([existing]), fiscal_year, admin)
    missing = plan_of(
        xlsx([["", "องค์การบริหารส่วนตำบลไม่มีจริง", "ก", "เพชรบูรณ์"] + KHOKMON_2568]), fiscal_year, admin
    )
    [error] = with_create.errors
    assert error.message == without.errors[0].message
    assert error.message == missing.errors[0].message.replace("ไม่มีจริง", "โคกมน")
    assert "มีหน่วยงานนี้ในระบบแล้ว" not in error.message


def test_only_the_uploader_discards_a_pending_import(fiscal_year, khokmon, staff):
    from django.core.exceptions import ValidationError

    from assessments.services import score_import_discard

    content = xlsx([["6701", "", "", ""] + KHOKMON_2568])
    sheet = read_sheet(content, max_rows=100)
    plan = importing.plan_import(sheet, fiscal_year=fiscal_year, user=staff)
    record = score_import_stage(sheet=sheet, plan=plan, user=staff, file_name="ผล.xlsx", content=content)
    with pytest.raises(ValidationError, match="ไม่พบไฟล์นี้"):
        score_import_discard(score_import=record, user=UserFactory())
    score_import_commit(score_import=record, user=staff)
    with pytest.raises(ValidationError, match="นำเข้าไปแล้ว"):
        score_import_discard(score_import=record, user=staff)
    assert ScoreImport.objects.filter(pk=record.pk).exists()
