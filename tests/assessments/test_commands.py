"""The ita_score command."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def ita_score(*args) -> dict:
    out = StringIO()
    call_command("ita_score", *args, stdout=out)
    return json.loads(out.getvalue())


def test_ita_score_prints_the_result_as_json():
    result = ita_score("--year", "2568", "--indicators", "100,100,99.75,100,100,99,97.33,98.67,91.25,85")
    assert {k: result[k] for k in ("iit", "eit", "oit", "overall", "level")} == {
        "iit": "99.95",
        "eit": "98.33",
        "oit": "88.13",
        "overall": "94.74",
        "level": "ผ่านดี",
    }
    assert "findings" not in result


def test_ita_score_flags_document_004():
    result = ita_score(
        "--year",
        "2564",
        "--indicators",
        "93.66,90.53,91.59,90.77,93.23,93.14,94.12,90.76,92.42,75.00",
        "--published-overall",
        "95",
        "--published-level",
        "AA",
    )
    assert (result["overall"], result["level"], result["consistent"]) == ("88.87", "A", False)
    assert [f["field"] for f in result["findings"]] == ["overall", "level"]


def test_ita_score_accepts_thai_digits_and_matching_published_numbers():
    result = ita_score(
        "--year",
        "2567",
        "--indicators",
        "๙๗.๗๘,๑๐๐,๑๐๐,๑๐๐,๑๐๐,๙๙.๑๓,๙๙.๑๐,๙๗.๐๕,๑๐๐,๑๐๐",
        "--published-overall",
        "99.40",
        "--published-level",
        "ผ่านดีเยี่ยม",
    )
    assert (result["overall"], result["consistent"], result["findings"]) == ("99.39", True, [])


@pytest.mark.parametrize(
    "args,message",
    [
        (["--year", "2568", "--indicators", "100,100"], "มี 10 ตัวชี้วัด แต่ได้รับคะแนน 2 ค่า"),
        (["--year", "2568", "--indicators", "100,100,abc,100,100,99,97.33,98.67,91.25,85"], "ตัวชี้วัดที่ 3"),
        (["--year", "2568", "--indicators", "100,100,101,100,100,99,97.33,98.67,91.25,85"], "0 ถึง 100"),
        (["--year", "2500", "--indicators", "1,2,3"], "ไม่มีกรอบการประเมินของปี 2500"),
        (
            [
                "--year",
                "2568",
                "--indicators",
                "100,100,99.75,100,100,99,97.33,98.67,91.25,85",
                "--published-overall",
                "x",
            ],
            "--published-overall",
        ),
    ],
)
def test_ita_score_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ita_score", *args)


def test_ita_score_exits_non_zero_on_a_bad_argument():
    proc = subprocess.run(
        [sys.executable, "manage.py", "ita_score", "--indicators", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1"},
    )
    assert proc.returncode != 0
    assert "--year" in proc.stderr
