"""The analysis and plan pages on the web: permissions on every view, forms, workflow, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.choices import Role
from measures.choices import MeasureKind, PlanStatus
from measures.models import Measure, MeasurePlan
from tests.conftest import rows_for_the_module
from tests.factories import OrganisationFactory, make_assessment, make_plan, make_wangmee, member

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plan_rows(django_db_setup, django_db_blocker):
    """A generated draft plan, made once for the module (``rows_for_the_module``)."""
    with rows_for_the_module(django_db_blocker):
        plan, wg = make_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี"))
        yield plan.pk, wg.pk


@pytest.fixture
def plan_and_wg(plan_rows, db):
    from django.contrib.auth import get_user_model

    return MeasurePlan.objects.get(pk=plan_rows[0]), get_user_model().objects.get(pk=plan_rows[1])


@pytest.fixture
def plan(plan_and_wg):
    return plan_and_wg[0]


def measure_of(plan):
    return plan.measures.get(question_codes="i10")


# (name, url builder, method, roles allowed) for every view of the issue.
VIEWS = [
    (
        "analysis",
        lambda p: reverse("assessment-analysis", args=[p.assessment.pk]),
        "get",
        set(Role.values),
    ),
    ("plan", lambda p: reverse("measures:plan-detail", args=[p.pk]), "get", set(Role.values)),
    (
        "generate",
        lambda p: reverse("measures:plan-generate", args=[p.assessment.pk]),
        "post",
        {Role.STAFF, Role.WORKING_GROUP},
    ),
    (
        "create",
        lambda p: reverse("measures:measure-create", args=[p.pk]),
        "get",
        {Role.STAFF, Role.WORKING_GROUP},
    ),
    (
        "update",
        lambda p: reverse("measures:measure-update", args=[measure_of(p).pk]),
        "get",
        {Role.STAFF, Role.WORKING_GROUP},
    ),
    (
        "delete",
        lambda p: reverse("measures:measure-delete", args=[measure_of(p).pk]),
        "get",
        {Role.STAFF, Role.WORKING_GROUP},
    ),
    (
        "move",
        lambda p: reverse("measures:measure-move", args=[measure_of(p).pk]),
        "post",
        {Role.STAFF, Role.WORKING_GROUP},
    ),
    (
        "submit",
        lambda p: reverse("measures:plan-transition", args=[p.pk, "submit"]),
        "get",
        {Role.STAFF, Role.WORKING_GROUP},
    ),
]


@pytest.mark.parametrize(("name", "url", "method", "roles"), VIEWS, ids=[v[0] for v in VIEWS])
def test_anonymous_is_sent_to_login(client, plan, name, url, method, roles):
    response = getattr(client, method)(url(plan))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "url", "method", "roles"), VIEWS, ids=[v[0] for v in VIEWS])
def test_member_of_another_organisation_gets_404(client, plan, name, url, method, roles):
    client.force_login(member(OrganisationFactory(), Role.WORKING_GROUP))
    assert getattr(client, method)(url(plan)).status_code == 404


@pytest.mark.parametrize(("name", "url", "method", "roles"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", Role.values)
def test_roles(client, plan, name, url, method, roles, role):
    client.force_login(member(plan.organisation, role))
    response = getattr(client, method)(url(plan), {"direction": "down"} if name == "move" else None)
    if role in roles:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("action", ["approve", "return", "publish", "reopen", "dance"])
def test_transition_pages_for_a_draft(client, plan_and_wg, action):
    plan, wg = plan_and_wg
    client.force_login(wg)
    response = client.get(reverse("measures:plan-transition", args=[plan.pk, action]))
    if action == "dance":
        assert response.status_code == 404
    elif action == "publish":
        assert response.status_code == 403  # administrators publish
    else:  # not from a draft: back to the plan with a Thai message
        assert response.status_code == 302
        assert "ไม่ได้ขณะแผนอยู่ในสถานะ “ร่าง”" in client.get(response["Location"]).content.decode()


# --- Analysis page ----------------------------------------------------------------------------


def test_analysis_page_states_the_rule_and_classifies_each_indicator(client):
    organisation = OrganisationFactory()
    user = member(organisation, Role.STAFF)
    assessment = make_wangmee(organisation, user=user)
    client.force_login(user)
    html = client.get(reverse("assessment-analysis", args=[assessment.pk])).content.decode()
    assert "ต่ำกว่า 95.00 คะแนน" in html  # the rule, with the year's figures
    assert 'data-indicator="4" data-status="improve-urgent"' in html
    assert 'data-indicator="3" data-status="keep"' in html
    assert 'data-indicator="1" data-status="improve"' in html
    assert "<code>i10</code> การขอยืมทรัพย์สินของราชการไปใช้ปฏิบัติงานเป็นไปอย่างถูกต้องตามขั้นตอน (77.74 คะแนน)" in html
    assert "<code>i3</code>" in html  # a strength (full marks)
    assert "สร้างร่างแผนมาตรการปี 2569" in html
    assert "ยังไม่มีผลการประเมินปีก่อน" in html


def test_analysis_page_shows_the_trend_over_the_years(client):
    organisation = OrganisationFactory()
    user = member(organisation, Role.STAFF)
    make_assessment(organisation, year=2567, indicators=["90"] * 10)
    assessment = make_wangmee(organisation)
    client.force_login(user)
    html = client.get(reverse("assessment-analysis", args=[assessment.pk])).content.decode()
    assert 'id="trend"' in html
    assert '<th class="text-end">2567</th><th class="text-end">2568</th>' in html
    assert '<span class="text-danger">-6.13</span>' in html  # indicator 4: 83.87 against 90.00
    assert '<span class="text-success">+0.42</span>' in html  # overall: 90.42 against 90.00


def test_every_member_sees_the_rank_among_the_provinces_organisations_of_its_type(client):
    """(Until issue 30 only administrators of several organisations saw it.)"""
    orgs = [OrganisationFactory(province="นครราชสีมา") for _ in range(3)]
    for org, score in zip(orgs, ("80", "90", "95"), strict=True):
        make_assessment(org, indicators=[score] * 10)
    target = orgs[1].assessments.get()
    client.force_login(member(orgs[1], Role.STAFF))
    html = client.get(reverse("assessment-analysis", args=[target.pk])).content.decode()
    assert "อันดับที่ 2 จาก 3 องค์การบริหารส่วนตำบลในจังหวัดนครราชสีมาที่มีผลในระบบ" in html
    assert orgs[2].name not in html and orgs[0].name not in html  # figures only, never names


# --- Plan page and forms ----------------------------------------------------------------------


def test_generate_from_the_analysis_page_then_regenerate(client):
    organisation = OrganisationFactory()
    user = member(organisation, Role.WORKING_GROUP)
    assessment = make_wangmee(organisation, user=user)
    client.force_login(user)
    response = client.post(reverse("measures:plan-generate", args=[assessment.pk]), follow=True)
    plan = MeasurePlan.objects.get(assessment=assessment)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("measures:plan-detail", args=[plan.pk])
    assert "สร้างร่างแผนมาตรการแล้ว" in html
    assert "มาตรการกำหนดขั้นตอนการยืมทรัพย์สินของราชการ" in html
    response = client.post(reverse("measures:plan-generate", args=[assessment.pk]), follow=True)
    assert "สร้างร่างใหม่จากผลการประเมินแล้ว: เพิ่ม 0 มาตรการ" in response.content.decode()


def test_measure_form_refuses_unknown_codes_beside_the_field(client, plan_and_wg):
    plan, wg = plan_and_wg
    measure = measure_of(plan)
    client.force_login(wg)
    url = reverse("measures:measure-update", args=[measure.pk])
    data = {
        "indicator": measure.indicator_id,
        "title": "ชื่อใหม่",
        "analysis": measure.analysis,
        "steps": measure.steps,
        "period_start": "1",
        "period_end": "2",
        "responsible_unit": "กองคลัง",
        "question_codes": "i10",
        "relies_on": "o8, o99",
        "version": str(measure.version),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ปี 2568 ไม่มีข้อ o99" in response.content.decode()
    measure.refresh_from_db()
    assert measure.title != "ชื่อใหม่"
    data["relies_on"] = "o8"
    response = client.post(url, data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.responsible_unit, measure.edited_at is not None) == (
        "ชื่อใหม่",
        "กองคลัง",
        True,
    )


def test_adding_a_measure_by_hand(client, plan_and_wg):
    plan, wg = plan_and_wg
    client.force_login(wg)
    indicator = plan.assessment.fiscal_year.indicators.get(number=7)
    response = client.post(
        reverse("measures:measure-create", args=[plan.pk]),
        {
            "indicator": indicator.pk,
            "title": "มาตรการประชาสัมพันธ์เชิงรุก",
            "analysis": "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร ได้ 97.47 คะแนน",
            "steps": "จัดทำสื่อ\nเผยแพร่",
            "period_start": "2",
            "period_end": "3",
            "responsible_unit": "สำนักปลัด",
            "question_codes": "",
            "relies_on": "",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(title="มาตรการประชาสัมพันธ์เชิงรุก")
    assert (measure.plan, measure.indicator.number, measure.generated_key, measure.step_list) == (
        plan,
        7,
        "",
        ["จัดทำสื่อ", "เผยแพร่"],
    )


def test_plan_page_flags_an_edited_text_that_contradicts_the_scores(client, plan_and_wg):
    plan, wg = plan_and_wg
    Measure.objects.filter(pk=measure_of(plan).pk).update(analysis="ตัวชี้วัดที่ 9 ประสิทธิภาพการสื่อสาร")
    client.force_login(wg)
    html = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    assert 'id="findings"' in html
    assert "ตัวชี้วัดที่ 9 คือ “การเปิดเผยข้อมูล”" in html


def test_the_whole_review_on_the_web(client, plan_and_wg):
    plan, wg = plan_and_wg
    staff = member(plan.organisation, Role.STAFF)
    admin = member(plan.organisation, Role.ADMINISTRATOR)
    transition = lambda action: reverse("measures:plan-transition", args=[plan.pk, action])  # noqa: E731

    client.force_login(staff)
    assert client.post(transition("submit"), {"comment": ""}).status_code == 302
    client.force_login(wg)
    response = client.post(transition("return"), {"comment": ""})
    assert "กรุณาระบุเหตุผล" in response.content.decode()  # beside the field, nothing changed
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    response = client.post(transition("approve"), {"meeting_number": "๑/๒๕๖๙", "meeting_date": "31/13/2568"})
    assert "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ." in response.content.decode()
    assert (
        client.post(
            transition("approve"), {"meeting_number": "๑/๒๕๖๙", "meeting_date": "๑๕/๑๐/๒๕๖๘"}
        ).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and str(plan.meeting_date) == "2025-10-15"
    assert plan.meeting_number == "1/2569"  # Thai digits typed, kept in the digits of the date beside it
    # Locked: the edit page sends the user back with a message.
    response = client.get(reverse("measures:measure-update", args=[measure_of(plan).pk]), follow=True)
    assert "จึงแก้ไขไม่ได้" in response.content.decode()
    client.force_login(admin)
    assert client.post(transition("publish"), {}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    html = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    for text in ("เสนอคณะทำงานพิจารณา", "อนุมัติ", "เผยแพร่", "การประชุมครั้งที่ 1/2569 วันที่ 15 ตุลาคม 2568"):
        assert text in html


def test_plan_page_query_count_with_40_measures(client, plan_and_wg, django_assert_max_num_queries):
    plan, wg = plan_and_wg
    template = measure_of(plan)
    count = plan.measures.count()
    for n in range(40 - count):
        Measure.objects.create(
            plan=plan,
            indicator=template.indicator,
            kind=MeasureKind.IMPROVE,
            title=f"มาตรการเพิ่ม {n}",
            analysis="ข้อ i10 ได้ 77.74 คะแนน",
            steps="ขั้นที่ 1\nขั้นที่ 2",
            question_codes="i10",
            relies_on="o8",
            order=100 + n,
        )
    assert plan.measures.count() == 40
    client.force_login(wg)
    url = reverse("measures:plan-detail", args=[plan.pk])
    with CaptureQueriesContext(connection) as forty:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="measure-') == 40
    # 23: the plan year's calendar and its item codes (one query each) added to the 19 before, the
    # bell's unread count, and the review steps that bound the latest review's changes.
    with django_assert_max_num_queries(23):
        client.get(url)
    # The count does not depend on the number of measures.
    Measure.objects.filter(plan=plan, title__startswith="มาตรการเพิ่ม").delete()
    with CaptureQueriesContext(connection) as fewer:
        client.get(url)
    assert len(fewer.captured_queries) == len(forty.captured_queries)
