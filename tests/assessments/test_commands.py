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


KHOKMON = "100,100,99.75,100,100,99,97.33,98.67,91.25,85"


def test_ita_score_applies_the_floors_to_the_eit_parts():
    result = ita_score("--year", "2568", "--indicators", KHOKMON, "--eit-parts", "๙๙.๕๐,๘๐")
    assert (result["eit"], result["eit_parts"]) == ("98.33", ["99.50", "80.00"])
    assert (result["level"], result["level_provisional"]) == ("ผ่าน", False)
    targets = {t["label"]: t["met"] for t in result["targets"]}
    assert targets["คะแนน EIT ส่วนที่ 2"] is False and "คะแนน EIT" not in targets


def test_ita_score_without_parts_says_the_level_is_provisional():
    result = ita_score("--year", "2568", "--indicators", KHOKMON)
    assert (result["level"], result["eit_parts"], result["level_provisional"]) == ("ผ่านดี", None, True)
    # Before 2567 the EIT has no parts, so nothing is provisional.
    old = ita_score("--year", "2565", "--indicators", KHOKMON)
    assert (old["eit_parts"], old["level_provisional"]) == (None, False)


def test_ita_score_flags_a_published_level_the_parts_contradict():
    result = ita_score(
        "--year", "2568", "--indicators", KHOKMON, "--eit-parts", "99,80", "--published-level", "ผ่านดี"
    )
    assert result["consistent"] is False
    assert [f["field"] for f in result["findings"]] == ["level"]


@pytest.mark.parametrize(
    "parts,message",
    [
        ("99", "ต้องมีคะแนน 2 ค่า"),
        ("99,98,97", "ได้รับ 3 ค่า"),
        ("99,101", "ส่วนที่ 2 .*0 ถึง 100"),
        ("abc,99", "ส่วนที่ 1 .*ตัวเลข"),
        ("99,", "ส่วนที่ 2 .*กรุณากรอกคะแนน"),
    ],
)
def test_ita_score_bad_eit_parts(parts, message):
    with pytest.raises(CommandError, match=message):
        call_command("ita_score", "--year", "2568", "--indicators", KHOKMON, "--eit-parts", parts)


def test_ita_score_refuses_parts_in_a_year_without_them():
    with pytest.raises(CommandError, match="ปี 2566 EIT ไม่ได้แยกคะแนนเป็นสองส่วน"):
        call_command("ita_score", "--year", "2566", "--indicators", KHOKMON, "--eit-parts", "99,99")


@pytest.mark.slow  # a database migrated in a subprocess
def test_ita_score_bad_eit_parts_exit_1_with_a_thai_message(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, env=env
        )

    assert manage("migrate", "-v", "0").returncode == 0
    assert manage("load_framework", "2568").returncode == 0
    proc = manage("ita_score", "--year", "2568", "--indicators", KHOKMON, "--eit-parts", "101")
    assert proc.returncode == 1
    assert "ต้องมีคะแนน 2 ค่า" in proc.stderr
    assert "Traceback" not in proc.stderr
