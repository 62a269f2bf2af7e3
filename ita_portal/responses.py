"""Responses every app sends the same way, and the one way every workbook is written."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

# What spreadsheet programs read as the start of a formula (or of a DDE command) in a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Every workbook's header row: bold on a pale blue.
HEADER_FILL = PatternFill("solid", fgColor="E9EEF6")
HEADER_FONT = Font(bold=True)


def style_header(cells) -> None:
    """Give a row of header cells the workbooks' header style."""
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx, every text that a spreadsheet would run as a formula kept as text.

    A measure title such as ``=HYPERLINK(...)`` typed by a user must reach the reader as
    those characters, not as a live formula: such cells are stored as strings and marked
    quote-prefixed, so Excel and LibreOffice show the text and keep it text when edited.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel workbook as a download; ``filename`` is ASCII (Thai names vary across browsers)."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
