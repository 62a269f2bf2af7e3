"""Uploads bounded by memory, not only by size: a workbook is streamed part by part and refused at
the first limit it passes, before the reader (calamine) opens it; an import stops checking a file
once a thousand rows are wrong. benchmarks/upload_memory.py measures the memory and time."""

import io
import struct
import zipfile

import pytest

from assessments.importing import planning, workbook_limits
from assessments.importing.spreadsheets import SpreadsheetError, read_sheet
from tests.assessments.importing import (
    generated_xlsx,
    opened_by_the_reader,
    plan_of,
    xlsx,
)

MB = 1024 * 1024
TOO_MUCH_TEXT = "ไฟล์นี้มีข้อความมากเกินกว่าตารางผลการประเมิน"
TOO_LARGE = "ไฟล์นี้มีข้อมูลภายในใหญ่เกินกว่าที่ระบบอ่านได้"


def refused_unopened(monkeypatch, content: bytes, message: str) -> None:
    opened = opened_by_the_reader(monkeypatch)
    with pytest.raises(SpreadsheetError, match=message):
        read_sheet(content, max_rows=20_000)
    assert opened == []  # the reader never saw it


@pytest.mark.slow  # writes 190 MB
def test_a_sheet_of_190_mb_in_ten_long_cells_is_refused_before_it_is_read(monkeypatch):
    cell = b'<c t="inlineStr"><is><t>' + b"x" * (19 * MB) + b"</t></is></c>"
    refused_unopened(monkeypatch, generated_xlsx(1, 10, cell=cell), TOO_MUCH_TEXT)


@pytest.mark.slow  # writes 190 MB
def test_190_mb_of_shared_strings_are_refused_before_they_are_read(monkeypatch):
    strings = (b"<si><t>" + b"y" * 90 + b"</t></si>") * 1_800_000
    content = generated_xlsx(2, 10, cell=b'<c t="s"><v>0</v></c>', strings=strings)
    assert len(content) < MB  # a small upload, well under the size limit
    refused_unopened(monkeypatch, content, TOO_LARGE)


def test_one_long_string_shown_in_thousands_of_cells_is_refused(monkeypatch):
    strings = b"<si><t>" + "ข้อความยาว".encode() * 100 + b"</t></si>"  # 3,000 bytes
    content = generated_xlsx(600, 10, cell=b'<c t="s"><v>0</v></c>', strings=strings)  # 18 MB shown
    refused_unopened(monkeypatch, content, TOO_MUCH_TEXT)
    # The same string in a few hundred cells is a table like any other.
    assert (
        len(
            read_sheet(
                generated_xlsx(100, 10, cell=b'<c t="s"><v>0</v></c>', strings=strings), max_rows=200
            ).rows
        )
        == 100
    )


def test_a_sheet_past_its_size_is_refused_however_it_is_made(monkeypatch):
    monkeypatch.setattr(workbook_limits, "MAX_SHEET_BYTES", MB)
    refused_unopened(monkeypatch, generated_xlsx(1, 1, cell=b"<x/>" * (MB // 2)), TOO_LARGE)


def test_a_part_the_reader_opens_is_bounded_too(monkeypatch):
    monkeypatch.setattr(workbook_limits, "MAX_PART_BYTES", 64 * 1024)
    content = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx([["1"] + ["90"] * 10]))) as source,
        zipfile.ZipFile(content, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data.replace(b"</styleSheet>", b"<x/>" * 40_000 + b"</styleSheet>")
            target.writestr(item.filename, data)
    refused_unopened(monkeypatch, content.getvalue(), TOO_LARGE)


def lying_about(content: bytes, name: str, size: int) -> bytes:
    """The workbook with the unpacked size of ``name`` given as ``size`` in both of the zip's
    directories (a zip bomb's trick against checks that trust them)."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == name.encode():
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_zip_that_lies_about_its_sizes_is_refused(monkeypatch):
    content = lying_about(generated_xlsx(20_000, 10), "xl/worksheets/sheet1.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    refused_unopened(monkeypatch, content, "ไฟล์นี้ไม่ใช่ตารางข้อมูล")


def test_prefixed_tags_are_counted_like_plain_ones(monkeypatch):
    monkeypatch.setattr(workbook_limits, "MAX_CELLS", 500)
    content = generated_xlsx(60, 10, cell=b'<x:c t="n"><x:v>90</x:v></x:c>')  # 600 cells
    refused_unopened(monkeypatch, content, "เกิน 500 เซลล์")


def test_tags_cut_by_the_edge_of_a_chunk_are_counted_once(monkeypatch):
    """With chunks of 7 bytes almost every tag is cut somewhere: the counts must still be exact."""
    cell = b'<c r="A1" t="s"><v>1</v></c><c r="B1"><f>A1+1</f><v>2</v></c>'
    strings = b"<si><t>ab</t></si><si><t>" + b"c" * 50 + b"</t></si>"
    content = generated_xlsx(30, 3, cell=cell, strings=strings)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        whole = workbook_limits.scan_sheet(
            archive, "xl/worksheets/sheet1.xml", workbook_limits.check_parts(archive), max_rows=100
        )
        monkeypatch.setattr(workbook_limits, "_CHUNK", 7)
        monkeypatch.setattr(workbook_limits, "_TAIL", 200)
        sizes = workbook_limits.check_parts(archive)
        cut = workbook_limits.scan_sheet(archive, "xl/worksheets/sheet1.xml", sizes, max_rows=100)
    assert sizes.size == 2 and sizes[1] > 50
    assert (
        (cut.rows, cut.cells, len(cut.formulas))
        == (whole.rows, whole.cells, len(whole.formulas))
        == (30, 180, 90)
    )
    assert cut.text == whole.text == 90 * int(sizes[1])
    assert cut.formulas[0] == (1, 2, "=A1+1")


def test_more_formulas_than_a_person_could_fix_cell_by_cell_are_refused_at_once(monkeypatch):
    cell = b'<c r="B2"><f>A2+1</f><v>2</v></c>'
    refused_unopened(monkeypatch, generated_xlsx(200, 10, cell=cell), "วางแบบค่า")
    csv = ("รหัส,คะแนน\n" + "1,=A1+1\n" * 1_500).encode()
    with pytest.raises(SpreadsheetError, match="มากกว่า 1,000 เซลล์"):
        read_sheet(csv, max_rows=20_000)


def test_a_formula_in_a_cell_without_its_reference_is_refused(monkeypatch):
    """A cell may leave out r="B2" (it is then placed by its order): its formula's cached value
    must not be read as a typed score, so the file is refused rather than guessed at."""
    for cell in (b"<c><f>A2+1</f><v>95</v></c>", b'<x:c t="n"><x:f>A2+1</x:f><x:v>95</x:v></x:c>'):
        refused_unopened(monkeypatch, generated_xlsx(2, 3, cell=cell), "ระบุตำแหน่งไม่ได้")


def test_a_csv_that_csv_cannot_read_is_refused_in_thai():
    content = ("รหัส,ชื่อ\n1," + '"' + "ก" * 200_000 + '"\n').encode()
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet(content, max_rows=100)
    assert "อ่านไฟล์ CSV ไม่ได้" in refused.value.message and "field" not in refused.value.message


@pytest.mark.django_db
def test_the_import_stops_checking_once_enough_rows_are_wrong(monkeypatch, fiscal_year):
    monkeypatch.setattr(planning, "MAX_ERROR_ROWS", 5)
    rows = [[f"X{n}", f"อบต.ทดสอบ{n}", "เมือง", "นครราชสีมา"] + ["abc"] * 10 for n in range(40)]
    plan = plan_of(xlsx(rows), fiscal_year)
    assert plan.has_errors and len(plan.rows) == 5 and plan.unchecked == 35
    assert plan.summary()["unchecked_note"] == (
        "พบแถวที่มีข้อผิดพลาด 5 แถวแล้ว จึงหยุดตรวจอีก 35 แถวที่เหลือ กรุณาแก้ไขข้อผิดพลาดที่แสดงแล้วอัปโหลดใหม่"
    )
