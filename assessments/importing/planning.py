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

from collections.abc import Callable
from decimal import Decimal

from ita_portal.numbers import format_score
from ita_portal.permissions import Action as Permission
from ita_portal.thai import to_arabic_digits

from .. import consistency, scoring
from ..models import Assessment, FiscalYear, IndicatorScore, Organisation, PublishedToolScore, QuestionScore
from ..selectors import fiscal_years_with_framework, framework_from
from .columns import SCORE_KINDS, Catalogue, Column, Columns, catalogue_for, column_label, find_columns
from .matching import resolve_organisation
from .organisations import Directory
from .plan import MAX_ERROR_ROWS, Action, CellError, Change, Existing, ImportPlan, RowPlan, check_repeated
from .spreadsheets import Sheet


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
        else set(Organisation.objects.permitting(user, Permission.SCORE_IMPORT).values_list("pk", flat=True))
    )
    directory = Directory(importable)
    existing = _existing(fiscal_year, user, columns)
    formulas = {(row, column): text for row, column, text in sheet.formulas}
    data_rows = [(number, cells) for number, cells in sheet.rows if number > columns.header_row]
    rows: list[RowPlan] = []
    first_row_of: dict[object, int] = {}
    errors = unchecked = 0
    for done, (number, cells) in enumerate(data_rows, start=1):
        row = _plan_row(number, cells, columns, catalogue, directory, formulas, create_organisations)
        if not row.errors and row.action != Action.SKIP:
            check_repeated(row, first_row_of)
        if not row.errors and row.action != Action.SKIP:
            _compare(row, existing, catalogue, framework)
        if row.errors:
            row.action = Action.ERROR
            errors += 1
        rows.append(row)
        if on_row:
            on_row(done, len(data_rows))
        if errors >= MAX_ERROR_ROWS:
            unchecked = len(data_rows) - done
            break
    return ImportPlan(
        fiscal_year=fiscal_year,
        catalogue=catalogue,
        columns=columns,
        rows=rows,
        create_organisations=create_organisations,
        existing=existing,
        unchecked=unchecked,
    )


def _existing(fiscal_year: FiscalYear, user, columns: Columns) -> Existing:
    """One query per kind of record, whatever the number of rows."""
    assessments = Assessment.objects.filter(fiscal_year=fiscal_year)
    if user is not None and not user.is_superuser:
        assessments = assessments.filter(
            organisation__in=Organisation.objects.permitting(user, Permission.SCORE_IMPORT)
        )
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
    blank_indicators = [
        column
        for column in columns.columns
        if column.kind in SCORE_KINDS
        and not _read_cell(
            row, column, _text(cells, column).strip(), catalogue, formulas.get((number, column.index))
        )
        and column.kind == "indicator"
    ]
    if values.empty() and not row.errors:
        row.action = Action.SKIP
        return row
    for column in blank_indicators:
        row.errors.append(CellError(number, column.letter, column.label, "ยังไม่มีคะแนน (ต้องกรอกทุกตัวชี้วัด)"))
    resolve_organisation(
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


def _read_cell(row: RowPlan, column, text: str, catalogue: Catalogue, formula: str | None) -> bool:
    """Read one score cell into ``row`` (its value, or a Thai error naming the cell); False for an
    empty cell."""
    number, values = row.row, row.values
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
        return True
    if not text:
        return False
    if column.kind == "level":
        values.level = catalogue.level_code(text)
        if values.level is None:
            row.errors.append(
                CellError(
                    number,
                    column.letter,
                    column.label,
                    f"ไม่มีระดับ “{text}” ในเกณฑ์ของปี {catalogue.year} "
                    f"(ใช้ได้: {', '.join(catalogue.levels.values())})",
                )
            )
        return True
    try:
        score = scoring.parse_score(text)
    except scoring.ScoreError as exc:
        row.errors.append(CellError(number, column.letter, column.label, f"“{text}” {exc.message}"))
        return True
    if column.kind == "overall":
        values.overall = score
    else:
        SCORES_OF_KIND[column.kind](values)[column.key] = score
    return True


# Where a score of each kind of column goes in a row's values.
SCORES_OF_KIND = {
    "indicator": lambda values: values.indicators,
    "tool": lambda values: values.tools,
    "eit_part": lambda values: values.eit_parts,
    "question": lambda values: values.questions,
}


def _shown(value: Decimal | None) -> str:
    return format_score(value) if value is not None else "–"


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
    published = consistency.Published(
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
        finding.message for finding in consistency.check_consistency(framework, result, published)
    )
