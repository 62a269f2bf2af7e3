"""One table of who may do what (``ita_portal.permissions``), and one status code per case:
404 for anything outside the user's organisations (tests/test_security.py walks that), 403 with
the Thai page for an action a member's role does not allow (walked here)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import importing
from assessments.importing.spreadsheets import read_sheet
from assessments.models import FiscalYear, Organisation
from assessments.services import ScoreSheet, assessment_save_scores, score_import_apply
from ita_portal import permissions
from ita_portal.permissions import RULES, Action, Role
from measures.workflow import TRANSITIONS
from tests.assessments.importing import xlsx
from tests.factories import KHOKMON_2568, OrganisationFactory, UserFactory, member, overseer
from tests.test_security import kwargs_for, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

# The views that take one action, and the action. Every other organisation page is open to every member.
ACTION_VIEWS = {
    "assessments:assessment-update": Action.SCORE_EDIT,
    "assessments:assessment-create": Action.SCORE_EDIT,
    "measures:plan-generate": Action.PLAN_EDIT,
    "measures:measure-create": Action.PLAN_EDIT,
    "measures:measure-update": Action.PLAN_EDIT,
    "measures:measure-delete": Action.PLAN_EDIT,
    "measures:measure-move": Action.PLAN_EDIT,
    "measures:plan-transition": Action.PLAN_REVIEW,  # reopen, in the world's approved plan
    "measures:organisation-history": Action.HISTORY_VIEW,
    "members:list": Action.MEMBER_MANAGE,
    "members:role": Action.MEMBER_MANAGE,
    "members:remove": Action.MEMBER_MANAGE,
    "members:invitation": Action.MEMBER_MANAGE,
    "members:bulk": Action.MEMBER_MANAGE,
    "members:bulk-confirm": Action.MEMBER_MANAGE,
    "reports:memo-update": Action.DOCUMENT_EDIT,
    "reports:announcement-update": Action.DOCUMENT_EDIT,
    "reports:signed-copy-upload": Action.DOCUMENT_PUBLISH,
    "reports:signed-copy-publish": Action.DOCUMENT_PUBLISH,
    "reports:garuda-update": Action.DOCUMENT_EDIT,
    "reports:document-options": Action.DOCUMENT_EDIT,
    "reports:document-publish": Action.DOCUMENT_PUBLISH,
    "reports:document-withdraw": Action.DOCUMENT_PUBLISH,
    "reports:evidence-withdraw": Action.DOCUMENT_PUBLISH,
}
QUERY = {"assessments:assessment-create": "?year=2567"}
# Pages every member opens (GET): results, analysis, plans, progress, documents, exports.
MEMBER_PAGES = [
    "assessments:assessment-detail",
    "assessment-analysis",
    "assessments:organisation-scores-export",
    "measures:plan-detail",
    "measures:plan-progress",
    "measures:plan-progress-export",
    "measures:measure-progress",
    "measures:evidence-download",
    "reports:plan-documents",
    "reports:document-html",
    "reports:document-version",  # a version frozen for signing: printed by whoever takes it to sign
]


def test_every_action_has_roles_and_a_thai_refusal():
    assert set(RULES) == set(Action) == set(permissions.REFUSALS)
    assert {Action.OVERSIGHT_GRANT} == permissions.SUPERUSERS_ONLY  # the one action no role takes
    for action in set(Action) - permissions.SUPERUSERS_ONLY:
        assert RULES[action] <= set(Role.values) | {permissions.OVERSEER} and RULES[action], action


def test_the_workflow_names_its_actions():
    assert {t.action: t.permission for t in TRANSITIONS.values()} == {
        "submit": Action.PLAN_EDIT,
        "approve": Action.PLAN_REVIEW,
        "return": Action.PLAN_REVIEW,
        "publish": Action.PLAN_PUBLISH,
        "reopen": Action.PLAN_REVIEW,
    }


@pytest.mark.parametrize("role", Role.values)
def test_can_and_permitting_follow_the_table(role):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    user = member(organisation, role)
    superuser = UserFactory(is_superuser=True)
    for action in Action:
        expected = role in RULES[action]
        assert permissions.can(user, organisation, action) is expected, (role, action)
        assert permissions.can(user, other, action) is False
        assert permissions.can(superuser, other, action) is True
        assert list(Organisation.objects.permitting(user, action)) == ([organisation] if expected else [])
        assert permissions.anywhere(user, action) is expected


@pytest.mark.parametrize("role", Role.values)
def test_a_member_is_refused_an_action_with_403_never_404(client, world, role):  # noqa: F811
    client.force_login(member(world["organisation"], role))
    for name, action in ACTION_VIEWS.items():
        url = reverse(name, kwargs=kwargs_for(name, world)) + QUERY.get(name, "")
        allowed = role in RULES[action]
        for method in (client.get, client.post):
            status = method(url).status_code
            if status == 405:
                continue
            if allowed:
                assert status not in (403, 404), (role, name, method.__name__, status)
            else:
                assert status == 403, (role, name, method.__name__, status)
    for name in MEMBER_PAGES:
        url = reverse(name, kwargs=kwargs_for(name, world))
        assert client.get(url).status_code == 200, (role, name)


def test_the_403_page_says_who_may_in_thai(client, world):  # noqa: F811
    client.force_login(member(world["organisation"], Role.STAFF))
    response = client.post(
        reverse("reports:document-publish", kwargs=kwargs_for("reports:document-publish", world))
    )
    assert response.status_code == 403
    assert "เฉพาะผู้ดูแล/ผู้เผยแพร่เท่านั้นที่เผยแพร่เอกสารได้" in response.content.decode()


def test_services_check_the_action_themselves():
    organisation = OrganisationFactory(code="70001")
    fiscal_year = FiscalYear.objects.get(year=2568)
    numbers = sorted(fiscal_year.indicators.values_list("number", flat=True))
    sheet = ScoreSheet(indicators={n: Decimal(v) for n, v in zip(numbers, KHOKMON_2568, strict=True)})
    with pytest.raises(PermissionDenied):
        assessment_save_scores(
            organisation=organisation,
            fiscal_year=fiscal_year,
            sheet=sheet,
            user=member(organisation, Role.ADMINISTRATOR),
        )
    # An import planned by a staff member cannot be applied by someone who may not import there.
    staff = member(organisation, Role.STAFF)
    content = xlsx(
        [["70001", organisation.name, organisation.district, organisation.province] + KHOKMON_2568]
    )
    plan = importing.plan_import(read_sheet(content, max_rows=10), fiscal_year=fiscal_year, user=staff)
    assert not plan.has_errors
    with pytest.raises(PermissionDenied):
        score_import_apply(plan=plan, user=member(OrganisationFactory(), Role.STAFF), reason="x")
    score_import_apply(plan=plan, user=staff, reason="x")
    assert organisation.assessments.count() == 1


# --- Overseers: read only, within their area ---------------------------------------------------


def test_an_overseer_of_another_province_gets_404_for_every_object(client, world):  # noqa: F811
    from tests.test_security import NOT_OBJECT, PUBLIC, url_names

    world["organisation"].province = "เพชรบูรณ์"
    world["organisation"].save()
    client.force_login(overseer("ตาก"))
    for name in url_names():
        if name in PUBLIC | NOT_OBJECT or name.startswith("job-"):
            continue
        url = reverse(name, kwargs=kwargs_for(name, world)) + QUERY.get(name, "")
        for method in (client.get, client.post):
            assert method(url).status_code in (404, 405), (name, method.__name__)


@pytest.mark.parametrize("province", ["เพชรบูรณ์", ""])  # the organisation's province; the whole country
def test_an_overseer_reads_everything_in_the_area_and_writes_nothing(client, world, province):  # noqa: F811
    world["organisation"].province = "เพชรบูรณ์"
    world["organisation"].save()
    before = (world["plan"].status, world["measure"].title, world["assessment"].version)
    client.force_login(overseer(province))
    for name in ACTION_VIEWS:
        url = reverse(name, kwargs=kwargs_for(name, world)) + QUERY.get(name, "")
        for method in (client.get, client.post):
            assert method(url).status_code in (403, 405), (name, method.__name__)
    for name in MEMBER_PAGES:
        assert client.get(reverse(name, kwargs=kwargs_for(name, world))).status_code == 200, name
    assert client.get(reverse("measures:progress-overview")).status_code == 200
    assert client.get(reverse("reports:document-batch")).status_code == 403
    assert client.get(reverse("assessments:import-create")).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert world["organisation"].name in home
    world["plan"].refresh_from_db()
    world["measure"].refresh_from_db()
    world["assessment"].refresh_from_db()
    assert (world["plan"].status, world["measure"].title, world["assessment"].version) == before


def test_the_area_decides_what_an_overseer_sees():
    north = OrganisationFactory(province="เชียงใหม่")
    south = OrganisationFactory(province="สงขลา")
    assert list(Organisation.objects.visible_to(overseer("เชียงใหม่"))) == [north]
    assert set(Organisation.objects.visible_to(overseer(""))) >= {north, south}
    provincial = overseer("สงขลา")
    assert permissions.roles_of(provincial, south) == {permissions.OVERSEER}
    assert permissions.roles_of(provincial, north) == frozenset()
    assert list(Organisation.objects.permitting(provincial, Action.OVERVIEW_VIEW)) == [south]
    assert not Organisation.objects.permitting(provincial, Action.SCORE_EDIT).exists()
    # A member of one organisation who also oversees a province sees both.
    both = member(north, Role.STAFF)
    from assessments.models import Oversight

    Oversight.objects.create(user=both, province="สงขลา")
    assert set(Organisation.objects.visible_to(both)) == {north, south}
    assert set(Organisation.objects.permitting(both, Action.SCORE_EDIT)) == {north}
    # One set of ids (a UNION), never "member OR province": the database cannot estimate that OR
    # and reads every assessment of the country for one province (issue 34).
    sql = str(Organisation.objects.visible_to(both).query).upper()
    assert "UNION" in sql and " OR " not in sql


def test_a_national_reach_filters_nothing_and_a_provincial_one_filters_by_organisation():
    """Every organisation is no filter at all (the database reads a year's rows by their own
    indexes, not joined to the whole country's list first); a province is a filter."""
    from assessments.models import Assessment
    from measures.models import Measure, MeasurePlan
    from reports.models import PublishedDocument

    north = OrganisationFactory(province="เชียงใหม่")
    south = OrganisationFactory(province="สงขลา")
    national, provincial = overseer(""), overseer("สงขลา")
    for model in (Assessment, MeasurePlan, Measure, PublishedDocument):
        assert "assessments_organisation" not in str(model.objects.visible_to(national).query)
        assert "assessments_organisation" in str(model.objects.visible_to(provincial).query)
    assert {north.pk, south.pk} <= set(
        Organisation.objects.filter(Organisation.objects.visible_to(national).as_filter("pk")).values_list(
            "pk", flat=True
        )
    )
    assert list(Organisation.objects.filter(Organisation.objects.visible_to(provincial).as_filter("pk"))) == [
        south
    ]


def test_only_a_superuser_grants_oversight_in_the_admin(client):
    from django.contrib.auth.models import Permission

    staff_user = UserFactory(is_staff=True)
    staff_user.user_permissions.set(Permission.objects.filter(codename__endswith="oversight"))
    client.force_login(staff_user)
    assert client.get("/admin/assessments/oversight/").status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/assessments/oversight/add/").status_code == 200


# --- Home at national size: paged and filtered, a fixed number of queries ----------------------


@pytest.mark.slow  # builds thirty organisations to count the queries
@pytest.mark.parametrize("count", [3, 30])
def test_home_makes_the_same_queries_for_3_or_30_organisations(client, django_assert_num_queries, count):
    from assessments.models import Oversight
    from tests.factories import make_assessment

    user = UserFactory()
    Oversight.objects.create(user=user, province="")
    for n in range(count):
        make_assessment(OrganisationFactory(province="ตาก" if n % 2 else "น่าน"))
    client.force_login(user)
    client.get(reverse("home"))  # warm the session and the framework caches
    with django_assert_num_queries(QUERIES_OF_HOME):
        page = client.get(reverse("home")).content.decode()
    assert page.count('class="card shadow-sm mb-4"') == min(count, 20)


QUERIES_OF_HOME = 22  # the same for 3 and for 30 organisations (2 of them: the OIT register's year and rows;
# 1: NACC's calendar; 1: the bell's unread count)


def test_home_pages_and_filters_many_organisations(client):
    from assessments.models import Oversight

    user = UserFactory()
    Oversight.objects.create(user=user, province="")
    for n in range(25):
        OrganisationFactory(
            name=f"องค์การบริหารส่วนตำบลหน้า{n:02d}", province="ตาก" if n < 22 else "น่าน", code=f"P{n:02d}"
        )
    client.force_login(user)
    first = client.get(reverse("home")).content.decode()
    assert "หน้า 1 จาก 2" in first and "ถัดไป" in first
    second = client.get(reverse("home") + "?page=2").content.decode()
    assert "หน้า 2 จาก 2" in second
    only = client.get(reverse("home") + "?province=น่าน").content.decode()
    assert "พบ 3 จาก 25 หน่วยงาน" in only and "หน้า00" not in only
    by_code = client.get(reverse("home") + "?q=p07").content.decode()
    assert "หน้า07" in by_code and "พบ 1 จาก 25" in by_code
    none = client.get(reverse("home") + "?q=ไม่มีแน่นอน").content.decode()
    assert "ไม่พบหน่วยงานตามเงื่อนไขที่เลือก" in none
    assert client.get(reverse("home") + "?page=abc").status_code == 200
