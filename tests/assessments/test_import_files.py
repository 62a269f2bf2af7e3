"""Importing results files, reading them: every unusable file, header and cell refused with its
message and nothing written; files bounded before they are read."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from assessments import importing
from assessments.importing.spreadsheets import SpreadsheetError, read_sheet
from assessments.services import score_import_apply
from tests.assessments.importing import (
    FILES,
    HEADER,
    as_number,
    csv_bytes,
    errors_of,
    generated_xlsx,
    opened_by_the_reader,
    plan_of,
    upload,
    written,
    xlsx,
)
from tests.factories import KHOKMON_2568

pytestmark = pytest.mark.django_db


# --- Files that are not usable ---------------------------------------------------------------


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "empty file": (b"", "ไฟล์ว่างเปล่า"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "ไม่ใช่ตารางข้อมูล"),
    "binary": (b"\x00\x01\x02\x03" * 100, "ไม่ใช่ตารางข้อมูล"),
    "old xls": (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600, "Excel รุ่นเก่า (.xls)"),
    "password": ((FILES / "protected.xlsx").read_bytes(), "ตั้งรหัสผ่าน"),
    "ods": (_zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "OpenDocument (.ods)"),
    "docx": (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), "ไม่ใช่ตารางข้อมูล"),
    "broken xlsx": (_zip({"xl/workbook.xml": "not xml"}), "ไฟล์อาจเสียหาย"),
    "empty sheet": (xlsx([], header=None), "แผ่นงานแรกว่างเปล่า"),
    "broken utf-16 text": (b"\xff\xfe\x00\xd8", "อ่านตัวอักษรในไฟล์ CSV ไม่ได้"),
    "undecodable csv": (b"code,name\r\n\xdb\xfc,\xfd\xfe\r\n", "อ่านตัวอักษรในไฟล์ CSV ไม่ได้"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_file_that_is_not_a_results_table_is_refused_by_its_content(name):
    content, message = BAD_FILES[name]
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(content, max_rows=100)
    assert message in caught.value.message


def test_the_password_fixture_is_a_real_encrypted_workbook():
    content = (FILES / "protected.xlsx").read_bytes()
    assert content.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))
    assert "EncryptionInfo".encode("utf-16-le") in content


def test_too_many_rows_are_refused():
    with pytest.raises(SpreadsheetError, match="เกินกว่าที่นำเข้าได้ครั้งละ 3 แถว"):
        read_sheet(xlsx([["1", "x", "d", "p"]] * 5), max_rows=3)


HEADER_PROBLEMS = {
    "missing indicators": (HEADER[:-2], "ไม่มีคอลัมน์คะแนน ตัวชี้วัดที่ 9, ตัวชี้วัดที่ 10"),
    "no identity": (HEADER[2:], "ไม่พบแถวหัวตาราง"),
    "name without province": (["ชื่อหน่วยงาน"] + HEADER[4:], "ต้องมีคอลัมน์ “รหัสหน่วยงาน” หรือทั้งคอลัมน์"),
    "duplicate column": (HEADER + ["ตัวชี้วัดที่ 3"], "ซ้ำกัน (คอลัมน์ G และ O)"),
    "indicator under the wrong name": (
        HEADER[:10] + ["ตัวชี้วัดที่ 7 การใช้งบประมาณ"] + HEADER[11:],
        "ไม่ตรงกับชื่อตัวชี้วัดที่ 7 ของปี 2568 (ประสิทธิภาพการสื่อสาร)",
    ),
    "question of another year": (HEADER + ["o44"], "ไม่มีข้อ o44 ในกรอบการประเมินปี 2568"),
    "indicator the year lacks": (HEADER + ["ตัวชี้วัดที่ 11"], "ไม่มีตัวชี้วัดที่ 11"),
}


@pytest.mark.parametrize("name", HEADER_PROBLEMS)
def test_unusable_headers_are_refused_with_their_reason(fiscal_year, khokmon, name):
    header, message = HEADER_PROBLEMS[name]
    content = xlsx([["6701", "x", "d", "p"] + KHOKMON_2568], header=header)
    with pytest.raises(importing.HeaderError) as caught:
        plan_of(content, fiscal_year)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_merged_header_cells_are_refused(fiscal_year, khokmon):
    header = HEADER[:4] + ["ตัวชี้วัด IIT", None] + HEADER[6:]
    content = xlsx([["6701", "x", "d", "p"] + KHOKMON_2568], header=header, merge="E1:F1")
    with pytest.raises(importing.HeaderError) as caught:
        plan_of(content, fiscal_year)
    assert any("ผสานกัน (Merge) ที่ E1:F1" in m for m in caught.value.messages)


def test_header_only_is_refused(fiscal_year):
    with pytest.raises(importing.HeaderError, match="ไม่มีข้อมูลของหน่วยงาน"):
        plan_of(xlsx([]), fiscal_year)


def test_unknown_columns_are_reported_and_ignored(fiscal_year, khokmon):
    plan = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["x"]], header=HEADER + ["หมายเหตุอื่น"]), fiscal_year
    )
    assert plan.columns.warnings == ["ไม่รู้จักคอลัมน์ O “หมายเหตุอื่น” ข้อมูลในคอลัมน์นี้จะไม่นำเข้า"]
    assert plan.count(importing.Action.CREATE) == 1


# --- Cells ----------------------------------------------------------------------------------


def test_formulas_are_refused_with_row_and_column(fiscal_year, khokmon):
    row = ["6701", "", "", ""] + KHOKMON_2568
    row[6] = "=AVERAGE(E2:F2)"
    plan = plan_of(xlsx([row], numbers=False), fiscal_year)
    assert errors_of(plan) == [
        "แถว 2 คอลัมน์ G (ตัวชี้วัดที่ 3): เป็นสูตรคำนวณ (=AVERAGE(E2:F2)) กรุณาคัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า"
    ]


@pytest.mark.parametrize(
    "value, message",
    [
        ("ดีมาก", "คะแนนต้องเป็นตัวเลข"),
        ("101", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("-1", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("94.745", "คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        ("", "ยังไม่มีคะแนน (ต้องกรอกทุกตัวชี้วัด)"),
    ],
)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_bad_scores_are_refused_and_nothing_is_written(
    client, fiscal_year, khokmon, staff, value, message, kind
):
    row = ["6701", "", "", ""] + KHOKMON_2568
    row[8] = value
    content = xlsx([row]) if kind == "xlsx" else csv_bytes([row])
    plan = plan_of(content, fiscal_year, staff)
    assert [e.column for e in plan.errors] == ["I"]
    assert message in errors_of(plan)[0] and errors_of(plan)[0].startswith("แถว 2 คอลัมน์ I (ตัวชี้วัดที่ 5)")
    before = written()
    with pytest.raises(ValueError):
        score_import_apply(plan=plan, user=staff, reason="x")
    client.force_login(staff)
    response = upload(client, content, name=f"scores.{kind}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert written() == before


def test_a_float_computed_in_excel_shows_its_extra_decimals(fiscal_year, khokmon):
    row = ["6701", "", "", ""] + KHOKMON_2568
    row[4] = "0.3"
    # Excel stores 17 significant digits (openpyxl only 15): put in what Excel writes for 0.1 + 0.2.
    content = _rewrite_sheet(xlsx([row]), b"<v>0.3</v>", b"<v>0.30000000000000004</v>")
    plan = plan_of(content, fiscal_year)
    assert errors_of(plan) == ["แถว 2 คอลัมน์ E (ตัวชี้วัดที่ 1): “0.30000000000000004” คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"]


def _rewrite_sheet(content: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            target.writestr(item, data)
    return buffer.getvalue()


def test_thai_digits_are_accepted(fiscal_year, khokmon):
    row = ["๖๗๐๑", "", "", ""] + ["๑๐๐", "๑๐๐", "๙๙.๗๕"] + KHOKMON_2568[3:]
    plan = plan_of(csv_bytes([row]), fiscal_year)
    assert not plan.errors
    assert plan.rows[0].known.pk == khokmon.pk
    assert plan.rows[0].values.indicators[3] == Decimal("99.75")


def test_duplicate_organisations_are_refused(fiscal_year, khokmon):
    rows = [["6701", "", "", ""] + KHOKMON_2568, ["", "อบต.โคกมน", "", "จ.เพชรบูรณ์"] + KHOKMON_2568]
    plan = plan_of(xlsx(rows), fiscal_year)
    assert errors_of(plan) == ["แถว 3: หน่วยงานเดียวกับแถว 2 (ซ้ำกันในไฟล์)"]


def test_level_must_be_one_of_the_year(fiscal_year, khokmon):
    plan = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568 + ["AA"]], header=HEADER + ["ระดับ"]), fiscal_year
    )
    assert "ไม่มีระดับ “AA” ในเกณฑ์ของปี 2568" in errors_of(plan)[0]


def test_csv_from_thai_windows_excel_is_read(fiscal_year, khokmon):
    content = csv_bytes(
        [["", "องค์การบริหารส่วนตำบลโคกมน", "น้ำหนาว", "เพชรบูรณ์"] + KHOKMON_2568], encoding="cp874"
    )
    plan = plan_of(content, fiscal_year)
    assert not plan.errors and plan.rows[0].known.pk == khokmon.pk


def test_header_may_sit_below_a_title_and_use_codes(fiscal_year, khokmon):
    header = (
        ["code", "name", "province"]
        + [f"indicator{n}" for n in range(1, 11)]
        + ["IIT", "overall", "level", "i1"]
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["ผลการประเมิน ITA 2568"])
    sheet.append(header)
    sheet.append([as_number(v) for v in ["6701", "", ""] + KHOKMON_2568 + ["99.95", "94.74", "ผ่านดี", "100"]])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_of(buffer.getvalue(), fiscal_year)
    assert plan.columns.header_row == 2 and not plan.errors
    values = plan.rows[0].values
    assert (values.tools, values.overall, values.level, values.questions) == (
        {"IIT": Decimal("99.95")},
        Decimal("94.74"),
        "good",
        {"i1": Decimal("100.00")},
    )
    assert plan.rows[0].warnings == []


# --- Files bounded before they are read ---------------------------------------------------------


def test_a_sheet_with_too_many_cells_is_refused_while_streaming(monkeypatch):
    from assessments.importing import workbook_limits

    monkeypatch.setattr(workbook_limits, "MAX_CELLS", 5_000)
    opened = opened_by_the_reader(monkeypatch)
    content = generated_xlsx(rows=200, columns=30)  # 6,000 cells
    with pytest.raises(SpreadsheetError, match="เกิน 5,000 เซลล์"):
        read_sheet(content, max_rows=1000)
    assert opened == []  # refused before the reader opened the file
    assert len(read_sheet(generated_xlsx(rows=100, columns=30), max_rows=1000).rows) == 100
    assert len(opened) == 1


def test_too_many_rows_are_refused_while_streaming():
    with pytest.raises(SpreadsheetError, match="มากกว่า 50 แถว"):
        read_sheet(generated_xlsx(rows=200, columns=3), max_rows=50)


@pytest.mark.parametrize("columns", [501, 18_279, 40_000])
def test_a_csv_with_thousands_of_columns_is_refused(columns):
    content = ("a," * columns + "\n" + "1," * columns + "\n").encode()
    with pytest.raises(SpreadsheetError, match="คอลัมน์ เกินกว่าที่ตารางผลการประเมินมีได้"):
        read_sheet(content, max_rows=100)


def test_a_csv_with_too_many_rows_stops_at_the_limit():
    content = ("code,name\n" + "1,ก\n" * 5000).encode()
    with pytest.raises(SpreadsheetError, match="มากกว่า 100 แถว"):
        read_sheet(content, max_rows=100)
