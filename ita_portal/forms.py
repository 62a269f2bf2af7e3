"""Form fields every app shares: dates typed the Thai way."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .thai import BE_OFFSET, BE_YEAR_MAX, BE_YEAR_MIN, THAI_MONTHS, THAI_MONTHS_SHORT, to_arabic_digits

_NUMERIC = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_MONTHS = {name: i for i, name in enumerate(THAI_MONTHS, start=1)} | {
    name: i for i, name in enumerate(THAI_MONTHS_SHORT, start=1)
}


class NotBuddhistEra(ValueError):
    """A date typed with a year that is not a Buddhist-era year the portal accepts."""


def parse_thai_date(text: str) -> datetime.date:
    """Read "30/3/2568", "๓๐/๓/๒๕๖๘", "30 มีนาคม 2568", "30 มี.ค. 2568" or ISO "2025-03-30".

    Typed dates are Buddhist era: a year outside 2400–2700 (1/1/2025 is a Christian-era
    year) raises ``NotBuddhistEra``; the ISO form (what browsers and programs send) is
    Christian era. Raises ValueError for anything else.
    """
    text = to_arabic_digits(text).strip()
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        parts = text.split()
        if len(parts) != 3 or parts[1] not in _MONTHS or not (parts[0].isdecimal() and parts[2].isdecimal()):
            raise ValueError(text)
        day, month, year = int(parts[0]), _MONTHS[parts[1]], int(parts[2])
    if not _ISO.match(text):
        if not BE_YEAR_MIN <= year <= BE_YEAR_MAX:
            raise NotBuddhistEra(text)
        year -= BE_OFFSET
    elif not BE_YEAR_MIN - BE_OFFSET <= year <= BE_YEAR_MAX - BE_OFFSET:
        raise NotBuddhistEra(text)
    return datetime.date(year, month, day)


class ThaiDateInput(forms.TextInput):
    """Shows a date as วัน/เดือน/ปี พ.ศ. ("15/10/2568"), the way it is typed back."""

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day}/{value.month}/{value.year + BE_OFFSET}"
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed as วัน/เดือน/ปี พ.ศ. (Thai digits welcome), shown the same way."""

    widget = ThaiDateInput

    default_error_messages = {
        "invalid": _("กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 30/3/2568"),
        "not_be": _("ปีต้องเป็นพุทธศักราช (พ.ศ.) เช่น 30/3/2568 ไม่ใช่ คริสต์ศักราช (ค.ศ.)"),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_thai_date(str(value))
        except NotBuddhistEra:
            raise forms.ValidationError(self.error_messages["not_be"], code="not_be") from None
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
