"""The overseers' pages are computed once per change and kept (insights.kept), never served stale:
a score import, a saved organisation, a plan's measure and a framework change each show at the next
view; a repeat view computes nothing; one table's .xlsx reads the page's entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import importing
from assessments.importing.spreadsheets import read_sheet
from assessments.models import FiscalYear, Indicator, Organisation
from assessments.services import score_import_commit, score_import_stage
from insights import dashboard
from measures.choices import MeasureStatus, PlanStatus
from measures.models import Measure
from measures.services import plan_counters_refresh
from tests.assessments.importing import HEADER, xlsx
from tests.factories import (
    KHOKMON_2568,
    AssessmentFactory,
    MeasureFactory,
    MeasurePlanFactory,
    OrganisationFactory,
    member,
    overseer,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("insights:dashboard") + "?year=2568"


@pytest.fixture
def world():
    """Two organisations with 2567 and 2568 results, and a national overseer."""
    year_2567 = FiscalYear.objects.get(year=2567)
    organisations = []
    for code, name in (("6701", "องค์การบริหารส่วนตำบลโคกมน"), ("3001", "องค์การบริหารส่วนตำบลวังหมี")):
        organisation = OrganisationFactory(code=code, name=name, province="เพชรบูรณ์")
        AssessmentFactory(organisation=organisation, fiscal_year=year_2567, indicators=KHOKMON_2568)
        AssessmentFactory(organisation=organisation, indicators=KHOKMON_2568)
        organisations.append(organisation)
    return organisations, overseer()


def board(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.context["board"]


def import_scores(organisation, value: str):
    """Every indicator of 2568 set to ``value`` through the score import, as staff confirm one."""
    staff = member(organisation)
    content = xlsx([[organisation.code, "", "", ""] + [value] * 10], header=HEADER)
    sheet = read_sheet(content, max_rows=100)
    plan = importing.plan_import(sheet, fiscal_year=FiscalYear.objects.get(year=2568), user=staff)
    assert not plan.errors
    record = score_import_stage(sheet=sheet, plan=plan, user=staff, file_name="ผล.xlsx", content=content)
    score_import_commit(score_import=record, user=staff)


def test_a_dashboard_after_a_score_import_shows_the_new_numbers(client, world, monkeypatch):
    (first, _second), national = world
    client.force_login(national)
    before = board(client)
    computed = []
    real = dashboard.dashboard
    monkeypatch.setattr(dashboard, "dashboard", lambda *a, **k: computed.append(1) or real(*a, **k))
    assert board(client).summary.equals(before.summary) and computed == []  # kept: not computed again
    import_scores(first, "50.00")
    after = board(client)
    assert computed == [1]
    assert after.summary.loc[2568, "mean"] < before.summary.loc[2568, "mean"]
    assert after.trend.loc[1, 2568] == pytest.approx((float(KHOKMON_2568[0]) + 50) / 2)
    assert after.trend.loc[1, 2567] == before.trend.loc[1, 2567]  # the year before, as kept
    # One table's workbook reads the entry the page made: nothing computed for it.
    table = client.get(reverse("insights:dashboard-table", args=["summary"]) + "?year=2568")
    assert table.status_code == 200 and computed == [1]


def test_renaming_an_organisation_or_a_framework_change_shows_at_once(client, world):
    (first, _second), national = world
    client.force_login(national)
    board(client)
    Organisation.objects.filter(pk=first.pk).first().save()  # an admin's save, nothing else
    first.name = "องค์การบริหารส่วนตำบลโคกมนใหม่"
    first.save()
    import_scores(first, "40.00")
    names = set(board(client).fallers["name"])
    assert names == {"องค์การบริหารส่วนตำบลโคกมนใหม่"}
    indicator = Indicator.objects.get(fiscal_year__year=2568, number=1)
    indicator.name = "ชื่อใหม่ของตัวชี้วัดที่ 1"
    indicator.save()
    assert board(client).indicator_names[1] == "ชื่อใหม่ของตัวชี้วัดที่ 1"


def test_did_the_measures_work_follows_a_measure_marked_done(client, world):
    organisations, national = world
    client.force_login(national)
    measures = []
    for organisation in organisations:
        plan = MeasurePlanFactory(
            assessment=organisation.assessments.get(fiscal_year__year=2567), status=PlanStatus.APPROVED
        )
        measures.append(MeasureFactory(plan=plan, number=1, status=MeasureStatus.IN_PROGRESS))
    url = reverse("insights:measure-effect") + "?year=2568"
    groups = set(client.get(url).context["effect"].table.query("indicator == 1")["group"])
    Measure.objects.filter(pk=measures[0].pk).update(status=MeasureStatus.DONE)  # a bulk write…
    plan_counters_refresh(measures[0].plan)  # …counted as every measure write is
    again = set(client.get(url).context["effect"].table.query("indicator == 1")["group"])
    assert again != groups


def test_a_repeat_view_reads_only_the_counters(client, world):
    _organisations, national = world
    client.force_login(national)
    board(client)
    with CaptureQueriesContext(connection) as first:
        board(client)
    assert len(first) <= 12  # session, user, years, form choices, scope, counters: no scores
    assert not any("indicatorscore" in q["sql"] for q in first.captured_queries)


def test_a_cache_that_cannot_be_written_costs_the_computation_not_the_page(
    client, world, settings, tmp_path, caplog
):
    _organisations, national = world
    locked = tmp_path / "cache"
    locked.write_text("not a folder")  # the cache's folder cannot be made or read
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(locked)}
    }
    client.force_login(national)
    assert board(client).summary.loc[2568, "count"] == 2
    assert "kept values unavailable" in caplog.text
