"""What the texts of a measure and of a template may hold: placeholders, optional segments, codes,
and how a period of quarters reads."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import quarter_months

from .generation import placeholders

# What a template's title, analysis and steps may contain in braces, filled at generation.
PLACEHOLDERS = {
    "organisation": _("ชื่อหน่วยงาน"),
    "year": _("ปีงบประมาณที่ประเมิน"),
    "plan_year": _("ปีงบประมาณของแผน"),
    "indicator_number": _("หมายเลขตัวชี้วัด"),
    "indicator_name": _("ชื่อตัวชี้วัด"),
    "indicator_score": _("คะแนนตัวชี้วัด"),
    "tool": _("เครื่องมือ (IIT/EIT/OIT)"),
    "target": _("ค่าเป้าหมายของปี"),
    "question_code": _("รหัสข้อ (ของปีที่ประเมิน)"),
    "item": _("ข้อนั้นตามรหัสของปีแผน เช่น “ข้อ O24 (ปี 2569)”"),
    "question_text": _("ข้อคำถาม/รายการ"),
    "question_score": _("คะแนนของข้อ"),
    "weak_questions": _("ข้อที่ควรพัฒนาพร้อมคะแนน"),
    "strong_questions": _("ข้อที่ได้คะแนนเต็ม"),
}


def period_label(start: int, end: int) -> str:
    """ "ตลอดปีงบประมาณ (ตุลาคม – กันยายน)", "ไตรมาส 2" or "ไตรมาส 1 – 2 (ตุลาคม – มีนาคม)"."""
    months = f"({quarter_months(start)[0]} – {quarter_months(end)[1]})"
    if (start, end) == (1, 4):
        return f"ตลอดปีงบประมาณ {months}"
    quarters = f"ไตรมาส {start}" if start == end else f"ไตรมาส {start} – {end}"
    return f"{quarters} {months}"


def split_codes(text: str) -> list[str]:
    """ "o8, o10 o12" → ["o8", "o10", "o12"] (commas, spaces or both)."""
    return [code for code in text.replace(",", " ").split() if code]


def check_optional_segments(text: str) -> None:
    """Refuse "[[" and "]]" that do not pair up, or segments inside segments."""
    depth = 0
    for mark in re.findall(r"\[\[|\]\]", text):
        depth += 1 if mark == "[[" else -1
        if depth not in (0, 1):
            raise ValidationError(_("เครื่องหมาย [[ ]] ของข้อความที่พิมพ์เมื่อมีข้อมูลไม่ครบคู่หรือซ้อนกัน"))
    if depth:
        raise ValidationError(_("เครื่องหมาย [[ ]] ของข้อความที่พิมพ์เมื่อมีข้อมูลไม่ครบคู่หรือซ้อนกัน"))


def placeholders_in(text: str) -> set[str]:
    try:
        return placeholders(text)
    except ValueError as exc:
        raise ValidationError(_("วงเล็บปีกกาในข้อความไม่ครบคู่: %(error)s"), params={"error": exc}) from None
