"""What every app's forms share: the crispy-forms helper that lays a form out, and dates typed
the Thai way."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .thai import BE_OFFSET, BE_YEAR_MAX, BE_YEAR_MIN, THAI_MONTHS, THAI_MONTHS_SHORT, to_arabic_digits

_NUMERIC = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_MONTHS = {name: i for i, name in enumerate(THAI_MONTHS, start=1)} | {
    name: i for i, name in enumerate(THAI_MONTHS_SHORT, start=1)
}


def form_helper(*layout, **options) -> FormHelper:
    """The crispy helper of a portal form: the page writes the <form> tag, the CSRF token and the
    buttons (``templates/includes/form.html`` renders the fields); ``layout`` arranges them (none:
    every field in order). Hidden fields (a record's version) are always rendered."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.render_hidden_fields = True
    if layout:
        helper.layout = Layout(*layout)
    for name, value in options.items():
        setattr(helper, name, value)
    return helper


def columns(*cells) -> Row:
    """A row of fields side by side: ``columns(("number", "col-md-6"), ("date", "col-md-6"))``;
    on a phone every column takes the full width."""
    return Row(*(Column(field, css_class=width) for field, width in cells), css_class="g-2")


def literal(text: str) -> str:
    """Text from the records for a crispy ``HTML`` piece (a template): escaped, and no braces or
    percent signs that the template engine could read as tags."""
    return escape(text).replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;")


def card(title: str, *content, css_id: str | None = None, header_class: str = "") -> Div:
    """A titled card around part of a long form."""
    heading = HTML(f'<div class="card-header {header_class}"><h2 class="h6 mb-0">{literal(title)}</h2></div>')
    return Div(heading, Div(*content, css_class="card-body"), css_class="card shadow-sm mb-3", css_id=css_id)


EMPTY_CHOICE = "— เลือก —"
DJANGO_EMPTY_CHOICE = "---------"


# A save without the version of the record the form showed cannot be checked for someone else's
# save in between: it is refused like a stale one (an old cached page, a script, a crafted post).
VERSION_MISSING = (
    "แบบฟอร์มนี้ไม่ได้ระบุว่าท่านแก้ไขจากข้อมูลฉบับใด ระบบจึงยังไม่บันทึก เพื่อไม่ให้ทับสิ่งที่ผู้อื่นบันทึกไว้ "
    "ข้อมูลที่ท่านกรอกยังอยู่ในแบบฟอร์ม กรุณาเปิดหน้านี้ใหม่แล้วบันทึกอีกครั้ง"
)


class PortalForm:
    """What every form of the portal does to its fields (mix in before ``forms.Form``):

    - a text field with a length limit carries ``data-max-chars`` (``static/js/portal.js`` shows
      "120/255 ตัวอักษร" under it, red past the limit) instead of the browser's ``maxlength``,
      which silently cut a pasted 564-character title at 255, mid-word; the server then refuses
      a text too long with a Thai message, keeping what was typed;
    - a choice without a value reads "— เลือก —", not Django's "---------";
    - a form with a ``version`` field (it edits a shared record) is refused, in Thai and above the
      fields, when the post does not carry a version (``version_required`` False for a form that
      creates a record nobody else can have saved).
    """

    version_required = True

    def clean(self):
        data = super().clean()
        if "version" in self.fields and self.version_required:
            raw = self.data.get(self.add_prefix("version"), "")
            if "version" in self._errors or not str(raw).strip():
                self._errors.pop("version", None)
                raise forms.ValidationError(VERSION_MISSING, code="version_missing")
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = field.widget.attrs.pop("maxlength", None)
            if limit and not field.widget.is_hidden:
                field.widget.attrs["data-max-chars"] = limit
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == DJANGO_EMPTY_CHOICE:
                    field.empty_label = EMPTY_CHOICE
            elif isinstance(field, forms.ChoiceField):
                field.choices = [
                    (value, EMPTY_CHOICE if label == DJANGO_EMPTY_CHOICE else label)
                    for value, label in field.choices
                ]


class LoginForm(AuthenticationForm):
    """Django's login form, laid out like every other form of the portal; after a wrong password
    it says how many tries are left before django-axes locks the account out for a while."""

    helper = form_helper()

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as refused:
            left = self.tries_left()
            if left is not None and 0 < left <= 2:
                minutes = round(settings.AXES_COOLOFF_TIME * 60)
                raise forms.ValidationError(
                    [
                        *refused.error_list,
                        forms.ValidationError(
                            f"เหลืออีก {left} ครั้ง หากรหัสผ่านผิดอีก {left} ครั้ง "
                            f"ระบบจะระงับการเข้าสู่ระบบของชื่อผู้ใช้นี้ชั่วคราว {minutes} นาที",
                            code="tries_left",
                        ),
                    ]
                ) from None
            raise

    def tries_left(self) -> int | None:
        """Wrong passwords this username may still give from this address before the lockout."""
        if self.request is None:
            return None
        from axes.handlers.proxy import AxesProxyHandler

        failures = AxesProxyHandler.get_failures(
            self.request, {"username": self.cleaned_data.get("username")}
        )
        return settings.AXES_FAILURE_LIMIT - failures


class NewAssessmentForm(forms.Form):
    """Home: the fiscal year of a new assessment of one organisation (a GET to its score form)."""

    year = forms.TypedChoiceField(label=_("ปีงบประมาณ"), coerce=int)

    def __init__(self, *args, organisation, years, **kwargs):
        super().__init__(*args, auto_id=f"id_%s_{organisation.pk}", **kwargs)
        self.fields["year"].choices = [(fy.year, f"ปีงบประมาณ {fy.year}") for fy in years]
        self.fields["year"].widget.attrs["class"] = "form-select-sm"
        self.helper = form_helper(label_class="visually-hidden")  # the button says what it is for


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


class BahtField(forms.DecimalField):
    """An amount of baht as people type it: Thai or Arabic digits, thousands separated by commas
    or spaces, "บาท" after it ("๕๐,๐๐๐ บาท" is 50000); shown back with its commas."""

    default_error_messages = {
        "invalid": _("กรุณากรอกจำนวนเงินเป็นตัวเลข เช่น 50,000 หรือ 12,500.50"),
        "min_value": _("จำนวนเงินต้องไม่ติดลบ"),
        "max_decimal_places": _("สตางค์ได้ไม่เกิน 2 หลัก"),
        "max_digits": _("จำนวนเงินมากเกินไป"),
        "max_whole_digits": _("จำนวนเงินมากเกินไป"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic_digits(value).replace("บาท", "").replace(",", "").replace(" ", "").strip()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.2f}".removesuffix(".00")
        return value
