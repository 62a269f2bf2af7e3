"""What an uploaded workbook may hold, checked by streaming its parts before any reader opens it.

A workbook is a zip: a file of a few hundred KB can unpack to hundreds of MB. The reader
(calamine) holds the whole first sheet and every shared string in memory, and copies a shared
string into every cell that shows it, so one 3,000-byte string shown in 190,000 cells is 570 MB.
Before it opens the file, the parts it reads are streamed here a MB at a time and the workbook is
refused at the first limit passed:

- the first sheet: at most ``MAX_SHEET_BYTES`` unpacked, the row limit, ``MAX_CELLS`` cells;
- the shared strings: at most ``MAX_STRINGS_BYTES`` and one string per cell;
- the shared strings the cells show, counted once for every cell that shows one: at most
  ``MAX_TEXT_BYTES`` (the text in the sheet itself is bounded by the sheet's size);
- no run of more than ``MAX_RUN_BYTES`` between two tags (one cell's text, one attribute);
- the workbook's other parts the reader opens (workbook, relationships, styles): ``MAX_PART_BYTES``.

A results table of 8,300 organisations with every question column is about 25 MB of sheet and
2 MB of text: every limit stands far above it. The same pass collects the cells that hold a
formula. Sizes are what the stream gives, never what the zip's directory claims.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from html import unescape

import numpy as np
from openpyxl.utils import column_index_from_string

MB = 1024 * 1024
MAX_SHEET_BYTES = 64 * MB
MAX_STRINGS_BYTES = 16 * MB
MAX_TEXT_BYTES = 16 * MB
MAX_PART_BYTES = 8 * MB
MAX_RUN_BYTES = 32 * 1024
# What one results table may hold (about 140 bytes a cell once read: a million cells stay under
# the memory the import may use). 8,300 organisations with every 2568 question column are about
# 660,000 cells.
MAX_CELLS = 1_000_000
# Each formula is an error shown at its cell; past this many the file is refused as a whole, with
# how to turn formulas into values.
MAX_FORMULAS = 1000
# Rows above the header (a title, notes) that a file may carry besides its data rows.
HEADER_ALLOWANCE = 10
# The parts calamine opens besides the sheet and the shared strings.
READER_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")
SHARED_STRINGS = ("xl/sharedStrings.xml", "xl/SharedStrings.xml")  # the names calamine looks for

_CHUNK = MB
_TAIL = 16 * 1024  # longer than any tag, reference or formula looked for below
_LT = ord("<")
_ENDS = (b" ", b"\t", b"\n", b"\r", b">", b"/")  # what may follow a tag's name
_IS_END = np.zeros(256, dtype=bool)
_IS_END[np.frombuffer(b"".join(_ENDS), dtype=np.uint8)] = True
_PADDING = b"\0" * 8
_PREFIXED_STRING = re.compile(rb"<\w+:si[\s>/]")
# A cell showing a shared string: <c r="A1" s="2" t="s"><v>17</v> — the pattern begins with the
# attribute, a literal the engine finds fast, and is possessive so nothing is scanned twice.
_SHARED_REFERENCE = re.compile(rb"""t=["']s["'][^>]{0,512}+>\s{0,64}+<(?:\w+:)?v>(\d{1,10})<""")
# A cell with a formula: <c r="F3" ...><f>AVERAGE(A1:A3)</f> (any prefix; <f/> for shared formulas).
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c(\s[^>]{0,512}+)?>\s{0,64}+<(?:\w+:)?f(?:\s[^>]{0,512}+)?(?:/>|>([^<]{0,8192}+)<)"
)
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')


class WorkbookTooLarge(ValueError):
    """A limit passed; ``message`` is Thai."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


TOO_LARGE = "ไฟล์นี้มีข้อมูลภายในใหญ่เกินกว่าที่ระบบอ่านได้"


def too_many_rows(max_rows: int) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        f"ไฟล์มีมากกว่า {max_rows:,} แถว เกินกว่าที่นำเข้าได้ครั้งละ {max_rows:,} แถว กรุณาแบ่งเป็นหลายไฟล์"
    )


def too_many_cells() -> WorkbookTooLarge:
    return WorkbookTooLarge(
        f"ไฟล์มีข้อมูลเกิน {MAX_CELLS:,} เซลล์ ซึ่งมากกว่าที่นำเข้าได้ครั้งละหนึ่งไฟล์ กรุณาแบ่งหน่วยงานเป็นหลายไฟล์ หรือลบคอลัมน์ที่ไม่ใช้"
    )


def too_many_formulas() -> WorkbookTooLarge:
    return WorkbookTooLarge(
        f"ไฟล์มีเซลล์ที่เป็นสูตรคำนวณมากกว่า {MAX_FORMULAS:,} เซลล์ ระบบนำเข้าเฉพาะค่าที่พิมพ์ไว้ "
        "กรุณาคัดลอกตารางแล้ววางแบบค่า (วางแบบพิเศษ › ค่า) ก่อนนำเข้า"
    )


UNPLACED_FORMULA = (
    "ไฟล์มีสูตรคำนวณในเซลล์ที่ระบบระบุตำแหน่งไม่ได้ ระบบนำเข้าเฉพาะค่าที่พิมพ์ไว้ "
    "กรุณาเปิดไฟล์ใน Excel แล้วคัดลอกตารางไปวางแบบค่า (วางแบบพิเศษ › ค่า) แล้วบันทึกใหม่ก่อนนำเข้า"
)

TOO_MUCH_TEXT = (
    "ไฟล์นี้มีข้อความมากเกินกว่าตารางผลการประเมิน (เช่น ข้อความยาวมากในเซลล์ หรือข้อความเดียวกันซ้ำในหลายแสนเซลล์) "
    "กรุณาเหลือไว้เฉพาะรหัส ชื่อหน่วยงาน และคะแนน"
)


@dataclass
class _Window:
    """A chunk of a part with the end of the chunk before it: ``new`` bytes into ``data`` the
    chunk begins, so a tag cut by a chunk's edge is seen whole once; ``start``: where ``data``
    begins in the part; ``tags``: where each "<" is in ``data``."""

    data: bytes
    new: int
    start: int
    codes: np.ndarray
    tags: np.ndarray

    def starts(self, name: bytes) -> np.ndarray:
        """Where the start tags ``<name`` (no namespace prefix) that end in the chunk begin: read
        off the positions of "<" with NumPy, a hundred times faster than a regular expression."""
        at = self.tags
        hit = _IS_END[self.codes[at + len(name) + 1]] & (at + len(name) + 2 > self.new)
        for offset, byte in enumerate(name, 1):
            hit &= self.codes[at + offset] == byte
        return at[hit]

    def count(self, name: bytes) -> int:
        """Start tags ``<name`` and ``<prefix:name`` that end in the chunk."""
        prefixed = 0
        if b":" + name in self.data:
            tags = [b":" + name + end for end in _ENDS]
            prefixed = sum(self.data.count(tag) - self.data.count(tag, 0, self.new) for tag in tags)
        return int(self.starts(name).size) + prefixed

    def matches(self, pattern: re.Pattern) -> list:
        """Matches of ``pattern`` not wholly inside the previous chunk."""
        found = pattern.findall(self.data)
        return found[len(pattern.findall(self.data, 0, self.new)) :] if self.new else found


def _windows(archive: zipfile.ZipFile, name: str, limit: int):
    """The part a chunk at a time (``_Window``), refused past ``limit`` bytes or at a run of more
    than MAX_RUN_BYTES without a tag (``WorkbookTooLarge``)."""
    size = 0  # bytes of the part read so far
    last_tag = 0  # where the last "<" was, counted from the start of the part
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            codes = np.frombuffer(data + _PADDING, dtype=np.uint8)
            tags = np.flatnonzero(codes[: len(data)] == _LT)
            fresh = tags[tags >= len(tail)] + (size - len(tail))
            if int(np.diff(np.concatenate(([last_tag], fresh, [size + len(chunk)]))).max()) > MAX_RUN_BYTES:
                raise WorkbookTooLarge(TOO_MUCH_TEXT)
            last_tag = int(fresh[-1]) if fresh.size else last_tag
            size += len(chunk)
            if size > limit:
                raise WorkbookTooLarge(TOO_LARGE)
            yield _Window(data, len(tail), size - len(chunk) - len(tail), codes, tags)
            tail = data[-_TAIL:]


def _string_sizes(archive: zipfile.ZipFile, names: set[str]) -> np.ndarray:
    """The size in bytes of each shared string (its markup included), in order."""
    name = next((n for n in SHARED_STRINGS if n in names), None)
    if name is None:
        return np.zeros(0, dtype=np.int64)
    starts: list[np.ndarray] = []
    count = end = 0
    for window in _windows(archive, name, MAX_STRINGS_BYTES):
        found = window.starts(b"si")
        if b":si" in window.data:  # written with a namespace prefix (<x:si>)
            prefixed = _PREFIXED_STRING.finditer(window.data)
            found = np.array([m.start() for m in prefixed if m.end() > window.new], dtype=np.int64)
        starts.append(found.astype(np.int64) + window.start)
        count += found.size
        end = window.start + len(window.data)
        if count > MAX_CELLS:
            raise too_many_cells()
    return np.diff(np.concatenate([*starts, [end]]))


@dataclass
class SheetScan:
    rows: int = 0
    cells: int = 0
    text: int = 0
    formulas: list[tuple[int, int, str]] = field(default_factory=list)


def check_parts(archive: zipfile.ZipFile) -> np.ndarray:
    """Stream the parts the reader opens besides the sheet, refusing the workbook at the first
    limit passed (``WorkbookTooLarge``); the size of each shared string."""
    names = set(archive.namelist())
    for name in READER_PARTS:
        if name in names:
            for _window in _windows(archive, name, MAX_PART_BYTES):
                pass
    return _string_sizes(archive, names)


def scan_sheet(archive: zipfile.ZipFile, sheet: str, sizes: np.ndarray, *, max_rows: int) -> SheetScan:
    """Stream the sheet, refusing the workbook at the first limit passed (``WorkbookTooLarge``);
    what the sheet holds otherwise, with its formulas. ``sizes``: from ``check_parts``."""
    scan = SheetScan()
    for window in _windows(archive, sheet, MAX_SHEET_BYTES):
        scan.rows += window.count(b"row")
        scan.cells += window.count(b"c")
        if scan.rows > max_rows + HEADER_ALLOWANCE:
            raise too_many_rows(max_rows)
        if scan.cells > MAX_CELLS:
            raise too_many_cells()
        shown = np.array(window.matches(_SHARED_REFERENCE), dtype=np.int64)
        scan.text += int(sizes[shown[shown < sizes.size]].sum())
        if scan.text > MAX_TEXT_BYTES:
            raise WorkbookTooLarge(TOO_MUCH_TEXT)
        scan.formulas.extend(_formulas(window))
        if len(scan.formulas) > MAX_FORMULAS:
            raise too_many_formulas()
    return scan


def _formulas(window: _Window) -> list[tuple[int, int, str]]:
    """Cells holding a formula (row, column, formula): values of formulas are not scores someone typed."""
    if b"<f" not in window.data and b":f" not in window.data:
        return []
    found = []
    for match in _FORMULA_CELL.finditer(window.data):
        if match.end() <= window.new:
            continue
        at = _REFERENCE.search(match.group(1) or b"")
        if at is None:  # a cell placed by its order alone: its formula's value cannot be told apart
            raise WorkbookTooLarge(UNPLACED_FORMULA)
        text = "=" + unescape((match.group(2) or b"").decode(errors="replace"))
        found.append((int(at.group(2)), column_index_from_string(at.group(1).decode()), text))
    return found
