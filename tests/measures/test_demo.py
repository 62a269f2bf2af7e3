"""A first run that cannot hurt: the demo goes only into an empty database, once; load_demo refuses
a database holding anything else, or DEBUG off; the demo is dated from today."""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Organisation
from measures import demo
from measures.choices import PlanStatus
from measures.models import MeasurePlan
from tests.factories import OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
COUNTS = (
    "from django.contrib.auth.models import User; from assessments.models import Organisation;"
    "print(Organisation.objects.count(), User.objects.count())"
)


def manage(db: Path, *args, debug="1", check=False):
    env = {"PATH": os.environ["PATH"], "DEBUG": debug, "DATABASE_URL": f"sqlite:///{db}"}
    if debug == "0":
        env["SECRET_KEY"] = "a-key-for-this-test-only-" * 3
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def shell(db: Path, code: str, debug="1") -> str:
    """What ``code`` prints last, run by ``manage.py shell`` against ``db``."""
    return (
        manage(db, "shell", "--no-imports", "-c", code, debug=debug, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A database with the frameworks and templates and nothing else, made once for the module."""
    db = tmp_path_factory.mktemp("first-run") / "migrated.sqlite3"
    for command in (["migrate", "-v", "0"], ["load_framework"], ["load_measure_templates"]):
        manage(db, *command, check=True)
    return db


@pytest.fixture
def database(migrated, tmp_path):
    copy = tmp_path / "db.sqlite3"
    shutil.copy(migrated, copy)
    return copy


@pytest.mark.slow
def test_load_demo_refuses_a_database_holding_another_organisation_and_writes_nothing(database):
    manage(
        database,
        "shell",
        "-c",
        "from assessments.models import Organisation; Organisation.objects.create("
        "name='เทศบาลตำบลจริง', org_type='sao', district='เมือง', province='ตาก')",
        check=True,
    )
    result = manage(database, "load_demo")
    assert result.returncode == 1
    assert "ฐานข้อมูลนี้มีข้อมูลจริงอยู่แล้ว (หน่วยงาน 1 แห่ง" in result.stderr and "--force" in result.stderr
    assert shell(database, COUNTS).split() == ["1", "0"]
    # The first run's form only says why and goes on.
    once = manage(database, "load_demo", "--once")
    assert once.returncode == 0 and "ฐานข้อมูลนี้มีข้อมูลจริง จึงไม่โหลดข้อมูลตัวอย่าง" in once.stdout
    assert shell(database, COUNTS).split() == ["1", "0"]


@pytest.mark.slow
def test_load_demo_refuses_with_debug_off_unless_forced(database):
    result = manage(database, "load_demo", debug="0")
    assert result.returncode == 1 and "ไม่โหลดข้อมูลตัวอย่างเมื่อปิดโหมดพัฒนา (DEBUG)" in result.stderr
    assert shell(database, COUNTS, debug="0").split() == ["0", "0"]
    assert manage(database, "load_demo", "--force", debug="0").returncode == 0


@pytest.mark.slow
def test_make_runs_set_up_twice_keeps_an_edit(tmp_path):
    """`make demo` is what `make run` sets up before serving: migrations, frameworks, the demo once."""
    db = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def make():
        return subprocess.run(["make", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    first = make()
    assert "ข้อมูลตัวอย่าง: 5 หน่วยงาน, 3 ผู้ใช้" in first.stdout
    rename = (
        "from assessments.models import Organisation;"
        "Organisation.objects.filter(code='DEMO-WANGMEE').update(name='อบต.วังหมี (แก้ไขแล้ว)')"
    )
    shell(db, rename + "; print('ok')")
    second = make()
    assert "ข้อมูลตัวอย่างโหลดไว้แล้ว ไม่โหลดซ้ำ" in second.stdout
    name = "from assessments.models import Organisation; print(Organisation.objects.get(code='DEMO-WANGMEE').name)"
    assert shell(db, name) == "อบต.วังหมี (แก้ไขแล้ว)"


@pytest.mark.django_db
def test_load_demo_in_the_test_database_refuses_other_data(settings):
    settings.DEBUG = True
    OrganisationFactory()
    with pytest.raises(CommandError, match="ฐานข้อมูลนี้มีข้อมูลจริงอยู่แล้ว"):
        call_command("load_demo")
    assert not Organisation.objects.filter(code__startswith="DEMO-").exists()


@pytest.mark.django_db
def test_a_user_made_by_hand_makes_the_database_real(settings):
    settings.DEBUG = True
    UserFactory(username="itofficer")
    assert demo.database_state() == "other"
    call_command("load_demo", "--once", verbosity=0)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (datetime.date(2026, 12, 6), 2569),  # fiscal year 2570: the results of 2569 are out
        (datetime.date(2026, 8, 31), 2568),  # still fiscal year 2569, its results not yet out
        (datetime.date(2026, 9, 15), 2569),  # September: the year's own results are out
        (datetime.date(2031, 3, 1), 2569),  # no framework after 2569 is loaded: the newest one
    ],
)
@pytest.mark.django_db
def test_the_demo_is_dated_from_today(today, latest):
    assert demo.latest_results_year(today) == latest


@pytest.mark.django_db
def test_a_newcomer_sees_a_year_in_progress(settings):
    settings.DEBUG = True
    today = datetime.date(2026, 12, 6)
    call_command("load_demo", "--today", "๖/๑๒/๒๕๖๙", verbosity=0)
    approved = MeasurePlan.objects.get(assessment__organisation__code="DEMO-WANGMEE", plan_year=2570)
    assert approved.status == PlanStatus.APPROVED
    measures = list(approved.measures.all())
    assert measures and not any(m.is_late(today) for m in measures)  # nothing overdue on day one
    assert any(m.planned_end.year == 2027 for m in measures)  # due across the current fiscal year
    assert any(m.updates.exists() for m in measures)  # reported on up to today
    draft = MeasurePlan.objects.get(assessment__organisation__code="DEMO-KHOKMON", plan_year=2570)
    assert draft.status == PlanStatus.DRAFT
    # The reference results keep their own years and numbers.
    khokmon_2568 = Assessment.objects.get(organisation__code="DEMO-KHOKMON", fiscal_year__year=2568)
    assert str(khokmon_2568.published_overall) == "94.74"
