"""The write-only workbooks (``ita_portal.responses``): every value lands in its own cell, scores
keep their two-decimal format, formula-looking text stays text — whatever order they come in."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ita_portal.responses import header_cells, safe_row, streaming_book, streaming_bytes


def written(rows):
    book = streaming_book()
    sheet = book.create_sheet("s")
    sheet.append(header_cells(sheet, ["ก", "ข", "ค", "ง", "จ"]))
    for row in rows:
        sheet.append(safe_row(sheet, row))
    return load_workbook(io.BytesIO(streaming_bytes(book))).active


def test_every_score_keeps_its_value_and_format_with_text_and_gaps_between():
    rows = [
        [Decimal("93.33"), '=HYPERLINK("https://evil.example/")', Decimal("85"), None, Decimal("0.5")],
        ["อบต.โคกมน", Decimal("100"), 7, "-2+3", Decimal("94.74")],
    ]
    sheet = written(rows)
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [
        [93.33, '=HYPERLINK("https://evil.example/")', 85, None, 0.5],
        ["อบต.โคกมน", 100, 7, "-2+3", 94.74],
    ]
    formats = {cell.coordinate: cell.number_format for row in sheet.iter_rows(min_row=2) for cell in row}
    assert [formats[c] for c in ("A2", "C2", "E2", "B3", "E3")] == ["0.00"] * 5
    assert formats["D3"] == "General" and formats["C3"] == "General"  # text and whole counts untouched
    for coordinate in ("B2", "D3"):
        assert sheet[coordinate].data_type == "s" and sheet[coordinate].quotePrefix


@pytest.mark.parametrize("text", ["=1+1", "+1", "@SUM(A1)"])
def test_header_and_text_cells_are_never_formulas(text):
    sheet = written([[text]])
    assert sheet["A2"].value == text and sheet["A2"].data_type == "s"
    assert sheet["A1"].font.bold


def test_plain_columns_keep_the_general_format():
    book = streaming_book()
    sheet = book.create_sheet("s")
    sheet.append(safe_row(sheet, [Decimal("90"), Decimal("77.74"), Decimal("85")], plain={1}))
    written_sheet = load_workbook(io.BytesIO(streaming_bytes(book))).active
    assert [cell.value for cell in written_sheet[1]] == [90, 77.74, 85]
    assert [cell.number_format for cell in written_sheet[1]] == ["0.00", "General", "0.00"]
