"""Template filters that only format values: scores, Thai digits, Buddhist-era dates."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from ita_portal import thai
from ita_portal.numbers import format_score
from ita_portal.stale import person_name

register = template.Library()


@register.filter
def score(value):
    """A score with two decimals ("85.00"), or a dash when there is none."""
    if value is None or value == "":
        return "–"
    return format_score(Decimal(value))


@register.filter
def count(value):
    """A whole number with thousands separators (8300 → 8,300), as the pages print counts."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def baht(value):
    """An amount of baht as the documents print it: "50,000 บาท", "12,500.50 บาท"."""
    if value is None or value == "":
        return ""
    amount = f"{Decimal(value):,.2f}".removesuffix(".00")
    return f"{amount} บาท"


@register.filter
def thai_digits(value):
    """Write 0–9 as ๐–๙."""
    return thai.to_thai_digits(value)


@register.filter
def thai_date(value, style=""):
    """A date (or datetime, in local time) with a Thai month and a Buddhist-era year.

    ``"short"`` gives "30 มี.ค. 2563"; ``"time"`` adds the time of day.
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = thai.thai_date(local.date(), short=style in ("short", "time"))
        return f"{text} {local:%H:%M} น." if style == "time" else text
    return thai.thai_date(value, short=style == "short")


@register.filter
def person(user, nobody="ระบบ"):
    """A user's full name, else the username; ``nobody`` for changes made without a user (imports)."""
    return person_name(user, nobody)


@register.filter
def weight_percent(value):
    """A tool's weight as a percentage: Decimal("0.30") → "30"."""
    if value is None or value == "":
        return ""
    return format(Decimal(value) * 100, "f").rstrip("0").rstrip(".")


@register.filter
def cell(value, kind):
    """A dashboard table's cell as the page prints it (``insights.tables.Column.kind``):
    counts with separators, scores with two decimals, changes signed, shares as per cent."""
    if value is None or value == "":
        return "–"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "score":
        return f"{float(value):.2f}"
    if kind == "change":
        return f"{float(value):+.2f}"
    if kind == "percent":
        return f"{100 * float(value):.1f}%"
    return value
