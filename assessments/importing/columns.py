"""Which column of a results file means what: the year's catalogue of names, and the header row."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ita_portal.thai import to_arabic_digits

from ..models import FiscalYear
from .spreadsheets import Sheet, SpreadsheetError, column_letter

HEADER_SEARCH_ROWS = 10
PREVIEW_ROWS = 300  # rows of each kind kept for the preview page; the counts are always complete


# --- The year's catalogue and the columns -----------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """What a results file for one fiscal year may contain."""

    year: int
    indicators: dict[int, str]  # number → name
    tools: tuple[str, ...]  # codes, in order
    levels: dict[str, str]  # code → label
    questions: tuple[str, ...]  # codes, in order
    question_texts: dict[str, str]
    eit_parts: bool = False  # the year's EIT is published in two parts

    def level_code(self, text: str) -> str | None:
        """The level's code from its code or label as typed ("ผ่านดี", "good", "AA")."""
        key = compact(text)
        for code, label in self.levels.items():
            if key in (compact(code), compact(label)):
                return code
        return None


def catalogue_for(fiscal_year: FiscalYear) -> Catalogue:
    indicators = fiscal_year.indicators.order_by("number").values_list("number", "name")
    questions = list(fiscal_year.questions.order_by("order").values_list("code", "text"))
    return Catalogue(
        year=fiscal_year.year,
        indicators=dict(indicators),
        tools=tuple(fiscal_year.tools.order_by("order").values_list("code", flat=True)),
        levels=dict(fiscal_year.levels.order_by("order").values_list("code", "label")),
        questions=tuple(code for code, _ in questions),
        question_texts=dict(questions),
        eit_parts=fiscal_year.eit_parts,
    )


@dataclass(frozen=True)
class Column:
    """What one column of the file holds: ``kind`` and, for scores, which indicator/tool/question."""

    index: int  # 1-based
    header: str
    kind: str  # code, name, org_type, district, province, indicator, tool, eit_part, overall, level, question
    key: str | int | None = None

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def label(self) -> str:
        return column_label(self.kind, self.key)


IDENTITY_KINDS = ("code", "name", "org_type", "district", "province")
SCORE_KINDS = ("indicator", "tool", "eit_part", "overall", "level", "question")


def column_label(kind: str, key: str | int | None) -> str:
    """The Thai name of a column, as the preview and the template print it."""
    return {
        "code": "รหัสหน่วยงาน",
        "name": "ชื่อหน่วยงาน",
        "org_type": "ประเภท",
        "district": "อำเภอ",
        "province": "จังหวัด",
        "indicator": f"ตัวชี้วัดที่ {key}",
        "tool": f"คะแนน {key} ที่ประกาศ",
        "eit_part": f"คะแนน EIT ส่วนที่ {key}",
        "overall": "คะแนนรวมที่ประกาศ",
        "level": "ระดับที่ประกาศ",
        "question": f"ข้อ {key}",
    }[kind]


_NAMED_COLUMNS = {
    "code": {"รหัสหน่วยงาน", "รหัส", "code", "orgcode", "organisationcode", "รหัสอปท", "รหัสองค์กรปกครองส่วนท้องถิ่น"},
    "name": {"ชื่อหน่วยงาน", "หน่วยงาน", "ชื่อ", "name", "organisation", "organization", "ชื่ออปท", "อปท"},
    "org_type": {"ประเภท", "ประเภทหน่วยงาน", "ประเภทอปท", "type", "orgtype"},
    "district": {"อำเภอ", "district"},
    "province": {"จังหวัด", "province"},
    "overall": {
        "คะแนนรวม",
        "คะแนนรวมที่ประกาศ",
        "คะแนนภาพรวม",
        "คะแนนภาพรวมที่ประกาศ",
        "คะแนนita",
        "overall",
        "publishedoverall",
    },
    "level": {"ระดับ", "ระดับที่ประกาศ", "ระดับผลการประเมิน", "ผลการประเมิน", "level", "publishedlevel"},
}
# Columns that files commonly carry and the import has no use for: ignored without a warning.
_IGNORED = {"ลำดับ", "ลำดับที่", "ที่", "no", "#", "หมายเหตุ", "note", "notes", "ตรวจสอบ", "ผลการตรวจสอบ"}
_INDICATOR = re.compile(r"^(?:ตัวชี้วัด(?:ที่)?|indicator|ind)\.?(\d+)\.?(.*)$")
_NUMBERED = re.compile(r"^(\d+)(?:[.)](.*))?$")
_TOOL = re.compile(r"^(?:คะแนน)?(?:published)?([a-z]+)(?:ที่ประกาศ|published)?$")
_QUESTION_LIKE = re.compile(r"^[ieo]\d+$")
# "คะแนน EIT ส่วนที่ 1", "EIT ส่วนที่ ๒", "EIT part 1", "eit1", "eit_part2" (compacted, see compact)
_EIT_PART = re.compile(r"^(?:คะแนน)?eit(?:ส่วนที่|ส่วน|part|p)?([12])(?:ที่ประกาศ)?$")


def compact(text: str) -> str:
    """A header or name reduced for comparison: Arabic digits, lower case, no spaces or separators."""
    return re.sub(r"[\s_\-:]+", "", to_arabic_digits(str(text)).casefold())


class HeaderError(SpreadsheetError):
    """The header row is unusable; ``messages`` lists every problem found."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def _numbered_column(header: str, key: str, plain: str, catalogue: Catalogue):
    """An EIT part or an indicator named by its number (``classify``'s answer), or None."""
    match = _EIT_PART.match(plain)
    if match:
        if not catalogue.eit_parts:
            return f"ปี {catalogue.year} EIT ไม่ได้แยกคะแนนเป็นสองส่วน จึงไม่มีคอลัมน์ “{header.strip()}”"
        return ("eit_part", int(match.group(1)))
    match = _INDICATOR.match(key) or _NUMBERED.match(key)
    if not match:
        return None
    number, rest = int(match.group(1)), (match.group(2) or "").strip(".")
    if number not in catalogue.indicators:
        return f"ไม่มีตัวชี้วัดที่ {number} ในกรอบการประเมินปี {catalogue.year}"
    name = catalogue.indicators[number]
    if rest and not _same_name(rest, name):
        return (
            f"หัวคอลัมน์ “{header}” ไม่ตรงกับชื่อตัวชี้วัดที่ {number} ของปี {catalogue.year} "
            f"({name}) กรุณาตรวจสอบว่าคะแนนอยู่ใต้ตัวชี้วัดที่ถูกต้อง"
        )
    return ("indicator", number)


def classify(header: str, catalogue: Catalogue) -> tuple[str, str | int | None] | str | None:
    """What a header names: ``(kind, key)``, ``"ignored"``, a Thai error message, or None if unknown."""
    key = compact(header)
    plain = key.replace(".", "")
    if not key:
        return None
    if plain in _IGNORED or "คำนวณ" in key or "computed" in key:
        return "ignored"
    for kind, names in _NAMED_COLUMNS.items():
        if plain in names:
            return (kind, None)
    numbered = _numbered_column(header, key, plain, catalogue)
    if numbered is not None:
        return numbered
    for number, name in catalogue.indicators.items():
        if plain == compact(name):
            return ("indicator", number)
    match = _TOOL.match(plain)
    if match and match.group(1).upper() in catalogue.tools:
        return ("tool", match.group(1).upper())
    for code in catalogue.questions:
        if plain == code.casefold():
            return ("question", code)
    if _QUESTION_LIKE.match(plain):
        return f"ไม่มีข้อ {header.strip()} ในกรอบการประเมินปี {catalogue.year} (รหัสข้อเปลี่ยนไปในแต่ละปี)"
    return None


def _same_name(typed: str, name: str) -> bool:
    """An indicator name as typed against the year's: equal, one inside the other, or nearly so."""
    a, b = compact(typed).replace(".", ""), compact(name)
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass
class Columns:
    header_row: int
    columns: list[Column]
    warnings: list[str]

    def of(self, kind: str) -> list[Column]:
        return [c for c in self.columns if c.kind == kind]

    def one(self, kind: str) -> Column | None:
        found = self.of(kind)
        return found[0] if found else None


def find_columns(sheet: Sheet, catalogue: Catalogue) -> Columns:
    """Find the header row (one of the first ten) and what each column holds; HeaderError if unusable."""
    for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        found = [classify(text, catalogue) if text else None for text in cells]
        kinds = {item[0] for item in found if isinstance(item, tuple)}
        if kinds & {"code", "name"} and "indicator" in kinds:
            return _check_header(sheet, number, cells, found, catalogue)
    raise HeaderError(
        [
            "ไม่พบแถวหัวตาราง: ต้องมีคอลัมน์ “รหัสหน่วยงาน” หรือ “ชื่อหน่วยงาน” และคอลัมน์คะแนน "
            f"“ตัวชี้วัดที่ 1” ถึง “ตัวชี้วัดที่ {max(catalogue.indicators)}” ในแถวเดียวกัน "
            "(ดาวน์โหลดแบบฟอร์มเพื่อดูตัวอย่าง)"
        ]
    )


def _merged_header(sheet: Sheet, header_row: int) -> list[str]:
    problems = []
    for merged in sheet.merged:
        rows = [int(n) for n in re.findall(r"\d+", merged)]
        if rows and min(rows) <= header_row <= max(rows):
            problems.append(
                f"หัวตารางมีเซลล์ที่ผสานกัน (Merge) ที่ {merged} กรุณายกเลิกการผสานเซลล์ "
                "ให้แต่ละคอลัมน์มีหัวตารางของตัวเองเพียงแถวเดียว"
            )
    return problems


def _named_columns(cells: list, found: list) -> tuple[list[Column], dict, list[str], list[str]]:
    """The header's columns the import reads, each (kind, key) by its column, the problems
    (a refused or repeated header) and the warnings (a header not known)."""
    problems: list[str] = []
    warnings: list[str] = []
    columns: list[Column] = []
    seen: dict[tuple, Column] = {}
    for index, (text, item) in enumerate(zip(cells, found, strict=True), start=1):
        if text is None or item == "ignored":
            continue
        if isinstance(item, str):
            problems.append(f"คอลัมน์ {column_letter(index)}: {item}")
            continue
        if item is None:
            warnings.append(f"ไม่รู้จักคอลัมน์ {column_letter(index)} “{text}” ข้อมูลในคอลัมน์นี้จะไม่นำเข้า")
            continue
        column = Column(index=index, header=text, kind=item[0], key=item[1])
        if item in seen:
            problems.append(f"คอลัมน์ “{column.label}” ซ้ำกัน (คอลัมน์ {seen[item].letter} และ {column.letter})")
            continue
        seen[item] = column
        columns.append(column)
    return columns, seen, problems, warnings


def _check_header(sheet: Sheet, header_row: int, cells: list, found: list, catalogue: Catalogue) -> Columns:
    problems = _merged_header(sheet, header_row)
    columns, seen, named_problems, warnings = _named_columns(cells, found)
    problems += named_problems
    kinds = {c.kind for c in columns}
    if "code" not in kinds and not {"name", "province"} <= kinds:
        problems.append("ต้องมีคอลัมน์ “รหัสหน่วยงาน” หรือทั้งคอลัมน์ “ชื่อหน่วยงาน” และ “จังหวัด”")
    missing = [n for n in catalogue.indicators if ("indicator", n) not in seen]
    if missing:
        problems.append("ไม่มีคอลัมน์คะแนน " + ", ".join(f"ตัวชี้วัดที่ {n}" for n in missing))
    width = max(len(cells) for _, cells in sheet.rows)
    for index in range(len(cells) + 1, width + 1):
        if any(len(values) >= index and values[index - 1] is not None for _, values in sheet.rows):
            warnings.append(f"คอลัมน์ {column_letter(index)} ไม่มีหัวตาราง ข้อมูลในคอลัมน์นี้จะไม่นำเข้า")
    if problems:
        raise HeaderError(problems)
    if not any(number > header_row for number, _ in sheet.rows):
        raise HeaderError(["มีแต่หัวตาราง ไม่มีข้อมูลของหน่วยงานใต้หัวตาราง"])
    return Columns(header_row=header_row, columns=columns, warnings=warnings)
