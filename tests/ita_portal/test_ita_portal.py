"""Shared helpers (Thai digits and dates, template filters) and settings from the environment."""

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template

from ita_portal import thai

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_thai_digits_both_ways():
    assert thai.to_thai_digits("94.74") == "๙๔.๗๔"
    assert thai.to_arabic_digits("๙๔.๗๔ คะแนน") == "94.74 คะแนน"


def test_fiscal_year_bounds_and_membership():
    assert thai.fiscal_year_bounds(2568) == (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))
    assert thai.fiscal_year_of(datetime.date(2024, 10, 1)) == 2568
    assert thai.fiscal_year_of(datetime.date(2024, 9, 30)) == 2567


def test_thai_date():
    day = datetime.date(2020, 3, 30)
    assert thai.thai_date(day) == "30 มีนาคม 2563"
    assert thai.thai_date(day, short=True) == "30 มี.ค. 2563"
    assert thai.thai_date(day, thai_digits=True) == "๓๐ มีนาคม ๒๕๖๓"


def test_template_filters():
    moment = datetime.datetime(2025, 9, 30, 18, 5, tzinfo=datetime.UTC)
    html = Template(
        "{% load thai %}{{ a|score }}|{{ b|score }}|{{ a|score|thai_digits }}|{{ m|thai_date:'time' }}"
    ).render(Context({"a": Decimal("88.125"), "b": None, "m": moment}))
    # 18:05 UTC is 01:05 on 1 October in Bangkok.
    assert html == "88.13|–|๘๘.๑๓|1 ต.ค. 2568 01:05 น."
    assert settings.TIME_ZONE == "Asia/Bangkok" and ZoneInfo(settings.TIME_ZONE)


def _bare_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    return {**env, **extra}


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=_bare_env(**env), capture_output=True, text=True
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    proc = _manage("check", DEBUG="0")
    assert proc.returncode != 0
    assert "SECRET_KEY is not set" in proc.stderr
    assert "Traceback" not in proc.stderr  # one clear line, not Django's cascade


def test_the_served_portal_refuses_to_start_without_secret_key():
    proc = subprocess.run(
        [sys.executable, "-c", "import ita_portal.wsgi"],
        cwd=ROOT,
        env=_bare_env(),
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "SECRET_KEY is not set" in proc.stderr


def test_manage_py_on_an_unconfigured_machine_is_a_development_tool():
    proc = _manage("makemigrations", "--check", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "No changes detected" in proc.stdout


def test_manage_py_with_a_secret_key_keeps_debug_off():
    proc = _manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="k" * 50,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_settings_from_the_environment():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS, s.DEBUG)"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings",
        "SECRET_KEY": "x" * 50,
        "DEBUG": "0",
        "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/ita",
        "ALLOWED_HOSTS": "ita.example.go.th, www.example.go.th",
    }
    proc = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.split() == [
        "django.db.backends.postgresql",
        "['ita.example.go.th',",
        "'www.example.go.th']",
        "False",
    ]


def test_language_is_thai():
    assert settings.LANGUAGE_CODE == "th"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/10/2568", datetime.date(2025, 10, 15)),
        ("๑๕/๑๐/๒๕๖๘", datetime.date(2025, 10, 15)),
        ("30 มีนาคม 2563", datetime.date(2020, 3, 30)),
        ("30 มี.ค. 2563", datetime.date(2020, 3, 30)),
        ("2025-10-15", datetime.date(2025, 10, 15)),  # ISO, as browsers send it: Christian era
    ],
)
def test_thai_dates_are_read(text, expected):
    from ita_portal.forms import parse_thai_date

    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(
    "text", ["15/10/2025", "1/1/1", "1/1/2399", "1/1/9999", "1 มกราคม 25680", "0999-01-01"]
)
def test_a_typed_year_outside_the_buddhist_era_is_refused_in_thai(text):
    from django import forms as django_forms

    from ita_portal.forms import NotBuddhistEra, ThaiDateField, parse_thai_date

    with pytest.raises(ValueError):
        parse_thai_date(text)
    if text.count("/") == 2 and len(text.rsplit("/", 1)[1]) == 4:
        with pytest.raises(NotBuddhistEra):
            parse_thai_date(text)
        with pytest.raises(django_forms.ValidationError, match="พุทธศักราช"):
            ThaiDateField().clean(text)


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        ("42", 0, 100, 42),
        ("๔๒", 0, 100, 42),
        ("²", 0, 100, None),
        ("①", 0, 100, None),
        ("101", 0, 100, None),
        ("-1", 0, 100, None),
        ("4 2", 0, 100, None),
        ("", 0, 100, None),
        ("9" * 40, 0, 10**50, None),
    ],
)
def test_numbers_from_people_and_urls(text, low, high, expected):
    from ita_portal.thai import parse_int

    assert parse_int(text, low=low, high=high) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("2568", 2568), ("๒๕๖๘", 2568), ("²", None), ("544", None), ("10543", None)]
)
def test_year_parameters(text, expected):
    from ita_portal.thai import parse_be_year

    assert parse_be_year(text) == expected


@pytest.mark.parametrize("text", ["31/13/2568", "30 มีนาค 2563", "พรุ่งนี้", "1/2/3"])
def test_bad_thai_dates_are_refused(text):
    from ita_portal.forms import parse_thai_date

    with pytest.raises(ValueError):
        parse_thai_date(text)


def test_a_thai_date_field_shows_its_value_in_the_buddhist_era():
    from django import forms

    from ita_portal.forms import ThaiDateField

    class DateForm(forms.Form):
        day = ThaiDateField()

    html = str(DateForm(initial={"day": datetime.date(2026, 11, 21)})["day"])
    assert 'value="21/11/2569"' in html
    form = DateForm({"day": "21/11/2569"})
    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 11, 21)
