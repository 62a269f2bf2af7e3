"""Thai digits and Buddhist-era dates.

Pure Python (no Django import), so scoring and the command-line tools can use it.
"""

from __future__ import annotations

import datetime

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits (๐–๙) with 0–9, leaving everything else as it is."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: object) -> str:
    """Replace 0–9 with Thai digits (๐–๙) in the string form of ``text``."""
    return str(text).translate(_TO_THAI)


# The Buddhist-era years the portal knows about: far wider than any framework, narrow enough
# that a Christian-era year (2025) or a typo (25680) is refused rather than stored.
BE_YEAR_MIN = 2400
BE_YEAR_MAX = 2700


def parse_int(value: object, *, low: int, high: int) -> int | None:
    """A whole number typed by a person or found in a URL (Thai digits welcome), or None when it is
    not one or falls outside ``low``–``high``. Only 0–9 count: "²" or "①" are not digits here."""
    text = to_arabic_digits(str(value)).strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 9:
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_be_year(value: object) -> int | None:
    """A Buddhist-era year from a URL parameter or a form ("2568", "๒๕๖๘"); None if it is not one."""
    return parse_int(value, low=BE_YEAR_MIN, high=BE_YEAR_MAX)


def be_year(year: int) -> int:
    """Christian-era year → Buddhist-era year."""
    return year + BE_OFFSET


def ce_year(year_be: int) -> int:
    """Buddhist-era year → Christian-era year."""
    return year_be - BE_OFFSET


def fiscal_year_bounds(year_be: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a Thai fiscal year: 1 October of the year before to 30 September."""
    year_ce = ce_year(year_be)
    return datetime.date(year_ce - 1, 10, 1), datetime.date(year_ce, 9, 30)


def fiscal_year_of(day: datetime.date) -> int:
    """The Buddhist-era fiscal year a date falls in (October starts the next one)."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def thai_date(day: datetime.date, *, short: bool = False, thai_digits: bool = False) -> str:
    """A date as Thai text with a Buddhist-era year: "30 มีนาคม 2563" (or "30 มี.ค. 2563")."""
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    text = f"{day.day} {months[day.month - 1]} {be_year(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def quarter_bounds(year_be: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of quarter 1–4 of a fiscal year (quarter 1 is October – December)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    start, _ = fiscal_year_bounds(year_be)
    month = start.month + 3 * (quarter - 1)
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    first = datetime.date(year, month, 1)
    next_month = month + 3
    last = datetime.date(year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )
    return first, last


def quarter_months(quarter: int, *, short: bool = False) -> tuple[str, str]:
    """The first and last month of fiscal quarter 1–4 by name: (ตุลาคม, ธันวาคม) for quarter 1."""
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    first = (9 + 3 * (quarter - 1)) % 12  # October is month 10, index 9
    return months[first], months[(first + 2) % 12]


def quarter_of(day: datetime.date) -> int:
    """The fiscal quarter (1–4) a date falls in."""
    return (day.month - 10) % 12 // 3 + 1
