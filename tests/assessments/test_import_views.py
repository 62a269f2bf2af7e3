"""Import and export on the web and on the command line: permissions, the upload → preview → confirm
flow, the size limit, the workbooks read back with openpyxl, and import_scores."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments.choices import ImportStatus, Role
from assessments.models import Assessment, Membership, Organisation, ScoreImport
from tests.assessments.importing import HEADER, WANGMEE, upload, written, xlsx
from tests.factories import (
    KHOKMON_2568,
    OrganisationFactory,
    UserFactory,
    make_assessment,
    make_wangmee,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def khokmon():
    return OrganisationFactory(
        code="6701", name="องค์การบริหารส่วนตำบลโคกมน", district="น้ำหนาว", province="เพชรบูรณ์"
    )


@pytest.fixture
def staff(khokmon):
    return member(khokmon, Role.STAFF)


def sheet_of(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


# --- Permissions -----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, khokmon):
    record_owner = UserFactory()
    for url in (
        reverse("assessments:import-create"),
        reverse("assessments:import-template", args=[2568]),
        reverse("assessments:year-scores-export", args=[2568]),
        reverse("assessments:organisation-scores-export", args=[khokmon.pk]),
        reverse("assessments:import-detail", args=[_record(record_owner).pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def _record(user):
    content = xlsx([["6701", "", "", ""] + KHOKMON_2568])
    from assessments import importing
    from assessments.importing.spreadsheets import read_sheet
    from assessments.models import FiscalYear
    from assessments.services import score_import_stage

    sheet = read_sheet(content, max_rows=10)
    plan = importing.plan_import(sheet, fiscal_year=FiscalYear.objects.get(year=2568), user=None)
    return score_import_stage(sheet=sheet, plan=plan, user=user, file_name="a.xlsx", content=content)


def test_a_user_without_importable_organisations_gets_403(client, khokmon):
    client.force_login(UserFactory())
    assert client.get(reverse("assessments:import-create")).status_code == 403


def test_another_users_import_is_404_and_cannot_be_confirmed_or_discarded(client, khokmon, staff):
    record = _record(UserFactory())
    client.force_login(staff)
    assert client.get(reverse("assessments:import-detail", args=[record.pk])).status_code == 404
    assert client.post(reverse("assessments:import-commit", args=[record.pk])).status_code == 404
    assert client.post(reverse("assessments:import-delete", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.status == ImportStatus.PENDING and Assessment.objects.count() == 0


def test_the_scores_of_another_organisation_are_404(client, khokmon, staff):
    other = OrganisationFactory()
    make_assessment(other)
    client.force_login(staff)
    assert client.get(reverse("assessments:organisation-scores-export", args=[other.pk])).status_code == 404


def test_create_organisations_is_for_administrators_only(client, khokmon, staff):
    row = ["9999", "อบต.ใหม่", "เมือง", "ตาก"] + KHOKMON_2568
    client.force_login(staff)
    page = client.get(reverse("assessments:import-create")).content.decode()
    assert "create_organisations" not in page
    response = upload(client, xlsx([row]), create_organisations="on")  # ignored: not their option
    assert "ไม่พบหน่วยงานรหัส 9999" in response.content.decode()
    assert not Organisation.objects.filter(code="9999").exists()

    admin = member(khokmon, Role.ADMINISTRATOR)
    client.force_login(admin)
    assert "create_organisations" in client.get(reverse("assessments:import-create")).content.decode()
    response = upload(client, xlsx([row]), create_organisations="on")
    record = ScoreImport.objects.get(uploaded_by=admin)
    assert response.url == reverse("assessments:import-detail", args=[record.pk])
    assert not Organisation.objects.filter(code="9999").exists()  # not before confirming
    client.post(reverse("assessments:import-commit", args=[record.pk]))
    created = Organisation.objects.get(code="9999")
    assert Membership.objects.get(organisation=created).role == Role.ADMINISTRATOR


# --- The flow --------------------------------------------------------------------------------


def test_upload_preview_confirm(client, khokmon, staff):
    make_assessment(khokmon)
    client.force_login(staff)
    changed = list(KHOKMON_2568)
    changed[0] = "๙๘.๕"
    response = upload(client, xlsx([["6701", "", "", ""] + changed], numbers=False), name="ผล ITA 2568.xlsx")
    record = ScoreImport.objects.get()
    assert response.url == reverse("assessments:import-detail", args=[record.pk])
    page = client.get(response.url).content.decode()
    assert "ยืนยันการนำเข้า (0 สร้าง · 1 ปรับปรุง)" in page
    assert "100.00</span> → <strong>98.50</strong>" in page
    assert "แถวที่จะปรับปรุง" in page and "แถวที่ปรับปรุงแล้ว" not in page
    assert Assessment.objects.get().indicator_scores.get(indicator__number=1).score == Decimal("100")

    response = client.post(reverse("assessments:import-commit", args=[record.pk]), follow=True)
    assert "นำเข้าผลการประเมินเรียบร้อยแล้ว" in response.content.decode()
    assert Assessment.objects.get().indicator_scores.get(indicator__number=1).score == Decimal("98.50")
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED
    done = client.get(reverse("assessments:import-detail", args=[record.pk])).content.decode()
    assert "แถวที่ปรับปรุงแล้ว" in done and "แถวที่จะปรับปรุง" not in done  # it happened
    assert "นำเข้าเมื่อ" in done and "2026" not in done.split("นำเข้าเมื่อ")[1][:40]  # a BE date
    # Confirming twice does nothing more.
    response = client.post(reverse("assessments:import-commit", args=[record.pk]), follow=True)
    assert "ไฟล์นี้นำเข้าไปแล้ว" in response.content.decode()

    # The same file again: nothing to import, nothing kept.
    again = upload(client, xlsx([["6701", "", "", ""] + changed], numbers=False))
    assert again.status_code == 200
    assert "ไม่มีข้อมูลที่ต่างจากที่บันทึกไว้" in again.content.decode()
    assert ScoreImport.objects.count() == 1


def test_a_file_with_errors_is_shown_and_not_kept(client, khokmon, staff):
    client.force_login(staff)
    row = ["6701", "", "", ""] + KHOKMON_2568
    row[5] = "เต็ม"
    before = written()
    response = upload(client, xlsx([row]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "แถว 2 คอลัมน์ F (ตัวชี้วัดที่ 2): “เต็ม” คะแนนต้องเป็นตัวเลข" in page
    assert "ยังนำเข้าไม่ได้" in page
    assert written() == before


def test_header_problems_are_shown_next_to_the_file_field(client, khokmon, staff):
    client.force_login(staff)
    response = upload(client, xlsx([["6701", "", "", ""] + KHOKMON_2568[:8]], header=HEADER[:-2]))
    assert "ไม่มีคอลัมน์คะแนน ตัวชี้วัดที่ 9, ตัวชี้วัดที่ 10" in response.context["form"].errors["file"][0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, khokmon, staff, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(staff)
    response = upload(client, b"x" * (1024 * 1024 + 1))
    assert response.context["form"].errors["file"] == ["ไฟล์มีขนาด 1.0 MB เกินขนาดสูงสุด 1 MB"]
    assert ScoreImport.objects.count() == 0


def test_a_bad_file_gets_its_message_next_to_the_field(client, khokmon, staff):
    client.force_login(staff)
    response = upload(client, b"%PDF-1.7 not a table", name="scores.xlsx")
    assert "ไม่ใช่ตารางข้อมูล" in response.context["form"].errors["file"][0]


def test_a_pending_import_can_be_discarded(client, khokmon, staff):
    record = _record(staff)
    client.force_login(staff)
    client.post(reverse("assessments:import-delete", args=[record.pk]))
    assert not ScoreImport.objects.exists() and not Assessment.objects.exists()


# --- Exports read back -----------------------------------------------------------------------


def test_template_lists_the_users_organisations_and_imports_back(client, khokmon, staff):
    OrganisationFactory(name="หน่วยงานของคนอื่น")
    client.force_login(staff)
    book = sheet_of(client.get(reverse("assessments:import-template", args=[2568])))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด", "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"]
    assert "i1" in header and "o27" in header and "คะแนน IIT ที่ประกาศ" in header
    assert header.index("คะแนน EIT ส่วนที่ 1") + 1 == header.index("คะแนน EIT ส่วนที่ 2")
    instructions = " ".join(str(row[0].value) for row in book["คำอธิบาย"].iter_rows())
    assert "EIT ส่วนที่ 1, EIT ส่วนที่ 2 และ OIT" in instructions
    assert [[c.value for c in row][:2] for row in sheet.iter_rows(min_row=2)] == [["6701", khokmon.name]]
    assert book.sheetnames[1] == "คำอธิบาย"
    for index, value in enumerate(KHOKMON_2568, start=6):
        sheet.cell(row=2, column=index, value=float(value))
    buffer = io.BytesIO()
    book.save(buffer)
    upload(client, buffer.getvalue())
    record = ScoreImport.objects.get()
    assert record.summary["counts"]["create"] == 1 and record.summary["column_warnings"] == []


def test_template_of_a_year_without_parts_has_no_part_columns(client, khokmon, staff):
    client.force_login(staff)
    book = sheet_of(client.get(reverse("assessments:import-template", args=[2566])))
    header = [c.value for c in book.worksheets[0][1]]
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่" in header
    assert not [h for h in header if "ส่วนที่" in str(h)]


def test_year_export_has_computed_results_beside_the_published_and_imports_back_unchanged(
    client, khokmon, staff
):
    from assessments.models import FiscalYear

    make_wangmee(
        khokmon, published_overall=Decimal("95.00"), eit_part1=Decimal("97"), eit_part2=Decimal("96.5")
    )
    OrganisationFactory(name="หน่วยงานที่มองไม่เห็น")
    second = OrganisationFactory(name="องค์การบริหารส่วนตำบลยังไม่มีผล")
    Membership.objects.create(user=staff, organisation=second, role=Role.STAFF)
    client.force_login(staff)
    sheet = sheet_of(client.get(reverse("assessments:year-scores-export", args=[2568]))).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {
        row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {khokmon.name, second.name}
    mine = rows[khokmon.name]
    assert mine["ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ"] == 83.87
    assert mine["คะแนนรวมที่ประกาศ"] == 95 and mine["คะแนนรวม (คำนวณ)"] == 90.42
    assert mine["OIT (คำนวณ)"] == 83.75 and mine["ระดับ (คำนวณ)"] == "ผ่าน"
    assert "คะแนนภาพรวมที่ประกาศ (95.00) ไม่ตรงกับค่าที่คำนวณ" in mine["ผลการตรวจสอบ"]
    assert mine["i4"] == 94.19
    assert (mine["คะแนน EIT ส่วนที่ 1"], mine["คะแนน EIT ส่วนที่ 2"]) == (97, 96.5)
    assert rows[second.name]["ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"] is None
    # Nothing published entered: nothing was checked, so the column does not say "ตรงกัน".
    make_wangmee(second)
    sheet_again = sheet_of(client.get(reverse("assessments:year-scores-export", args=[2568]))).worksheets[0]
    checks = {row[1]: row[-1] for row in sheet_again.iter_rows(min_row=2, values_only=True)}
    assert checks[second.name] == "ไม่ได้กรอกผลที่ประกาศ"

    # Corrected in Excel and imported back: the computed columns are ignored, the rest is unchanged.
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    from assessments import importing
    from assessments.importing.spreadsheets import read_sheet

    plan = importing.plan_import(
        read_sheet(buffer.getvalue(), max_rows=100), fiscal_year=FiscalYear.objects.get(year=2568), user=staff
    )
    assert plan.summary()["counts"] == {"create": 0, "update": 0, "unchanged": 1, "skip": 1, "error": 0}
    assert plan.columns.warnings == []


def test_organisation_export_has_one_row_per_year(client, khokmon, staff):
    make_assessment(khokmon, year=2568, eit_part1=Decimal("99.50"), eit_part2=Decimal("80"))
    make_assessment(
        khokmon,
        year=2567,
        indicators=["97.78", "100", "100", "100", "100", "99.13", "99.10", "97.05", "100", "100"],
    )
    client.force_login(staff)
    book = sheet_of(client.get(reverse("assessments:organisation-scores-export", args=[khokmon.pk])))
    sheet = book.worksheets[0]
    assert khokmon.name in sheet["A1"].value
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [(r["ปีงบประมาณ"], r["คะแนนรวม (คำนวณ)"], r["ระดับ (คำนวณ)"]) for r in rows] == [
        # No part scores for 2567: the three-tool level, marked as provisional.
        (2567, 99.39, "ผ่านดีเยี่ยม (ระดับเบื้องต้น: ยังไม่ได้กรอกคะแนน EIT รายส่วน)"),
        # EIT part 2 at 80 is below the floor of 85: ผ่าน, not the ผ่านดี of the three tools.
        (2568, 94.74, "ผ่าน"),
    ]
    assert [(r["EIT ส่วนที่ 1 ที่ประกาศ"], r["EIT ส่วนที่ 2 ที่ประกาศ"]) for r in rows] == [
        (None, None),
        (99.5, 80),
    ]


def test_plans_overview_export(client):
    from tests.factories import make_approved_plan

    plan, _ = make_approved_plan()
    organisation = plan.assessment.organisation
    admin = member(organisation, Role.ADMINISTRATOR)
    Membership.objects.create(user=admin, organisation=OrganisationFactory(), role=Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.get(reverse("measures:progress-overview-export") + f"?year={plan.plan_year}")
    sheet = sheet_of(response).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    from django.utils import timezone

    from measures.selectors import administrator_overview

    (shown,) = administrator_overview(admin, plan.plan_year, timezone.localdate())
    assert rows == [
        (
            organisation.name,
            organisation.district,
            organisation.province,
            "อนุมัติแล้ว",
            plan.measures.count(),
            shown.done,
            shown.late,
            shown.percent,
        )
    ]
    assert shown.total == plan.measures.count() > 0


# --- The command -----------------------------------------------------------------------------


def test_import_scores_command(tmp_path, khokmon, capsys):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(
        xlsx([["6701", "", "", ""] + KHOKMON_2568, ["", "อบต.วังหมี", "วังน้ำเขียว", "นครราชสีมา"] + WANGMEE])
    )
    with pytest.raises(CommandError, match="พบข้อผิดพลาด 1 แถว"):
        call_command("import_scores", str(path), "--year", "2568")
    assert "ผิดพลาด: แถว 3: ไม่พบหน่วยงานอบต.วังหมี จังหวัดนครราชสีมา" in capsys.readouterr().out
    assert written()[0] == 0

    call_command("import_scores", str(path), "--year", "2568", "--create-organisations", "--dry-run")
    out = capsys.readouterr().out
    assert "สร้างใหม่ 2 (หน่วยงานใหม่ 1)" in out and "ยังไม่ได้บันทึก" in out
    assert written()[0] == 0

    call_command("import_scores", str(path), "--year", "2568", "--create-organisations")
    assert "นำเข้าเรียบร้อยแล้ว" in capsys.readouterr().out
    assert Assessment.objects.count() == 2
    assert ScoreImport.objects.get().status == ImportStatus.COMMITTED

    call_command("import_scores", str(path), "--year", "2568")
    assert "ไม่เปลี่ยนแปลง 2" in capsys.readouterr().out


def test_import_scores_command_as_a_user_keeps_to_their_organisations(tmp_path, khokmon, staff):
    path = tmp_path / "scores.csv"
    path.write_text(
        "code," + ",".join(f"indicator{n}" for n in range(1, 11)) + "\n6701," + ",".join(KHOKMON_2568)
    )
    call_command("import_scores", str(path), "--year", "2568", "--user", staff.username)
    assert Assessment.history.get().history_user == staff
    outsider = member(OrganisationFactory(), Role.STAFF)
    with pytest.raises(CommandError):
        call_command("import_scores", str(path), "--year", "2568", "--user", outsider.username)
