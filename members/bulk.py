"""Inviting many people from an Excel or CSV sheet (name, e-mail, role): the sheet is read with the
score import's bounded reader, every row checked, and written all or nothing after a preview."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from assessments.choices import Role
from assessments.importing.spreadsheets import Sheet
from assessments.models import Membership, Organisation

from .models import Invitation

MAX_ROWS = 1000
HEADERS = {
    "name": ("ชื่อ", "ชื่อ-นามสกุล", "ชื่อ นามสกุล", "name"),
    "email": ("อีเมล", "อีเมล์", "email", "e-mail"),
    "role": ("บทบาท", "role"),
}
ROLES = {**{label: code for code, label in Role.choices}, **{code: code for code in Role.values}}
ROLE_WORDS = {"เจ้าหน้าที่": Role.STAFF, "คณะทำงาน": Role.WORKING_GROUP, "ผู้ดูแล": Role.ADMINISTRATOR}


def _role(text: str) -> str | None:
    text = (text or "").strip()
    return ROLES.get(text) or ROLES.get(text.lower()) or ROLE_WORDS.get(text)


def _columns(header: list[str | None]) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(header):
        word = (cell or "").strip().lower()
        for name, words in HEADERS.items():
            if word in words:
                found.setdefault(name, index)
    return found


def check_sheet(sheet: Sheet, organisation: Organisation) -> tuple[list[dict], list[str]]:
    """(rows to invite, Thai errors by row): any error means nothing is written."""
    if not sheet.rows:
        return [], ["ไฟล์ไม่มีข้อมูล"]
    header_number, header = sheet.rows[0]
    columns = _columns(header)
    missing = [HEADERS[name][0] for name in ("email", "role") if name not in columns]
    if missing:
        return [], [f"แถวที่ {header_number}: ไม่พบหัวคอลัมน์ {', '.join(missing)} (หัวตารางต้องมี ชื่อ อีเมล บทบาท)"]
    members = {
        e.lower()
        for e in Membership.objects.filter(organisation=organisation).values_list("user__email", flat=True)
        if e
    }
    invited = set(Invitation.objects.open().filter(organisation=organisation).values_list("email", flat=True))
    rows, errors, seen = [], [], {}
    for number, cells in sheet.rows[1:]:
        email, role_text = _cell(cells, columns, "email").lower(), _cell(cells, columns, "role")
        problems = _problems(email, role_text, seen.get(email), members, invited)
        seen.setdefault(email, number)
        if problems:
            errors.append(f"แถวที่ {number}: {' · '.join(problems)}")
        else:
            name = _cell(cells, columns, "name")[:150]
            rows.append({"row": number, "name": name, "email": email, "role": _role(role_text)})
    if not rows and not errors:
        errors.append("ไฟล์ไม่มีรายชื่อใต้หัวตาราง")
    return rows, errors


def _cell(cells: list[str | None], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return (cells[index] or "").strip() if index is not None and index < len(cells) else ""


def _problems(email: str, role_text: str, same_as: int | None, members: set, invited: set) -> list[str]:
    problems = []
    try:
        validate_email(email)
    except ValidationError:
        problems.append(f"อีเมล “{email}” ไม่ถูกต้อง" if email else "ไม่มีอีเมล")
    if _role(role_text) is None:
        problems.append(f"บทบาท “{role_text}” ไม่ใช่ เจ้าหน้าที่ คณะทำงาน ITA หรือ ผู้ดูแล/ผู้เผยแพร่")
    if same_as is not None:
        problems.append(f"อีเมลซ้ำกับแถวที่ {same_as}")
    elif email in members:
        problems.append(f"{email} เป็นสมาชิกอยู่แล้ว")
    elif email in invited:
        problems.append(f"มีคำเชิญถึง {email} ที่ยังไม่ตอบรับอยู่แล้ว")
    return problems
