"""Score workbooks (openpyxl): the import template, a year across organisations, an organisation across years.

The year workbook uses the template's columns, so it can be corrected and imported
again; the computed tool scores, overall and level sit beside the published ones
under headers marked (คำนวณ), which the import ignores.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ita_portal.responses import (
    SCORE_FORMAT,
    header_cells,
    safe_row,
    streaming_book,
    streaming_bytes,
    style_header,
    workbook_bytes,
)

from .choices import OrganisationType
from .consistency import Published
from .importing import Catalogue, column_label
from .models import Organisation
from .scoring import PARTS, part_label
from .selectors import AssessmentResult, YearExport, YearRow

COMPUTED_FILL = PatternFill("solid", fgColor="FFF4D6")
IDENTITY_COLUMNS = ("code", "name", "org_type", "district", "province")
IDENTITY_WIDTHS = {"code": 16, "name": 40, "org_type": 26, "district": 16, "province": 16}


def template_columns(catalogue: Catalogue, *, questions: bool = True) -> list[tuple[str, object]]:
    """The columns of the import template, in order: who, the ten scores, the published numbers, questions."""
    columns: list[tuple[str, object]] = [(kind, None) for kind in IDENTITY_COLUMNS]
    columns += [("indicator", number) for number in catalogue.indicators]
    columns += [("tool", code) for code in catalogue.tools]
    if catalogue.eit_parts:
        columns += [("eit_part", part) for part in PARTS]
    columns += [("overall", None), ("level", None)]
    if questions:
        columns += [("question", code) for code in catalogue.questions]
    return columns


def header_text(kind: str, key, catalogue: Catalogue) -> str:
    if kind == "indicator":
        return f"ตัวชี้วัดที่ {key} {catalogue.indicators[key]}"
    if kind == "question":
        return str(key)
    return column_label(kind, key)


def _write_header(
    sheet: Worksheet, headers: list[str], *, computed_from: int | None = None, frozen_columns: int = 2
) -> int:
    """Append the bold header row, freeze the panes below it; returns its row number."""
    sheet.append(headers)
    row = sheet.max_row
    style_header(sheet[row])
    for cell in sheet[row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if computed_from and cell.column >= computed_from:
            cell.fill = COMPUTED_FILL
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{row + 1}"
    sheet.row_dimensions[row].height = 48
    return row


def _finish(sheet: Worksheet, widths: list[int], header_row: int = 1, *, scores: bool = True) -> None:
    """Column widths, the score format where there are scores, and the filter row. Without
    ``scores`` (a template of empty score columns) no cell is visited: visiting creates them."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        if not scores:
            continue
        for cells in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
            if isinstance(cells[0].value, Decimal):
                cells[0].number_format = SCORE_FORMAT
    last = get_column_letter(len(widths))
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row + 1)}"


@functools.cache
def _type_labels() -> dict[str, str]:
    """Each organisation type's label, translated once (``get_org_type_display`` per row cost
    a second in an export of 8,300 rows)."""
    return {value: str(label) for value, label in OrganisationType.choices}


def _identity(organisation: Organisation) -> list:
    return [
        organisation.code or "",
        organisation.name,
        _type_labels().get(organisation.org_type, organisation.org_type),
        organisation.district,
        organisation.province,
    ]


def _widths(columns: list[tuple[str, object]]) -> list[int]:
    return [IDENTITY_WIDTHS.get(kind, 12 if kind != "indicator" else 16) for kind, _ in columns]


def _streaming_sheet(book, title: str, widths: list[int], *, frozen_columns: int = 2):
    """A write-only sheet with its column widths, header height and frozen panes set (they are
    written before the first row)."""
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 48
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    return sheet


def import_template(catalogue: Catalogue, organisations: Iterable[Organisation]) -> bytes:
    """The template for one fiscal year: Thai headers, the user's organisations filled in, instructions.
    Written in openpyxl's write-only mode: memory stays flat whatever the number of organisations."""
    book = streaming_book()
    columns = template_columns(catalogue)
    sheet = _streaming_sheet(book, f"ผลการประเมิน {catalogue.year}", _widths(columns))
    header = header_cells(sheet, [header_text(kind, key, catalogue) for kind, key in columns], wrap=True)
    question_texts = catalogue.question_texts
    for cell, (kind, key) in zip(header, columns, strict=True):
        if kind == "question":
            cell.comment = Comment(question_texts[key][:500], "ITA Portal")
    sheet.append(header)
    rows = 0
    for organisation in organisations:
        sheet.append(safe_row(sheet, _identity(organisation)))
        rows += 1
    last_row = max(rows + 1, 500)
    scores = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="คะแนนไม่ถูกต้อง",
        error="คะแนนต้องเป็นตัวเลข 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง",
    )
    levels = DataValidation(
        type="list",
        formula1='"' + ",".join(catalogue.levels.values()) + '"',
        allow_blank=True,
    )
    sheet.data_validations.append(scores)  # write-only sheets lack add_data_validation
    sheet.data_validations.append(levels)
    for index, (kind, _) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if kind in ("indicator", "tool", "eit_part", "overall", "question"):
            scores.add(f"{letter}2:{letter}{last_row}")
        elif kind == "level":
            levels.add(f"{letter}2:{letter}{last_row}")
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"
    _instructions(book.create_sheet("คำอธิบาย"), catalogue)
    return streaming_bytes(book)


def _instructions(sheet: Worksheet, catalogue: Catalogue) -> None:
    lines = [
        f"แบบฟอร์มนำเข้าผลการประเมิน ITA ปีงบประมาณ พ.ศ. {catalogue.year}",
        "",
        "• หนึ่งแถวต่อหนึ่งหน่วยงาน ในแผ่นงานแรกของไฟล์ หัวตารางอยู่แถวเดียว ห้ามผสานเซลล์ (Merge)",
        "• ระบุหน่วยงานด้วยรหัสหน่วยงาน หรือชื่อหน่วยงานพร้อมจังหวัด (และอำเภอ หากชื่อซ้ำกันในจังหวัด)",
        f"• ต้องกรอกคะแนนตัวชี้วัดที่ 1–{max(catalogue.indicators)} ครบทุกตัว เป็นตัวเลข 0–100 "
        "ทศนิยมไม่เกิน 2 ตำแหน่ง ใช้เลขไทยได้",
        "• คะแนนรายเครื่องมือ คะแนนรวม และระดับที่ ป.ป.ช. ประกาศ และคะแนนรายข้อ ไม่บังคับ "
        "ช่องที่เว้นว่างจะไม่เปลี่ยนข้อมูลที่บันทึกไว้",
    ]
    if catalogue.eit_parts:
        lines.append(
            "• คะแนน EIT ส่วนที่ 1 และส่วนที่ 2 ไม่บังคับ แต่ต้องกรอกทั้งสองส่วน ระดับผ่านดีเยี่ยมและผ่านดี"
            "พิจารณา IIT, EIT ส่วนที่ 1, EIT ส่วนที่ 2 และ OIT แต่ละส่วน หากไม่กรอก ระดับที่คำนวณได้เป็นระดับเบื้องต้น"
        )
    lines += [
        "• แถวที่ไม่มีคะแนนเลยจะถูกข้าม จึงลบแถวของหน่วยงานที่ยังไม่มีผลออกก็ได้ หรือเว้นไว้ก็ได้",
        "• ห้ามใช้สูตรคำนวณในช่องคะแนน หากคำนวณใน Excel ให้คัดลอกแล้ววางแบบค่า (Paste Values)",
        "• หัวคอลัมน์ใช้ภาษาไทยตามแบบฟอร์ม หรือรหัสก็ได้ เช่น code, name, province, indicator1, IIT, "
        "overall, level, EIT1, EIT2 และรหัสข้อ เช่น i1, e1, o1",
        f"• รหัสข้อ (i, e, o) เป็นของปี {catalogue.year} เท่านั้น ความหมายของรหัสเดียวกันเปลี่ยนไปในแต่ละปี",
        "• ระบบจะแสดงตัวอย่างสิ่งที่จะเปลี่ยนก่อนบันทึก และบันทึกทั้งไฟล์พร้อมกันเมื่อไม่มีข้อผิดพลาดเท่านั้น",
        "",
        "ตัวชี้วัด",
    ]
    lines += [f"{number}. {name}" for number, name in catalogue.indicators.items()]
    lines += ["", "ระดับผลการประเมิน: " + ", ".join(catalogue.levels.values())]
    sheet.column_dimensions["A"].width = 120
    title = WriteOnlyCell(sheet, value=lines[0])
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    for line in lines[1:]:
        sheet.append(safe_row(sheet, [line]))


def year_scores_workbook(
    catalogue: Catalogue, export: YearExport, on_progress: Callable[[int], None] | None = None
) -> bytes:
    """All the organisations of ``export`` for one year: the template's columns filled in, and the
    computed results. Organisations without an assessment for the year get a row with empty
    scores. Rows are written as the export reads them (openpyxl's write-only mode), so memory
    stays flat; ``on_progress(rows)`` is called every 500 rows (a background export shows it).
    """
    book = streaming_book()
    columns = template_columns(catalogue, questions=export.with_questions)
    computed = [f"{code} (คำนวณ)" for code in catalogue.tools] + [
        "คะแนนรวม (คำนวณ)",
        "ระดับ (คำนวณ)",
        "ผลการตรวจสอบ",
    ]
    widths = _widths(columns) + [12] * len(catalogue.tools) + [12, 14, 60]
    sheet = _streaming_sheet(book, f"ผลการประเมิน {catalogue.year}", widths)
    headers = [header_text(kind, key, catalogue) for kind, key in columns] + computed
    fills = {index: COMPUTED_FILL for index in range(len(columns) + 1, len(headers) + 1)}
    sheet.append(header_cells(sheet, headers, wrap=True, fills=fills))
    # Question scores go unformatted (General shows 93.33 as 93.33): formatting 40 cells a row
    # costs openpyxl more than writing them.
    questions = frozenset(index for index, (kind, _) in enumerate(columns) if kind == "question")
    rows = 0
    for rows, row in enumerate(export.rows, start=1):
        sheet.append(safe_row(sheet, _year_row(row, columns, catalogue), plain=questions))
        if on_progress is not None and rows % 500 == 0:
            on_progress(rows)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(rows + 1, 2)}"
    return streaming_bytes(book)


def _year_row(row: YearRow, columns, catalogue: Catalogue) -> list:
    values = _identity(row.organisation)
    if row.assessment is None:
        return values
    assessment = row.assessment
    for kind, key in columns[len(IDENTITY_COLUMNS) :]:
        if kind == "indicator":
            values.append(row.indicators.get(key))
        elif kind == "tool":
            values.append(row.published_tools.get(key))
        elif kind == "eit_part":
            values.append(assessment[f"eit_part{key}"])
        elif kind == "overall":
            values.append(assessment["published_overall"])
        elif kind == "level":
            level = assessment["published_level"]
            values.append(catalogue.levels.get(level, level) or None)
        else:
            values.append(row.questions.get(key))
    result = row.result
    if result is None:
        return values + [None] * (len(catalogue.tools) + 2) + [row.error]
    values += [result.tool_scores[code] for code in catalogue.tools]
    values += [result.overall, result.level_text]
    published = Published(
        overall=assessment["published_overall"],
        level=assessment["published_level"],
        tool_scores=row.published_tools,
    )
    values.append(_check_text(row.findings, published.entered))
    return values


NOTHING_PUBLISHED = "ไม่ได้กรอกผลที่ประกาศ"


def _organisation_year_row(item: AssessmentResult, indicator_names, tool_codes, level_labels) -> list:
    """One year of an organisation: its scores, published and computed, and what the check found."""
    assessment, result = item.assessment, item.result
    year = assessment.fiscal_year.year
    scores = {s.indicator.number: s.score for s in assessment.indicator_scores.all()}
    published = {s.tool.code: s.score for s in assessment.published_tool_scores.all()}
    row = [year] + [scores.get(n) for n in indicator_names]
    row += [published.get(code) for code in tool_codes]
    row += [result.tool_scores.get(code) if result else None for code in tool_codes]
    row += [getattr(assessment, f"eit_part{part}") for part in PARTS]
    row += [assessment.published_overall, result.overall if result else None]
    row.append(level_labels.get(year, {}).get(assessment.published_level, assessment.published_level))
    row.append(result.level_text if result else "")
    checked = assessment.published_overall is not None or assessment.published_level or published
    row.append(item.error if result is None else _check_text(item.findings, bool(checked)))
    return row


def _check_text(findings, published: bool) -> str:
    """The check column: the disagreements, "ตรงกัน", or that nothing published was entered to check."""
    if findings:
        return "; ".join(f.message for f in findings)
    return "ตรงกัน" if published else NOTHING_PUBLISHED


def organisation_scores_workbook(
    organisation: Organisation,
    results: list[AssessmentResult],
    indicator_names: dict[int, str],
    level_labels: dict[int, dict[str, str]],
    question_rows: dict[int, list[tuple]],
) -> bytes:
    """One organisation over all its years: one row per year, then a sheet of question scores per year.

    ``indicator_names`` names the indicator columns (the newest year's names);
    ``level_labels`` maps a year to its level codes and labels; ``question_rows`` maps a
    year to (code, text, indicator, score, recommendation).
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "ผลรายปี"
    tool_codes: list[str] = []
    for item in results:
        for tool in item.result.tool_scores if item.result else ():
            if tool not in tool_codes:
                tool_codes.append(tool)
    sheet.append([f"ผลการประเมิน ITA ของ{organisation.place}"])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = ["ปีงบประมาณ"] + [f"ตัวชี้วัดที่ {n} {name}" for n, name in indicator_names.items()]
    headers += [f"{code} ที่ประกาศ" for code in tool_codes] + [f"{code} (คำนวณ)" for code in tool_codes]
    headers += [f"{part_label(part)} ที่ประกาศ" for part in PARTS]
    headers += ["คะแนนรวมที่ประกาศ", "คะแนนรวม (คำนวณ)", "ระดับที่ประกาศ", "ระดับ (คำนวณ)", "ผลการตรวจสอบ"]
    header_row = _write_header(sheet, headers, frozen_columns=1)
    for item in results:
        sheet.append(_organisation_year_row(item, indicator_names, tool_codes, level_labels))
    _finish(
        sheet,
        [12] + [16] * len(indicator_names) + [12] * (2 * len(tool_codes) + len(PARTS) + 4) + [60],
        header_row,
    )
    for year, rows in question_rows.items():
        if not rows:
            continue
        questions = book.create_sheet(f"รายข้อ {year}")
        _write_header(
            questions,
            ["รหัสข้อ", "ข้อคำถาม/รายการ", "ตัวชี้วัด", "คะแนน", "ข้อเสนอแนะของผู้ตรวจประเมิน"],
            frozen_columns=1,
        )
        for row in rows:
            questions.append(list(row))
        _finish(questions, [10, 70, 30, 10, 50])
    return workbook_bytes(book)
