"""Reading an uploaded results file (.xlsx or .csv) into plain cells, refusing what is not one.

The type is told from the content, never from the name. Nothing here touches the
database: ``read_sheet`` returns a ``Sheet`` of text cells (numbers written out
exactly, never through a float's rounding) or raises ``SpreadsheetError`` with a
Thai message fit to show next to the upload field.
"""

from __future__ import annotations

import csv
import io
import math
import posixpath
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import python_calamine
from defusedxml import ElementTree
from openpyxl.utils import get_column_letter

from . import workbook_limits

ZIP_MAGIC = b"PK\x03\x04"
# Compound File Binary: old .xls files, and .xlsx files encrypted with a password.
CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# A workbook is a zip: refuse one whose directory claims far more than any results table needs
# (what its parts really unpack to is measured while they are streamed: workbook_limits).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_COLUMNS = 500
CSV_ENCODINGS = ("utf-8-sig", "cp874")  # Excel's "CSV UTF-8", and Thai Windows' plain "CSV"


class SpreadsheetError(ValueError):
    """A file that cannot be read as a results table; ``message`` is Thai."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """The cells of one sheet as text, with what the checks need to know about the file.

    ``rows`` holds only rows with something in them, each with its row number as the
    user sees it in Excel. ``formulas`` lists cells that hold a formula rather than a
    value (row, column, formula); ``merged`` lists merged ranges such as ``"D1:F1"``.
    """

    kind: str  # "xlsx" or "csv"
    name: str
    rows: list[tuple[int, list[str | None]]]
    merged: list[str] = field(default_factory=list)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "rows": [[number, cells] for number, cells in self.rows],
            "merged": self.merged,
            "formulas": [list(item) for item in self.formulas],
        }

    @classmethod
    def from_json(cls, data: dict) -> Sheet:
        return cls(
            kind=data["kind"],
            name=data["name"],
            rows=[(number, cells) for number, cells in data["rows"]],
            merged=list(data["merged"]),
            formulas=[tuple(item) for item in data["formulas"]],
        )


def column_letter(index: int) -> str:
    """Excel's name of the 1-based column ``index`` (1 → A, 28 → AB)."""
    return get_column_letter(index)


def read_sheet(content: bytes, *, max_rows: int) -> Sheet:
    """The first sheet of an .xlsx workbook, or a .csv file, as text cells.

    Raises ``SpreadsheetError`` for an empty file, a password-protected or old-format
    workbook, anything that is not a spreadsheet, or more than ``max_rows`` rows.
    """
    if not content:
        raise SpreadsheetError("ไฟล์ว่างเปล่า")
    if content.startswith(CFB_MAGIC):
        if ENCRYPTION_STREAM in content:
            raise SpreadsheetError(
                "ไฟล์นี้ตั้งรหัสผ่านไว้ ระบบเปิดอ่านไม่ได้ กรุณาเปิดใน Excel แล้วเอารหัสผ่านออก "
                "(ไฟล์ › ข้อมูล › ป้องกันเอกสาร) จึงบันทึกใหม่เป็น .xlsx"
            )
        raise SpreadsheetError("ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx")
    if content.startswith(ZIP_MAGIC):
        sheet = _read_xlsx(content, max_rows=max_rows)
    else:
        sheet = _read_csv(content, max_rows=max_rows)
    if not sheet.rows:
        raise SpreadsheetError("ไม่มีข้อมูลในไฟล์ (แผ่นงานแรกว่างเปล่า)")
    if len(sheet.rows) > max_rows + 1:
        raise SpreadsheetError(
            f"ไฟล์มี {len(sheet.rows) - 1:,} แถว เกินกว่าที่นำเข้าได้ครั้งละ {max_rows:,} แถว กรุณาแบ่งเป็นหลายไฟล์"
        )
    return sheet


NOT_A_SPREADSHEET = "ไฟล์นี้ไม่ใช่ตารางข้อมูล กรุณาอัปโหลดไฟล์ Excel (.xlsx) หรือ CSV"


def _read_xlsx(content: bytes, *, max_rows: int) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_archive(archive)
            sizes = workbook_limits.check_parts(archive)
            name, path = _first_sheet(archive)
            scan = workbook_limits.scan_sheet(archive, path, sizes, max_rows=max_rows)
        # Only now that every part it reads is known to be bounded does the reader open the file.
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        worksheet = book.get_sheet_by_name(name)
        rows = _rows(worksheet, scan.formulas)
        merged = worksheet.merged_cell_ranges or []
    except workbook_limits.WorkbookTooLarge as exc:
        raise SpreadsheetError(exc.message) from None
    except SpreadsheetError:
        raise
    except zipfile.BadZipFile:
        raise SpreadsheetError(NOT_A_SPREADSHEET) from None
    except (python_calamine.CalamineError, KeyError, StopIteration, ElementTree.ParseError, ValueError):
        raise SpreadsheetError("เปิดไฟล์ Excel นี้ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกใหม่แล้วลองอีกครั้ง") from None
    return Sheet(
        kind="xlsx",
        name=name,
        rows=rows,
        merged=[
            f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
            for (r0, c0), (r1, c1) in merged
        ],
        formulas=scan.formulas,
    )


def _check_archive(archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    if "mimetype" in names and archive.read("mimetype")[:64].startswith(b"application/vnd.oasis"):
        raise SpreadsheetError("ไฟล์นี้เป็น OpenDocument (.ods) กรุณาบันทึกเป็น Excel (.xlsx) ก่อนนำเข้า")
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    if len(names) > MAX_ENTRIES or sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(workbook_limits.TOO_LARGE)


def _rows(worksheet, formulas: list[tuple[int, int, str]]) -> list[tuple[int, list[str | None]]]:
    """The sheet's rows as text, a row at a time (never the whole sheet as Python values at once),
    numbered as Excel numbers them; a cell holding a formula is left empty."""
    if worksheet.end is None:
        return []
    last_row, last_column = worksheet.end
    if last_column + 1 > MAX_COLUMNS:
        raise _too_many_columns(last_column + 1)
    read: list[list[str | None]] = []
    for cells in worksheet.iter_rows():
        texts = [cell_text(value) for value in cells]
        # Rows are given from the first row of the sheet or of its used range, columns from the
        # used range's first column: pad to column A.
        read.append([None] * (last_column + 1 - len(texts)) + texts)
    first = last_row + 2 - len(read)
    for row, column, _formula in formulas:
        if 0 <= row - first < len(read) and column <= len(read[row - first]):
            read[row - first][column - 1] = None
    rows: list[tuple[int, list[str | None]]] = []
    for number, texts in enumerate(read, start=first):
        _append_row(rows, number, texts)
    return rows


_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """The name of the workbook's first worksheet (charts and macro sheets skipped) and the part
    that holds it, through the workbook's relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = {
        rel.get("Id"): rel
        for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        if rel.get("Id")
    }
    for sheet in workbook.iter():
        relation = relations.get(sheet.get(_RELATIONSHIP)) if sheet.tag.endswith("}sheet") else None
        if relation is not None and (relation.get("Type") or "").endswith("/worksheet"):
            target = relation.get("Target") or ""
            if target.startswith("/"):
                return sheet.get("name") or "", target.lstrip("/")
            return sheet.get("name") or "", posixpath.normpath(posixpath.join("xl", target))
    raise SpreadsheetError("ไม่มีแผ่นงาน (worksheet) ในไฟล์")


def cell_text(value) -> str | None:
    """A cell's value as text: numbers written out exactly as Excel shows them in full."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(
                int(value)
            )  # Excel stores 5330101 and 100 as floats; codes must not become "5330101.0"
        # repr() is the shortest text that reads back as the same float: 94.74 stays 94.74,
        # and a value computed to 94.73999999999999 shows its extra decimals to the checks.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _append_row(rows: list, number: int, values: list[str | None]) -> None:
    while values and values[-1] is None:
        values.pop()
    if values:
        rows.append((number, values))


def _too_many_columns(count: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"ไฟล์มี {count:,} คอลัมน์ เกินกว่าที่ตารางผลการประเมินมีได้ ({MAX_COLUMNS:,} คอลัมน์) กรุณาตรวจสอบว่าเป็นไฟล์ที่ถูกต้อง"
    )


def _read_csv(content: bytes, *, max_rows: int) -> Sheet:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(content, ("utf-16",))  # Excel's "Unicode text": UTF-16 with tabs
    elif b"\x00" in content[:4096] or content.startswith(b"%PDF"):
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    else:
        text = _decode(content, CSV_ENCODINGS)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[str | None]]] = []
    formulas: list[tuple[int, int, str]] = []
    cells = 0
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            cells += len(record)
            _check_csv_size(number, len(record), cells, max_rows)
            _append_row(rows, number, _csv_values(number, record, formulas))
    except csv.Error:
        raise SpreadsheetError(
            "อ่านไฟล์ CSV ไม่ได้ (รูปแบบไม่ถูกต้อง หรือมีข้อความในเซลล์ยาวเกินไป) "
            "กรุณาเปิดใน Excel แล้วบันทึกเป็นชนิด CSV UTF-8 (คั่นด้วยจุลภาค) ใหม่"
        ) from None
    return Sheet(kind="csv", name="CSV", rows=rows, formulas=formulas)


def _check_csv_size(number: int, columns: int, cells: int, max_rows: int) -> None:
    if columns > MAX_COLUMNS:
        raise _too_many_columns(columns)
    if cells > workbook_limits.MAX_CELLS:
        raise SpreadsheetError(workbook_limits.too_many_cells().message)
    if number > max_rows + workbook_limits.HEADER_ALLOWANCE:
        raise SpreadsheetError(workbook_limits.too_many_rows(max_rows).message)


def _csv_values(number: int, record: list[str], formulas: list) -> list[str | None]:
    """A CSV row's cells: empty ones None; a formula (``=...``) noted in ``formulas`` and left empty."""
    values: list[str | None] = []
    for column, raw in enumerate(record, start=1):
        value = raw.strip()
        if value.startswith("=") and len(value) > 1:
            formulas.append((number, column, value))
            if len(formulas) > workbook_limits.MAX_FORMULAS:
                raise SpreadsheetError(workbook_limits.too_many_formulas().message)
            values.append(None)
        else:
            values.append(value or None)
    return values


def _decode(content: bytes, encodings: tuple[str, ...]) -> str:
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("อ่านตัวอักษรในไฟล์ CSV ไม่ได้ กรุณาบันทึกจาก Excel เป็นชนิด CSV UTF-8 (คั่นด้วยจุลภาค)")
