"""A dashboard table (the overseer's dashboard, "did the measures work?") as a workbook."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ita_portal.responses import SCORE_FORMAT, style_header, workbook_bytes

TABLE_FORMATS = {"count": "#,##0", "score": SCORE_FORMAT, "change": "+0.00;-0.00;0.00", "percent": "0.0%"}


def table_workbook(table, subtitle: str) -> bytes:
    """One dashboard table as a workbook: its title and what it covers, then the header and rows
    (numbers stay numbers, formatted as the page prints them)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "ข้อมูล"
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([subtitle])
    if table.note:
        sheet.append([table.note])
    sheet.append([])
    sheet.append([column.title for column in table.columns])
    header_row = sheet.max_row
    style_header(sheet[header_row])
    for row in table.rows:
        sheet.append(row)
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=False):
            if column.kind in TABLE_FORMATS and cell.value is not None:
                cell.number_format = TABLE_FORMATS[column.kind]
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 44 if column.kind == "text" else 14
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return workbook_bytes(book)
