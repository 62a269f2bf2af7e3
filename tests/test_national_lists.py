"""The lists of many organisations at national size: stored counters that follow every write,
filters and sorts evaluated by the database, and the same number of queries for 3 or 30
organisations on every list page, filtered or not."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment, Oversight
from measures import selectors
from measures.choices import MeasureStatus, PlanStatus
from measures.filters import LATE, NO_PLAN, ON_TIME, OrganisationFilter
from measures.models import Measure, MeasurePlan
from measures.services import measure_delete, measure_track, plan_counters_refresh, progress_report
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_assessment,
    member,
    plan_with_measures,
)

pytestmark = pytest.mark.django_db

# Plans of 2569 run from 1 October 2025 to 30 September 2026 (plan_with_measures: quarters 2 and 4).
IN_Q1 = datetime.date(2025, 12, 1)  # nothing due yet
AFTER_Q2 = datetime.date(2026, 4, 1)  # measures ending in quarter 2 are late
AFTER_YEAR = datetime.date(2026, 10, 1)  # every open measure is late


def counters(plan):
    plan = MeasurePlan.objects.get(pk=plan.pk)
    return plan.measure_count, plan.done_count, plan.progress, plan.overdue_from


def national_user():
    user = UserFactory()
    Oversight.objects.create(user=user, province="")
    return user


# --- Plan counters ---------------------------------------------------------------------------


def test_plan_counters_follow_progress_tracking_and_deletion():
    plan, working_group = plan_with_measures(numbers=[1, 4, 9])
    q2_end, year_end = datetime.date(2026, 3, 31), datetime.date(2026, 9, 30)
    first, fourth, ninth = plan.measures.order_by("order")
    # Indicators 1 and 4 have questions below full marks: their measures run in quarters 1–2.
    assert [m.planned_end_on for m in (first, fourth, ninth)] == [q2_end, q2_end, year_end]
    assert counters(plan) == (3, 0, 0, q2_end)

    def report(measure, status, percent, **more):
        progress_report(
            measure=measure,
            user=working_group,
            reported_on=IN_Q1,
            status=status,
            percent=percent,
            result="x",
            **more,
        )

    report(fourth, MeasureStatus.DONE, 100)
    assert counters(plan) == (3, 1, 33, q2_end)  # (0 + 100 + 0) / 3 rounded; the first is still open
    report(first, MeasureStatus.DONE, 100)
    assert counters(plan) == (3, 2, 67, year_end)  # 200 / 3 = 66.7; only the year-long one is open

    ninth.refresh_from_db()
    measure_track(
        measure=ninth,
        user=working_group,
        values={"end_date": datetime.date(2026, 1, 15)},
        expected_version=ninth.version,
    )
    assert counters(plan)[3] == datetime.date(2026, 1, 15)

    report(ninth, MeasureStatus.CANCELLED, 0, cancel_reason="รวมกับมาตรการอื่น")
    assert counters(plan) == (3, 2, 100, None)  # a cancelled measure counts in no mean; none open
    plan.status = PlanStatus.DRAFT
    plan.save()
    measure_delete(measure=Measure.objects.get(pk=ninth.pk), user=working_group)
    assert counters(plan)[:2] == (2, 2)


def test_the_overview_reads_the_same_figures_as_the_plan_page():
    plan, _ = plan_with_measures()
    Measure.objects.filter(plan=plan, order__lte=3).update(status=MeasureStatus.DONE, percent=100)
    Measure.objects.filter(plan=plan, order=4).update(status=MeasureStatus.IN_PROGRESS, percent=25)
    plan_counters_refresh(plan)
    user = member(plan.assessment.organisation, "administrator")
    (row,) = selectors.administrator_overview(user, 2569, AFTER_Q2)
    progress = selectors.plan_progress(selectors.plans_for_progress().get(pk=plan.pk), AFTER_Q2)
    assert (row.total, row.done, row.late, row.percent) == (
        progress.total,
        progress.by_status[MeasureStatus.DONE],
        progress.late,
        progress.percent,
    )
    assert (row.total, row.done, row.percent) == (10, 3, 33)  # 325 / 10 = 32.5, half up


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def three_plans():
    """Three organisations of two provinces, each with a 2568 result and a 2569 plan: one done,
    one late after quarter 2, one without measures, at three different levels."""
    done, _ = plan_with_measures(
        OrganisationFactory(name="อบต.เสร็จ", province="ตาก", district="แม่สอด"), numbers=[1]
    )
    Measure.objects.filter(plan=done).update(status=MeasureStatus.DONE, percent=100)
    plan_counters_refresh(done)
    late, _ = plan_with_measures(
        OrganisationFactory(name="อบต.ช้า", province="ตาก", district="เมือง"), numbers=[4]
    )
    late.status = PlanStatus.PUBLISHED
    late.save()
    empty, _ = plan_with_measures(OrganisationFactory(name="อบต.ว่าง", province="น่าน"), numbers=[])
    empty.status = PlanStatus.DRAFT
    empty.save()
    Assessment.objects.filter(pk=done.assessment_id).update(
        level=done.assessment.fiscal_year.levels.get(code="excellent")
    )
    Assessment.objects.filter(pk=empty.assessment_id).update(
        level=done.assessment.fiscal_year.levels.get(code="improve")
    )
    return done, late, empty


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"done", "late", "empty"}),
        ({"province": "ตาก"}, {"done", "late"}),
        ({"province": "ตาก", "district": "เมือง"}, {"late"}),
        ({"search": "ช้า"}, {"late"}),
        ({"level": "excellent"}, {"done"}),
        ({"level": "pass"}, {"late"}),  # document 001's own level, as stored
        ({"plan_status": PlanStatus.PUBLISHED}, {"late"}),
        ({"late": LATE}, {"late"}),
        ({"late": ON_TIME}, {"done", "empty"}),
        ({"late": LATE, "province": "น่าน"}, set()),
    ],
)
def test_overview_filters(three_plans, filters, expected):
    names = {plan.pk: key for plan, key in zip(three_plans, ("done", "late", "empty"), strict=True)}
    rows = selectors.administrator_overview(
        national_user(), 2569, AFTER_Q2, filters=OrganisationFilter(**filters)
    )
    assert {names[row.plan.pk] for row in rows} == expected


def test_overview_sorts_by_progress_and_by_longest_overdue(three_plans):
    done, late, empty = three_plans
    user = national_user()
    by_progress = selectors.administrator_overview(user, 2569, AFTER_Q2, sort="percent")
    assert [row.plan.pk for row in by_progress][0] == done.pk
    by_overdue = selectors.administrator_overview(user, 2569, AFTER_Q2, sort="late")
    assert [row.plan.pk for row in by_overdue][0] == late.pk
    assert by_overdue[0].late == 1 and by_overdue[1].late == 0


def test_home_filters_on_the_chosen_years_results(client, three_plans):
    done, late, empty = three_plans
    make_assessment(OrganisationFactory(name="อบต.ไม่มีแผน", province="น่าน"))
    client.force_login(national_user())

    def shown(query):
        page = client.get(reverse("home") + query).content.decode()
        return {name for name in ("อบต.เสร็จ", "อบต.ช้า", "อบต.ว่าง", "อบต.ไม่มีแผน") if name in page}

    assert shown("") == {"อบต.เสร็จ", "อบต.ช้า", "อบต.ว่าง", "อบต.ไม่มีแผน"}
    assert shown("?year=2568&level=excellent") == {"อบต.เสร็จ"}
    assert shown(f"?year=2568&plan={NO_PLAN}") == {"อบต.ไม่มีแผน"}
    assert shown(f"?year=2568&plan={PlanStatus.DRAFT}") == {"อบต.ว่าง"}
    assert shown(f"?year=2568&late={LATE}") == {"อบต.ช้า"}  # today is after the plans' year
    assert shown("?year=2567&level=excellent") == set()  # no 2567 results
    assert shown("?level=nonsense&province=ตาก") == {"อบต.เสร็จ", "อบต.ช้า"}  # a bad value is dropped
    OrganisationFactory(name="อบต.ไม่มีผล", province="น่าน")
    assert "อบต.ไม่มีผล" in client.get(reverse("home")).content.decode()
    Assessment.objects.filter(pk=empty.assessment_id).update(overall=70)
    lowest_first = client.get(reverse("home") + "?year=2568&sort=overall_asc").content.decode()
    assert lowest_first.index("อบต.ว่าง") < lowest_first.index("อบต.เสร็จ")
    highest_first = client.get(reverse("home") + "?year=2568&sort=overall").content.decode()
    assert highest_first.index("อบต.เสร็จ") < highest_first.index("อบต.ว่าง")
    assert "อบต.ไม่มีผล" not in highest_first  # a ranking lists those with a result that year
    assert client.get(reverse("home") + "?year=abc&sort=zzz&page=-1").status_code == 200


def test_overview_page_filters_and_keeps_the_query(client, three_plans):
    client.force_login(national_user())
    page = client.get(reverse("measures:progress-overview") + "?year=2569&province=ตาก&plan=published")
    html = page.content.decode()
    assert "อบต.ช้า" in html and "อบต.เสร็จ" not in html and "อบต.ว่าง" not in html
    assert "พบ 1 แผน" in html and "ล้างตัวกรอง" in html
    assert "แม่สอด" in html and "เมือง" in html  # the province's districts are offered
    export = client.get(reverse("measures:progress-overview-export") + "?year=2569&province=น่าน")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


# --- The same queries for 3 or 30 organisations ----------------------------------------------


def _organisations(count):
    for n in range(count):
        plan_with_measures(
            OrganisationFactory(province="ตาก" if n % 2 else "น่าน", district="เมือง"), numbers=[1, 4]
        )


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for empty in ("ไม่พบหน่วยงานตามเงื่อนไข", "ไม่พบแผนตามเงื่อนไข", "ยังไม่มีแผนมาตรการของปีนี้"):
        assert empty not in page, "the filters must leave rows to show"
    return len(context.captured_queries)


LISTS = [
    "/",
    "/?year=2568&province=ตาก&district=เมือง&type=sao&level=pass&plan=approved&late=late&sort=overall&q=ทดสอบ",
    "/progress/?year=2569",
    "/progress/?year=2569&province=ตาก&district=เมือง&type=sao&level=pass&plan=approved&late=late&sort=late",
    "/progress/?year=2569&sort=percent&page=2",
    "/jobs/",
]


@pytest.mark.slow  # builds thirty organisations to count the queries
@pytest.mark.parametrize("url", LISTS)
def test_list_pages_make_the_same_queries_for_3_or_30_organisations(client, url):
    user = national_user()
    client.force_login(user)
    _organisations(3)
    few = _queries(client, url)
    _organisations(27)
    many = _queries(client, url)
    assert few == many, url


def test_the_overview_opens_on_the_plans_under_way_and_counts_those_without_a_plan(client, three_plans):
    done, late, empty = three_plans  # 2569 plans: approved, published and a draft
    newer, _ = plan_with_measures(OrganisationFactory(name="อบต.ร่างปีหน้า"), numbers=[1])
    MeasurePlan.objects.filter(pk=newer.pk).update(plan_year=2570, status=PlanStatus.DRAFT)
    make_assessment(OrganisationFactory(name="อบต.ยังไม่มีแผน"))  # a 2568 result, no plan
    client.force_login(national_user())
    page = client.get(reverse("measures:progress-overview")).content.decode()
    assert "ปีงบประมาณ พ.ศ. 2569" in page  # not 2570, whose only plan is a draft
    alert = page[page.index('id="without-plan"') :]
    assert "ยังไม่มีแผนมาตรการปี 2569 1 หน่วยงาน" in alert
    listed = client.get(reverse("home") + "?year=2568&plan=none").content.decode()
    assert "อบต.ยังไม่มีแผน" in listed and "อบต.เสร็จ" not in listed
