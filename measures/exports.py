"""The plan with its progress as an Excel workbook (openpyxl), Thai headers, one row per measure."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ita_portal.responses import (
    header_cells,
    safe_row,
    streaming_book,
    streaming_bytes,
    style_header,
    workbook_bytes,
)
from ita_portal.thai import thai_date

from .selectors import PlanProgress

HEADERS = [
    "ลำดับ",
    "เครื่องมือ",
    "ตัวชี้วัด",
    "มาตรการ",
    "ขั้นตอนดำเนินการ",
    "ตัวชี้วัด/ค่าเป้าหมาย",
    "งบประมาณ (บาท)",
    "หน่วยงานที่รับผิดชอบ",
    "ผู้รับผิดชอบ (บุคคล)",
    "ระยะเวลา",
    "สถานะ",
    "ความก้าวหน้า (%)",
    "ล่าช้า",
    "รายงานล่าสุด",
    "ผลการดำเนินการ",
    "ข้อเสนอแนะ",
]
WIDTHS = [7, 9, 28, 40, 50, 36, 14, 22, 20, 26, 18, 12, 8, 16, 50, 30]


def plan_progress_workbook(progress: PlanProgress) -> bytes:
    """One sheet with a tool column, so it filters and sorts as users expect."""
    plan = progress.plan
    book = Workbook()
    sheet = book.active
    sheet.title = f"มาตรการ {plan.plan_year}"
    organisation = plan.assessment.organisation
    sheet.append([f"ผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. {plan.plan_year}"])
    sheet.append([organisation.place])
    sheet.append(HEADERS)
    sheet["A1"].font = Font(bold=True, size=14)
    style_header(sheet[3])
    for row in progress.rows:
        m = row.measure
        last = row.last
        sheet.append(
            [
                row.number,
                row.tool_code,
                f"{m.indicator.number}. {m.indicator.name}",
                m.title,
                "\n".join(f"{i}. {step}" for i, step in enumerate(m.step_list, start=1)),
                m.target,
                m.budget,  # a number, formatted below
                m.responsible_unit,
                m.owner_person,
                f"{thai_date(m.planned_start)} – {thai_date(m.planned_end)}",
                m.get_status_display() + (f" ({m.cancel_reason})" if m.cancel_reason else ""),
                m.percent,
                "ล่าช้า" if row.late else "",
                thai_date(last.reported_on) if last else "",
                last.result if last else "",
                last.recommendation if last else "",
            ]
        )
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = width
    for cells in sheet.iter_rows(min_row=4):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells[HEADERS.index("งบประมาณ (บาท)")].number_format = "#,##0.00"
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{sheet.cell(row=3, column=len(HEADERS)).column_letter}{sheet.max_row}"
    return workbook_bytes(book)


OVERVIEW_HEADERS = ["หน่วยงาน", "อำเภอ", "จังหวัด", "สถานะแผน", "มาตรการ", "แล้วเสร็จ", "ล่าช้า", "ความก้าวหน้า (%)"]


def overview_workbook(rows, plan_year: int) -> bytes:
    """Every plan of a year in the user's organisations with completion and lateness (the overview
    page), written in openpyxl's write-only mode: memory stays flat with thousands of plans."""
    book = streaming_book()
    sheet = book.create_sheet(f"มาตรการ {plan_year}")
    for index, width in enumerate([44, 16, 16, 18, 10, 10, 10, 14], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B3"
    title = WriteOnlyCell(
        sheet, value=f"ภาพรวมการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. {plan_year}"
    )
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append(header_cells(sheet, OVERVIEW_HEADERS))
    for row in rows:
        organisation = row.plan.assessment.organisation
        sheet.append(
            safe_row(
                sheet,
                [
                    organisation.name,
                    organisation.district,
                    organisation.province,
                    row.plan.get_status_display(),
                    row.total,
                    row.done,
                    row.late,
                    row.percent,
                ],
            )
        )
    sheet.auto_filter.ref = f"A2:H{max(len(rows) + 2, 3)}"
    return streaming_bytes(book)
