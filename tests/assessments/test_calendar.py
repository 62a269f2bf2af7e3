"""NACC's calendar: loaded with the framework, estimated for a year not known yet, shown where the
year stands on home and the plan, and a warning for a measure answering an OIT item too late."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import calendar
from assessments.choices import Role
from assessments.models import AssessmentWindow
from assessments.selectors import calendar_of, year_standing
from assessments.services import framework_load
from tests.factories import member, plan_with_measures

pytestmark = pytest.mark.django_db
FRAMEWORKS = Path(__file__).resolve().parents[2] / "fixtures/frameworks"


def today_is(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)


def test_the_calendar_is_loaded_with_its_sources_and_what_is_unconfirmed():
    oit_2567 = AssessmentWindow.objects.get(fiscal_year__year=2567, kind="oit")
    assert (oit_2567.starts, oit_2567.ends) == (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    assert not oit_2567.unconfirmed and oit_2567.source_note  # the news of 2567's assessment
    results_2568 = AssessmentWindow.objects.get(fiscal_year__year=2568, kind="results")
    assert results_2568.starts == datetime.date(2025, 8, 18) and not results_2568.unconfirmed
    assert AssessmentWindow.objects.get(fiscal_year__year=2569, kind="oit").unconfirmed


def test_a_bad_calendar_is_refused_at_load_and_nothing_is_written():
    data = json.loads((FRAMEWORKS / "2568.json").read_text("utf-8"))
    data["calendar"][0].update(starts="2025-06-30", ends="2025-01-01")
    data["calendar"].append({"kind": "lunch", "starts": "2025-01-01", "ends": "1 ม.ค."})
    with pytest.raises(ValidationError) as refused:
        framework_load(data=data)
    assert "ปี 2568: ปฏิทิน iit: วันสิ้นสุดก่อนวันเริ่ม" in refused.value.messages
    assert any("ปฏิทิน lunch: ไม่รู้จักช่วงนี้" in m for m in refused.value.messages)
    assert AssessmentWindow.objects.get(fiscal_year__year=2568, kind="iit").starts == datetime.date(
        2025, 1, 1
    )


def test_a_year_not_known_yet_repeats_the_latest_years_days_as_an_estimate():
    windows = calendar_of(2570)
    oit = next(w for w in windows if w.kind == calendar.OIT)
    assert (oit.starts, oit.ends) == (datetime.date(2027, 1, 1), datetime.date(2027, 6, 30))
    assert oit.estimated_from == 2569 and oit.unconfirmed
    assert [w.kind for w in windows] == ["iit", "eit", "oit", "results"]


def test_where_a_day_stands_in_a_window():
    oit = calendar.Window(
        "oit", "ช่วงเผยแพร่และตรวจ OIT", datetime.date(2027, 1, 1), datetime.date(2027, 6, 30)
    )
    assert calendar.standing(oit, datetime.date(2026, 12, 6)) == "เริ่มอีก 26 วัน (1 ม.ค. 2570)"
    assert calendar.standing(oit, datetime.date(2027, 6, 6)) == "เหลืออีก 24 วัน (ถึง 30 มิ.ย. 2570)"
    assert calendar.standing(oit, datetime.date(2027, 6, 30)) == "วันสุดท้าย"
    assert calendar.standing(oit, datetime.date(2027, 7, 1)).startswith("สิ้นสุดแล้ว")
    standing = year_standing(2570, datetime.date(2026, 12, 6))
    assert [w.kind for w, _ in standing.windows] == ["iit", "eit", "oit"]  # all starting next
    assert year_standing(2570, datetime.date(2027, 9, 1)) is None  # the year's windows are over


def test_home_and_the_plan_say_where_the_year_stands(client, monkeypatch):
    plan, wg = plan_with_measures()  # a 2569 plan
    client.force_login(wg)
    today_is(monkeypatch, datetime.date(2026, 6, 6))
    home = client.get(reverse("home")).content.decode()
    assert "ปฏิทิน ITA ปี 2569" in home and "เหลืออีก 24 วัน (ถึง 30 มิ.ย. 2569)" in home
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    assert "ช่วงเผยแพร่และตรวจ OIT</strong>: เหลืออีก 24 วัน" in page
    today_is(monkeypatch, datetime.date(2026, 12, 6))
    home = client.get(reverse("home")).content.decode()
    assert "ปฏิทิน ITA ปี 2570" in home and "เริ่มอีก 26 วัน" in home and "ประมาณจากปฏิทินปี 2569" in home


def test_a_measure_answering_an_oit_item_after_it_is_checked_is_warned_not_refused(client):
    plan, wg = plan_with_measures(status="draft")
    client.force_login(wg)
    measure = plan.measures.get(indicator__number=10)
    measure.question_codes, measure.period_start, measure.period_end = "o26", 3, 4
    measure.save()
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    assert page.count("oit-schedule") == 1
    assert "ตอบข้อ OIT O24 (ปี 2569) แต่สิ้นสุด 30 ก.ย. 2569 หลังวันสุดท้ายที่ตรวจ OIT ของปี 2569 (30 มิ.ย. 2569)" in page
    response = client.post(
        reverse("measures:plan-transition", args=[plan.pk, "submit"]), {"comment": ""}, follow=True
    )
    plan.refresh_from_db()
    assert plan.status == "submitted"  # a warning, not a blocker
    assert "หลังวันสุดท้ายที่ตรวจ OIT" in response.content.decode()


def test_saving_a_measure_that_ends_too_late_warns(client):
    plan, wg = plan_with_measures(status="draft")
    member(plan.organisation, Role.STAFF)
    client.force_login(wg)
    measure = plan.measures.get(indicator__number=10)
    url = reverse("measures:measure-update", args=[measure.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(question_codes="o26", period_start=3, period_end=4, version=measure.version)
    response = client.post(url, data, follow=True)
    assert "หลังวันสุดท้ายที่ตรวจ OIT ของปี 2569" in response.content.decode()
