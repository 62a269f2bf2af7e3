"""Responses every app sends the same way, and the one way every workbook is written."""

import io
from collections.abc import Container, Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

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


# --- Write-only workbooks: thousands of rows in flat memory -------------------------------------
#
# openpyxl's write-only mode streams each appended row to a temporary file instead of keeping
# every cell in memory; the price is that a row cannot be visited again. So what
# ``workbook_bytes`` does afterwards (formula-looking texts kept as text) is done here as each
# row is appended, and the column widths and frozen panes are set before the first row.

SCORE_FORMAT = "0.00"


def streaming_book() -> Workbook:
    return Workbook(write_only=True)


def safe_row(
    sheet, values: Iterable, *, number_format: str | None = SCORE_FORMAT, plain: Container[int] = ()
) -> Iterator:
    """A row for a write-only ``sheet`` (pass it to ``append``): a text a spreadsheet would run
    as a formula becomes a quote-prefixed text cell; a Decimal gets ``number_format``; anything
    else goes as it is. Columns in ``plain`` (0-based) keep the General format: every formatted
    cell costs openpyxl an exception and a style lookup (a year export's 332,000 question scores
    took 2 s just to be formatted).

    A generator, because openpyxl writes each cell of an appended generator before it asks for
    the next: one formatted cell then carries every score of the row in turn, instead of a new
    styled cell per score (8,300 rows × 40 scores: 6.3 s → 4 s). ``test_responses`` checks the
    values and formats that come out.
    """
    score = None
    for index, value in enumerate(values):
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            yield cell
        elif number_format and isinstance(value, Decimal) and index not in plain:
            if score is None:
                score = WriteOnlyCell(sheet)
                score.number_format = number_format
            score.value = value
            yield score
        else:
            yield value


def header_cells(
    sheet, texts: Iterable[str], *, wrap: bool = False, fills: dict[int, PatternFill] | None = None
):
    """The header row of a write-only ``sheet`` in the workbooks' header style (``fills``: another
    fill for some columns, by 1-based index)."""
    cells = []
    for index, text in enumerate(texts, start=1):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = HEADER_FONT
        cell.fill = (fills or {}).get(index, HEADER_FILL)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def streaming_bytes(book: Workbook) -> bytes:
    """Save a write-only workbook (once: its rows are already on disk) and return the .xlsx."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file as a download; ``filename`` is ASCII (Thai names vary across browsers)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel workbook as a download."""
    return file_response(content, filename, XLSX_TYPE)
