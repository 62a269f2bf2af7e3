"""Planning a results import: which columns mean what, which organisation each row is, what changes.

``plan_import`` reads the database (a fixed number of queries, however many rows) and
returns an ``ImportPlan``: per row the action (create, update, unchanged, skip or
error), the changes as old → new, and every error in Thai with its sheet row and
column. Nothing is written here; ``services.score_import_apply`` writes a plan
without errors in one transaction.

Blank optional cells (published tool scores, overall, level, question scores) leave
what is recorded alone; the ten indicator scores are required on every row that has
any score at all. A row without any score is skipped, so a template pre-filled with
many organisations can be imported with only some of them filled in.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ita_portal.thai import to_arabic_digits

from . import scoring
from .choices import OrganisationType, Role
from .models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    Membership,
    Organisation,
    PublishedToolScore,
    QuestionScore,
)
from .selectors import fiscal_years_with_framework, framework_from
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
        key = _compact(text)
        for code, label in self.levels.items():
            if key in (_compact(code), _compact(label)):
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
# "คะแนน EIT ส่วนที่ 1", "EIT ส่วนที่ ๒", "EIT part 1", "eit1", "eit_part2" (compacted, see _compact)
_EIT_PART = re.compile(r"^(?:คะแนน)?eit(?:ส่วนที่|ส่วน|part|p)?([12])(?:ที่ประกาศ)?$")


def _compact(text: str) -> str:
    """A header or name reduced for comparison: Arabic digits, lower case, no spaces or separators."""
    return re.sub(r"[\s_\-:]+", "", to_arabic_digits(str(text)).casefold())


class HeaderError(SpreadsheetError):
    """The header row is unusable; ``messages`` lists every problem found."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def classify(header: str, catalogue: Catalogue) -> tuple[str, str | int | None] | str | None:
    """What a header names: ``(kind, key)``, ``"ignored"``, a Thai error message, or None if unknown."""
    key = _compact(header)
    plain = key.replace(".", "")
    if not key:
        return None
    if plain in _IGNORED or "คำนวณ" in key or "computed" in key:
        return "ignored"
    for kind, names in _NAMED_COLUMNS.items():
        if plain in names:
            return (kind, None)
    match = _EIT_PART.match(plain)
    if match:
        if not catalogue.eit_parts:
            return f"ปี {catalogue.year} EIT ไม่ได้แยกคะแนนเป็นสองส่วน จึงไม่มีคอลัมน์ “{header.strip()}”"
        return ("eit_part", int(match.group(1)))
    match = _INDICATOR.match(key) or _NUMBERED.match(key)
    if match:
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
    for number, name in catalogue.indicators.items():
        if plain == _compact(name):
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
    a, b = _compact(typed).replace(".", ""), _compact(name)
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


def _check_header(sheet: Sheet, header_row: int, cells: list, found: list, catalogue: Catalogue) -> Columns:
    problems: list[str] = []
    warnings: list[str] = []
    for merged in sheet.merged:
        rows = [int(n) for n in re.findall(r"\d+", merged)]
        if rows and min(rows) <= header_row <= max(rows):
            problems.append(
                f"หัวตารางมีเซลล์ที่ผสานกัน (Merge) ที่ {merged} กรุณายกเลิกการผสานเซลล์ "
                "ให้แต่ละคอลัมน์มีหัวตารางของตัวเองเพียงแถวเดียว"
            )
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


# --- Organisations ---------------------------------------------------------------------------

_TYPE_PREFIXES = [
    ("องค์การบริหารส่วนตำบล", "อบต", OrganisationType.SAO),
    ("องค์การบริหารส่วนจังหวัด", "อบจ", OrganisationType.PAO),
    ("เทศบาลตำบล", "ทต", OrganisationType.SUBDISTRICT_MUNICIPALITY),
    ("เทศบาลเมือง", "ทม", OrganisationType.TOWN_MUNICIPALITY),
    ("เทศบาลนคร", "ทน", OrganisationType.CITY_MUNICIPALITY),
]


def full_name(name: str) -> str:
    """The name with a leading abbreviation written out: อบต.โคกมน → องค์การบริหารส่วนตำบลโคกมน."""
    name = " ".join(name.split())
    for full, short, _ in _TYPE_PREFIXES:
        match = re.match(rf"^{short}\.?\s*(?=\S)", name)
        if match and not name.startswith(full):
            return full + name[match.end() :]
    return name


def name_key(name: str) -> str:
    return _compact(full_name(name))


def place_key(text: str, *prefixes: str) -> str:
    """A province or district without its prefix (จังหวัด, จ., อำเภอ, อ.) for comparison."""
    text = " ".join(text.split())
    for prefix in prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return _compact(text)


def province_key(text: str) -> str:
    return place_key(text, "จังหวัด", "จ.")


def district_key(text: str) -> str:
    return place_key(text, "อำเภอ", "อ.")


def bare_place(text: str, *prefixes: str) -> str:
    text = " ".join(text.split())
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def organisation_type(typed: str, name: str) -> str | None:
    """The organisation type from the ประเภท cell (code, label or abbreviation), else from the name."""
    if typed:
        key = _compact(typed).replace(".", "")
        for value, label in OrganisationType.choices:
            if key in (_compact(value), _compact(label).replace(".", "")):
                return value
        for full, short, value in _TYPE_PREFIXES:
            if key in (_compact(full), short):
                return value
        return None
    full = full_name(name)
    for prefix, _, value in _TYPE_PREFIXES:
        if full.startswith(prefix):
            return value
    return None


@dataclass(frozen=True)
class KnownOrganisation:
    pk: int
    code: str | None
    name: str
    district: str
    province: str

    @property
    def label(self) -> str:
        return f"{self.name} จ.{self.province}"


@dataclass(frozen=True)
class NewOrganisation:
    code: str | None
    name: str
    district: str
    province: str
    org_type: str

    @property
    def label(self) -> str:
        return f"{self.name} จ.{self.province}"


class Directory:
    """Every organisation, indexed by code and by name + province, with those the user may import into."""

    def __init__(self, importable: set[int] | None):
        self.importable = importable  # None: all (the management command)
        self.by_code: dict[str, KnownOrganisation] = {}
        self.by_place: dict[tuple[str, str], list[KnownOrganisation]] = {}
        for pk, code, name, district, province in Organisation.objects.values_list(
            "pk", "code", "name", "district", "province"
        ):
            org = KnownOrganisation(pk, code, name, district, province)
            if code:
                self.by_code[code.casefold()] = org
            self.by_place.setdefault((name_key(name), province_key(province)), []).append(org)

    def may_import(self, org: KnownOrganisation) -> bool:
        return self.importable is None or org.pk in self.importable

    def by_name(self, name: str, province: str, district: str) -> list[KnownOrganisation]:
        found = self.by_place.get((name_key(name), province_key(province)), [])
        if len(found) > 1 and district:
            found = [org for org in found if district_key(org.district) == district_key(district)]
        return found


# --- The plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the letter, or "" for the whole row
    label: str
    message: str

    def __str__(self) -> str:
        where = f"แถว {self.row}" + (f" คอลัมน์ {self.column} ({self.label})" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowValues:
    indicators: dict[int, Decimal] = field(default_factory=dict)
    tools: dict[str, Decimal] = field(default_factory=dict)
    eit_parts: dict[int, Decimal] = field(default_factory=dict)  # part number → score
    overall: Decimal | None = None
    level: str | None = None
    questions: dict[str, Decimal] = field(default_factory=dict)

    def empty(self) -> bool:
        return (
            not (self.indicators or self.tools or self.questions or self.eit_parts)
            and self.overall is None
            and not self.level
        )


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"
    ERROR = "error"


@dataclass
class RowPlan:
    row: int
    organisation: str
    action: str = Action.ERROR
    changes: list[Change] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    known: KnownOrganisation | None = None
    new: NewOrganisation | None = None
    set_code: str | None = None  # a code from the file for a known organisation that had none
    values: RowValues = field(default_factory=RowValues)

    def as_json(self) -> dict:
        return {
            "row": self.row,
            "organisation": self.organisation,
            "action": self.action,
            "new_organisation": self.new is not None,
            "changes": [[c.label, c.old, c.new] for c in self.changes],
            "errors": [str(e) for e in self.errors],
            "warnings": self.warnings,
        }


@dataclass
class Existing:
    """What is recorded for the year in the organisations the import may touch, as model instances."""

    assessments: dict[int, Assessment]  # by organisation pk
    # assessment pk → indicator number / tool code / question code → record
    indicator_scores: dict[int, dict[int, IndicatorScore]]
    tool_scores: dict[int, dict[str, PublishedToolScore]]
    question_scores: dict[int, dict[str, QuestionScore]]


@dataclass
class ImportPlan:
    fiscal_year: FiscalYear
    catalogue: Catalogue
    columns: Columns
    rows: list[RowPlan]
    create_organisations: bool
    existing: Existing

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new_organisations(self) -> int:
        return sum(1 for row in self.rows if row.new is not None and not row.errors)

    @property
    def changes_anything(self) -> bool:
        return any(row.action in (Action.CREATE, Action.UPDATE) for row in self.rows)

    def digest(self) -> str:
        """A fingerprint of what committing would do; it changes when the records or the file do."""
        payload = [
            [row.row, row.action, row.organisation, [[c.label, c.old, c.new] for c in row.changes]]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()

    def summary(self) -> dict:
        """Counts and the first rows of each kind, for the preview page (JSON)."""
        by_action: dict[str, list[dict]] = {Action.CREATE: [], Action.UPDATE: [], Action.ERROR: []}
        for row in self.rows:
            bucket = by_action.get(row.action)
            if bucket is not None and len(bucket) < PREVIEW_ROWS:
                bucket.append(row.as_json())
        return {
            "year": self.catalogue.year,
            "counts": {
                action: self.count(action)
                for action in (Action.CREATE, Action.UPDATE, Action.UNCHANGED, Action.SKIP, Action.ERROR)
            },
            "new_organisations": self.new_organisations,
            "rows": by_action,
            "column_warnings": self.columns.warnings,
            "columns": [[c.letter, c.label] for c in self.columns.columns],
            "row_warnings": [
                f"แถว {row.row} ({row.organisation}): {warning}"
                for row in self.rows
                for warning in row.warnings
            ][:PREVIEW_ROWS],
            "row_warning_count": sum(len(row.warnings) for row in self.rows),
        }


def plan_import(
    sheet: Sheet,
    *,
    fiscal_year: FiscalYear,
    user=None,
    create_organisations: bool = False,
    on_row: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """What importing ``sheet`` into ``fiscal_year`` would do, row by row; raises HeaderError.

    ``user`` None means every organisation (the management command). ``on_row(done,
    total)`` is called as rows are checked, for a progress bar.
    """
    catalogue = catalogue_for(fiscal_year)
    columns = find_columns(sheet, catalogue)
    framework = framework_from(fiscal_years_with_framework().get(pk=fiscal_year.pk))
    importable = (
        None
        if user is None or user.is_superuser
        else set(Organisation.objects.score_importable_by(user).values_list("pk", flat=True))
    )
    directory = Directory(importable)
    existing = _existing(fiscal_year, user, columns)
    formulas = {(row, column): text for row, column, text in sheet.formulas}
    data_rows = [(number, cells) for number, cells in sheet.rows if number > columns.header_row]
    rows: list[RowPlan] = []
    first_row_of: dict[object, int] = {}
    for done, (number, cells) in enumerate(data_rows, start=1):
        row = _plan_row(number, cells, columns, catalogue, directory, formulas, create_organisations)
        if not row.errors and row.action != Action.SKIP:
            identity = (
                row.known.pk if row.known else ("new", name_key(row.new.name), province_key(row.new.province))
            )
            if identity in first_row_of:
                row.errors.append(
                    CellError(number, "", "", f"หน่วยงานเดียวกับแถว {first_row_of[identity]} (ซ้ำกันในไฟล์)")
                )
            else:
                first_row_of[identity] = number
        if not row.errors and row.action != Action.SKIP:
            _compare(row, existing, catalogue, framework)
        if row.errors:
            row.action = Action.ERROR
        rows.append(row)
        if on_row:
            on_row(done, len(data_rows))
    return ImportPlan(
        fiscal_year=fiscal_year,
        catalogue=catalogue,
        columns=columns,
        rows=rows,
        create_organisations=create_organisations,
        existing=existing,
    )


def _existing(fiscal_year: FiscalYear, user, columns: Columns) -> Existing:
    """One query per kind of record, whatever the number of rows."""
    assessments = Assessment.objects.filter(fiscal_year=fiscal_year)
    if user is not None and not user.is_superuser:
        assessments = assessments.filter(organisation__in=Organisation.objects.score_importable_by(user))
    by_org = {a.organisation_id: a for a in assessments}
    in_scope = assessments.values("pk")

    def grouped(model, link: str, key_of: dict) -> dict:
        table: dict[int, dict] = {}
        for record in model.objects.filter(assessment__in=in_scope):
            table.setdefault(record.assessment_id, {})[key_of[getattr(record, f"{link}_id")]] = record
        return table

    indicator_scores = grouped(
        IndicatorScore, "indicator", dict(fiscal_year.indicators.values_list("pk", "number"))
    )
    tool_scores = (
        grouped(PublishedToolScore, "tool", dict(fiscal_year.tools.values_list("pk", "code")))
        if columns.of("tool")
        else {}
    )
    question_scores = (
        grouped(QuestionScore, "question", dict(fiscal_year.questions.values_list("pk", "code")))
        if columns.of("question")
        else {}
    )
    return Existing(by_org, indicator_scores, tool_scores, question_scores)


def _text(cells: list, column: Column | None) -> str:
    if column is None or column.index > len(cells):
        return ""
    value = cells[column.index - 1]
    return to_arabic_digits(value).strip() if value is not None and column.kind == "code" else (value or "")


def _plan_row(
    number: int,
    cells: list,
    columns: Columns,
    catalogue: Catalogue,
    directory: Directory,
    formulas: dict,
    create_organisations: bool,
) -> RowPlan:
    code = _text(cells, columns.one("code"))
    name = _text(cells, columns.one("name"))
    province = _text(cells, columns.one("province"))
    district = _text(cells, columns.one("district"))
    row = RowPlan(row=number, organisation=name or code or "–")
    values = row.values
    blank_indicators = []
    for column in columns.columns:
        if column.kind not in SCORE_KINDS:
            continue
        formula = formulas.get((number, column.index))
        if formula:
            row.errors.append(
                CellError(
                    number,
                    column.letter,
                    column.label,
                    "เป็นสูตรคำนวณ"
                    + (f" ({formula})" if len(formula) > 1 else "")
                    + " กรุณาคัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า",
                )
            )
            continue
        text = _text(cells, column).strip()
        if not text:
            if column.kind == "indicator":
                blank_indicators.append(column)
            continue
        if column.kind == "level":
            level = catalogue.level_code(text)
            if level is None:
                row.errors.append(
                    CellError(
                        number,
                        column.letter,
                        column.label,
                        f"ไม่มีระดับ “{text}” ในเกณฑ์ของปี {catalogue.year} "
                        f"(ใช้ได้: {', '.join(catalogue.levels.values())})",
                    )
                )
            values.level = level
            continue
        try:
            score = scoring.parse_score(text)
        except scoring.ScoreError as exc:
            row.errors.append(CellError(number, column.letter, column.label, f"“{text}” {exc.message}"))
            continue
        if column.kind == "indicator":
            values.indicators[column.key] = score
        elif column.kind == "tool":
            values.tools[column.key] = score
        elif column.kind == "eit_part":
            values.eit_parts[column.key] = score
        elif column.kind == "question":
            values.questions[column.key] = score
        else:
            values.overall = score
    if values.empty() and not row.errors:
        row.action = Action.SKIP
        return row
    for column in blank_indicators:
        row.errors.append(CellError(number, column.letter, column.label, "ยังไม่มีคะแนน (ต้องกรอกทุกตัวชี้วัด)"))
    _resolve_organisation(
        row,
        code,
        name,
        district,
        province,
        _text(cells, columns.one("org_type")),
        directory,
        create_organisations,
    )
    return row


def _resolve_organisation(
    row: RowPlan,
    code: str,
    name: str,
    district: str,
    province: str,
    typed_type: str,
    directory: Directory,
    create: bool,
) -> None:
    def refuse(message: str) -> None:
        row.errors.append(CellError(row.row, "", "", message))

    if not code and not (name and province):
        refuse("ไม่มีรหัสหน่วยงาน หรือชื่อหน่วยงานพร้อมจังหวัด จึงไม่รู้ว่าเป็นหน่วยงานใด")
        return
    found: KnownOrganisation | None = directory.by_code.get(code.casefold()) if code else None
    if found is None and name and province:
        candidates = directory.by_name(name, province, district)
        if code:
            # A code the portal does not know yet: take the organisation by name if it has no code.
            candidates = [org for org in candidates if not org.code]
        if len(candidates) > 1:
            refuse(
                f"มีหน่วยงานชื่อ {name} ในจังหวัด{bare_place(province, 'จังหวัด', 'จ.')} มากกว่าหนึ่งแห่ง "
                "กรุณาระบุรหัสหน่วยงานหรืออำเภอ"
            )
            return
        if candidates:
            found = candidates[0]
            row.set_code = code or None
    if found is not None:
        if not directory.may_import(found):
            # Word for word what an organisation that does not exist gets, "create" or not.
            refuse(_not_found(code, name, province))
            return
        row.known = found
        row.organisation = found.label
        return
    if not create:
        refuse(_not_found(code, name, province))
        return
    missing = [
        label for label, value in (("ชื่อหน่วยงาน", name), ("อำเภอ", district), ("จังหวัด", province)) if not value
    ]
    if missing:
        refuse("สร้างหน่วยงานใหม่ไม่ได้ เพราะไม่มี" + " ".join(missing))
        return
    org_type = organisation_type(typed_type, name)
    if org_type is None:
        refuse(
            f"สร้างหน่วยงานใหม่ไม่ได้ เพราะไม่รู้ประเภทของ “{name}” "
            "กรุณากรอกคอลัมน์ประเภท เช่น อบต. เทศบาลตำบล เทศบาลเมือง เทศบาลนคร หรือ อบจ."
        )
        return
    if code and len(code) > Organisation._meta.get_field("code").max_length:
        refuse("รหัสหน่วยงานยาวเกินไป")
        return
    row.new = NewOrganisation(
        code=code or None,
        name=full_name(name),
        district=bare_place(district, "อำเภอ", "อ."),
        province=bare_place(province, "จังหวัด", "จ."),
        org_type=org_type,
    )
    row.organisation = row.new.label


def _not_found(code: str, name: str, province: str) -> str:
    what = f"รหัส {code}" if code else f"{name} จังหวัด{bare_place(province, 'จังหวัด', 'จ.')}"
    return f"ไม่พบหน่วยงาน{what} ในหน่วยงานที่ท่านมีสิทธิ์นำเข้าข้อมูล"


def _shown(value: Decimal | None) -> str:
    return scoring.format_score(value) if value is not None else "–"


def _compare(row: RowPlan, existing: Existing, catalogue: Catalogue, framework: scoring.Framework) -> None:
    """Fill the row's action and its changes as old → new."""
    values = row.values
    assessment = existing.assessments.get(row.known.pk) if row.known else None
    pk = assessment.pk if assessment else None
    changes = row.changes
    if row.set_code:
        changes.append(Change("รหัสหน่วยงาน", "–", row.set_code))

    def compare(label: str, old, new, shown=_shown) -> None:
        if new is not None and old != new:
            changes.append(Change(label, shown(old), shown(new)))

    def score_of(table: dict, key) -> Decimal | None:
        record = table.get(pk, {}).get(key)
        return record.score if record is not None else None

    for number, score in sorted(values.indicators.items()):
        compare(column_label("indicator", number), score_of(existing.indicator_scores, number), score)
    for code, score in values.tools.items():
        compare(column_label("tool", code), score_of(existing.tool_scores, code), score)
    for part in scoring.PARTS:
        compare(
            column_label("eit_part", part),
            getattr(assessment, f"eit_part{part}", None),
            values.eit_parts.get(part),
        )
    _check_parts_pair(row, assessment)
    compare("คะแนนรวมที่ประกาศ", assessment.published_overall if assessment else None, values.overall)
    compare(
        "ระดับที่ประกาศ",
        (assessment.published_level or None) if assessment else None,
        values.level,
        shown=lambda code: catalogue.levels.get(code, code) if code else "–",
    )
    for code in catalogue.questions:
        if code in values.questions:
            compare(
                column_label("question", code),
                score_of(existing.question_scores, code),
                values.questions[code],
            )
    if assessment is None:
        row.action = Action.CREATE
    else:
        row.action = Action.UPDATE if changes else Action.UNCHANGED
    _check_published(row, assessment, existing, framework)


def _recorded_parts(row: RowPlan, assessment) -> dict[int, Decimal | None]:
    """The EIT part scores after the import: the file's, else as recorded."""
    return {
        part: row.values.eit_parts.get(part, getattr(assessment, f"eit_part{part}", None))
        for part in scoring.PARTS
    }


def _check_parts_pair(row: RowPlan, assessment) -> None:
    """Part scores are kept in pairs: one part alone (in the file and in the records) is an error."""
    missing = [part for part, value in _recorded_parts(row, assessment).items() if value is None]
    if row.values.eit_parts and missing:
        row.errors.append(
            CellError(
                row.row,
                "",
                "",
                f"มีคะแนน EIT ส่วนที่ {', '.join(str(p) for p in row.values.eit_parts)} แต่ไม่มีส่วนที่ "
                f"{', '.join(str(p) for p in missing)} กรุณากรอกคะแนน EIT ทั้งสองส่วน",
            )
        )


def _check_published(row: RowPlan, assessment, existing: Existing, framework: scoring.Framework) -> None:
    """Warn where the published numbers (from the file, else as recorded) do not follow from the scores."""
    values = row.values
    pk = assessment.pk if assessment else None
    indicators = {
        number: values.indicators.get(
            number, getattr(existing.indicator_scores.get(pk, {}).get(number), "score", None)
        )
        for number in framework.indicator_numbers
    }
    tools = {code: record.score for code, record in existing.tool_scores.get(pk, {}).items()}
    tools.update(values.tools)
    published = scoring.Published(
        overall=values.overall
        if values.overall is not None
        else getattr(assessment, "published_overall", None),
        level=values.level or getattr(assessment, "published_level", ""),
        tool_scores=tools,
    )
    parts = tuple(_recorded_parts(row, assessment).values())
    try:
        result = scoring.evaluate(framework, indicators, None if None in parts else parts)
    except scoring.ScoreError:
        return
    row.warnings.extend(
        finding.message for finding in scoring.check_consistency(framework, result, published)
    )


def membership_for_new(user, organisation: Organisation) -> Membership | None:
    """The importing administrator becomes an administrator of an organisation the import creates."""
    if user is None or user.is_superuser:
        return None
    return Membership(user=user, organisation=organisation, role=Role.ADMINISTRATOR)


def may_create_organisations(user) -> bool:
    """Only administrators (of at least one organisation) may let an import create organisations."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists())
    )
