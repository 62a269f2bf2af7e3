"""Reading an uploaded results file (.xlsx or .csv) into plain cells, refusing what is not one.

The type is told from the content, never from the name. Nothing here touches the
database: ``read_sheet`` returns a ``Sheet`` of text cells (numbers written out
exactly, never through a float's rounding) or raises ``SpreadsheetError`` with a
Thai message fit to show next to the upload field.
"""

from __future__ import annotations

import csv
import html
import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import python_calamine
from defusedxml import ElementTree
from openpyxl.utils import column_index_from_string, get_column_letter

ZIP_MAGIC = b"PK\x03\x04"
# Compound File Binary: old .xls files, and .xlsx files encrypted with a password.
CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# A workbook is a zip file: refuse one that would unpack to far more than any results table needs.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# What one results table may hold, checked while the sheet is streamed, before it is read into
# memory (about 140 bytes a cell once read: a million cells stay under 200 MB). 8,300
# organisations with every 2568 question column are about 660,000 cells.
MAX_CELLS = 1_000_000
MAX_COLUMNS = 500
_STREAM_CHUNK = 1024 * 1024
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
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


def _too_many_rows(rows: int, max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"ไฟล์มีมากกว่า {max_rows:,} แถว เกินกว่าที่นำเข้าได้ครั้งละ {max_rows:,} แถว กรุณาแบ่งเป็นหลายไฟล์"
    )


def _too_many_cells() -> SpreadsheetError:
    return SpreadsheetError(
        f"ไฟล์มีข้อมูลเกิน {MAX_CELLS:,} เซลล์ ซึ่งมากกว่าที่นำเข้าได้ครั้งละหนึ่งไฟล์ กรุณาแบ่งหน่วยงานเป็นหลายไฟล์ หรือลบคอลัมน์ที่ไม่ใช้"
    )


def _check_sheet_size(archive: zipfile.ZipFile, path: str, *, max_rows: int) -> None:
    """Stream the sheet's XML, counting rows and cells, and stop at the first limit it passes:
    nothing of a zip bomb or an oversized table is held in memory."""
    rows = cells = size = 0
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(_STREAM_CHUNK):
            size += len(chunk)
            if size > MAX_UNPACKED_BYTES:
                raise SpreadsheetError("ไฟล์นี้มีข้อมูลภายในใหญ่เกินกว่าที่ระบบอ่านได้")
            window = tail + chunk
            # A tag cut by the chunk's end is counted in the next window, not twice.
            rows += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
            cells += len(_CELL_TAG.findall(window)) - len(_CELL_TAG.findall(tail))
            if rows > max_rows + HEADER_ALLOWANCE:
                raise _too_many_rows(rows, max_rows)
            if cells > MAX_CELLS:
                raise _too_many_cells()
            tail = window[-16:]


# Rows above the header (a title, notes) that a file may carry besides its data rows.
HEADER_ALLOWANCE = 10


def _read_xlsx(content: bytes, *, max_rows: int) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis"):
                raise SpreadsheetError("ไฟล์นี้เป็น OpenDocument (.ods) กรุณาบันทึกเป็น Excel (.xlsx) ก่อนนำเข้า")
            if "xl/workbook.xml" not in names:
                raise SpreadsheetError(NOT_A_SPREADSHEET)
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise SpreadsheetError("ไฟล์นี้มีข้อมูลภายในใหญ่เกินกว่าที่ระบบอ่านได้")
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
            sheets = [
                m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
            ]
            if not sheets:
                raise SpreadsheetError("ไม่มีแผ่นงาน (worksheet) ในไฟล์")
            path = _sheet_path(archive, sheets[0])
            _check_sheet_size(archive, path, max_rows=max_rows)
            worksheet = book.get_sheet_by_name(sheets[0])
            formulas = _formulas(archive, path)
            values = worksheet.to_python(skip_empty_area=False)
            merged = worksheet.merged_cell_ranges or []
    except SpreadsheetError:
        raise
    except zipfile.BadZipFile:
        raise SpreadsheetError(NOT_A_SPREADSHEET) from None
    except (python_calamine.CalamineError, KeyError, StopIteration, ElementTree.ParseError, ValueError):
        raise SpreadsheetError("เปิดไฟล์ Excel นี้ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกใหม่แล้วลองอีกครั้ง") from None
    at_formula = {(row, column) for row, column, _ in formulas}
    rows: list[tuple[int, list[str | None]]] = []
    if values and max(len(cells) for cells in values) > MAX_COLUMNS:
        raise _too_many_columns(max(len(cells) for cells in values))
    for number, cells in enumerate(values, start=1):
        _append_row(
            rows,
            number,
            [
                None if (number, column) in at_formula else cell_text(value)
                for column, value in enumerate(cells, 1)
            ],
        )
    return Sheet(
        kind="xlsx",
        name=sheets[0],
        rows=rows,
        merged=[
            f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
            for (r0, c0), (r1, c1) in merged
        ],
        formulas=formulas,
    )


_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A cell with a formula: <c r="F3" ...><f>AVERAGE(A1:A3)</f> (any namespace prefix; <f/> for shared formulas).
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>([^<]*)<)'
)


def _sheet_path(archive: zipfile.ZipFile, name: str) -> str:
    """The part that holds the sheet called ``name``, through the workbook's relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relation = next(
        sheet.get(_RELATIONSHIP)
        for sheet in workbook.iter()
        if sheet.tag.endswith("}sheet") and sheet.get("name") == name
    )
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(rel.get("Target") for rel in relations if rel.get("Id") == relation)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _formulas(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, str]]:
    """Cells holding a formula (row, column, formula): values of formulas are not scores someone typed."""
    xml = archive.read(path)
    if b"<f" not in xml and b":f" not in xml:
        return []
    return [
        (int(row), column_index_from_string(letters.decode()), "=" + html.unescape((text or b"").decode()))
        for letters, row, text in _FORMULA_CELL.findall(xml)
    ]


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
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[str | None]]] = []
    formulas: list[tuple[int, int, str]] = []
    cells = 0
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            if len(record) > MAX_COLUMNS:
                raise _too_many_columns(len(record))
            cells += len(record)
            if cells > MAX_CELLS:
                raise _too_many_cells()
            if number > max_rows + HEADER_ALLOWANCE:
                raise _too_many_rows(number, max_rows)
            values: list[str | None] = []
            for column, raw in enumerate(record, start=1):
                value = raw.strip()
                if value.startswith("=") and len(value) > 1:
                    formulas.append((number, column, value))
                    values.append(None)
                else:
                    values.append(value or None)
            _append_row(rows, number, values)
    except csv.Error as exc:
        raise SpreadsheetError(f"อ่านไฟล์ CSV ไม่ได้: {exc}") from None
    return Sheet(kind="csv", name="CSV", rows=rows, formulas=formulas)


def _decode(content: bytes, encodings: tuple[str, ...]) -> str:
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("อ่านตัวอักษรในไฟล์ CSV ไม่ได้ กรุณาบันทึกจาก Excel เป็นชนิด CSV UTF-8 (คั่นด้วยจุลภาค)")
