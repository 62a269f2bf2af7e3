"""The OIT register as the workbook an organisation submits from."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ita_portal.responses import style_header, workbook_bytes
from ita_portal.thai import thai_date

HEADERS = [
    "ข้อ",
    "ตัวชี้วัดย่อย",
    "รายการ",
    "สิ่งที่ต้องเผยแพร่",
    "ลิงก์ที่ส่ง",
    "ผู้รับผิดชอบ",
    "สถานะ",
    "ผลการตรวจล่าสุด",
    "ตรวจเมื่อ",
]


def register_workbook(page, *, base_url: str) -> bytes:
    """An organisation's OIT register as the workbook it submits from: one row per item with its
    links (the portal's public link for the documents it publishes here), who is responsible,
    the status and the newest check of each link."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {page.fiscal_year.year}"
    sheet.append([f"ทะเบียน OIT ปี {page.fiscal_year.year} · {page.organisation.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    readiness = page.readiness
    sheet.append(
        [
            f"พร้อม {readiness.ready} · ยังไม่มี {readiness.missing} · ลิงก์ใช้ไม่ได้ {readiness.broken}"
            f" · เอกสารปีเก่า {readiness.outdated} จาก {readiness.items} รายการ"
        ]
    )
    sheet.append([])
    sheet.append(HEADERS)
    style_header(sheet[sheet.max_row])
    header_row = sheet.max_row
    for row in page.rows:
        sheet.append(_item_row(row, base_url))
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHI", (7, 24, 40, 40, 50, 20, 12, 45, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return workbook_bytes(book)


def _item_row(row, base_url: str) -> list:
    """One item of the register: its links (the portal's own first), who, the status, the checks."""
    question = row.question
    links = row.item.url_list
    if row.published and row.portal_url:
        links = [f"{base_url}{row.portal_url}", *links]
    checks = "\n".join(f"{check.get_verdict_display()} {check.reason} ({check.url})" for check in row.checks)
    if row.published:
        checks = "\n".join(filter(None, ["✔ เผยแพร่ผ่าน ITA Portal แล้ว", checks]))
    checked = max((check.checked_at for check in row.checks), default=None)
    sub = question.sub_indicator
    return [
        question.code,
        f"{sub.code} {sub.name}" if sub else "",
        question.text,
        question.requirement,
        "\n".join(links),
        row.item.responsible,
        row.item.get_status_display(),
        checks,
        thai_date(checked.date(), short=True) if checked else "",
    ]
