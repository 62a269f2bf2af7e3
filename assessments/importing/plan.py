"""What an import would do: per row its action, changes old → new and errors; the whole plan's digest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Assessment, FiscalYear, IndicatorScore, PublishedToolScore, QuestionScore
from .columns import PREVIEW_ROWS, Catalogue, Columns
from .organisations import KnownOrganisation, NewOrganisation, name_key, province_key


@dataclass(frozen=True, slots=True)
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
    unchecked: int = 0  # rows left unchecked once MAX_ERROR_ROWS rows were wrong

    @property
    def unchecked_note(self) -> str:
        if not self.unchecked:
            return ""
        return (
            f"พบแถวที่มีข้อผิดพลาด {self.count(Action.ERROR):,} แถวแล้ว จึงหยุดตรวจอีก {self.unchecked:,} แถวที่เหลือ "
            "กรุณาแก้ไขข้อผิดพลาดที่แสดงแล้วอัปโหลดใหม่"
        )

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
            "unchecked_note": self.unchecked_note,
        }


# A file this wrong is not checked to its end: the person fixes it from the first errors, and
# the memory and time a million wrong cells would take are never spent.
MAX_ERROR_ROWS = 1000


def check_repeated(row: RowPlan, first_row_of: dict) -> None:
    """An error on a row naming an organisation an earlier row of the file named."""
    identity = row.known.pk if row.known else ("new", name_key(row.new.name), province_key(row.new.province))
    if identity in first_row_of:
        message = f"หน่วยงานเดียวกับแถว {first_row_of[identity]} (ซ้ำกันในไฟล์)"
        row.errors.append(CellError(row.row, "", "", message))
    else:
        first_row_of[identity] = row.row
