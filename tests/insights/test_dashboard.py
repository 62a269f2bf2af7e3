"""The overseer's dashboard and "did the measures work?" as users reach them: who may, what the
filters narrow, the tables on the page and in their .xlsx, and queries that do not grow with the
number of organisations."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from assessments.choices import OrganisationType, Role, SizeClass
from assessments.models import FiscalYear
from measures.choices import MeasureStatus, PlanStatus
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

DASHBOARD = reverse("insights:dashboard")
EFFECT = reverse("insights:measure-effect")


def scores(first: str, rest=KHOKMON_2568[1:]):
    """Ten indicator scores of 2567/2568 with indicator 1 set to ``first``."""
    return [first, *rest]


def agency(name, province, first_2567, first_2568, **fields):
    """An organisation with results in 2567 and 2568 differing only in indicator 1."""
    organisation = OrganisationFactory(name=name, province=province, **fields)
    year_2567 = FiscalYear.objects.get(year=2567)
    before = AssessmentFactory(
        organisation=organisation, fiscal_year=year_2567, indicators=scores(first_2567)
    )
    after = AssessmentFactory(organisation=organisation, indicators=scores(first_2568))
    return organisation, before, after


@pytest.fixture
def agencies():
    """Two in ตาก (one a small municipality) and one in น่าน."""
    return [
        agency("อบต.ขึ้นมาก", "ตาก", "60.00", "90.00", size_class=SizeClass.SMALL),
        agency(
            "ทต.คงที่",
            "ตาก",
            "80.00",
            "80.00",
            org_type=OrganisationType.SUBDISTRICT_MUNICIPALITY,
            size_class=SizeClass.MEDIUM,
        ),
        agency("อบต.ลดลง", "น่าน", "100", "70.00", size_class=SizeClass.SMALL),
    ]


def table(page: str, slug: str) -> str:
    start = page.index(f'id="table-{slug}"')
    return page[start : page.index("</table>", start)]


def cells(page: str, slug: str) -> list[list[str]]:
    """The rows of a table on the page as lists of their cells' text."""
    body = table(page, slug)
    body = body[body.index("<tbody>") :]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]


def test_who_may_open_the_dashboard(client, agencies):
    assert client.get(DASHBOARD).status_code == 302  # to the login page
    client.force_login(member(agencies[0][0], Role.STAFF))
    for url in (DASHBOARD, EFFECT, reverse("insights:dashboard-table", args=["heat"])):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "หน้านี้สำหรับผู้ที่ติดตามหลายหน่วยงาน" in response.content.decode()
    client.force_login(member(agencies[0][0], Role.ADMINISTRATOR))  # an administrator follows their own
    assert client.get(DASHBOARD).status_code == 200


def test_the_national_dashboard_shows_every_section_with_hand_worked_values(client, agencies):
    client.force_login(overseer())
    page = client.get(DASHBOARD).content.decode()
    assert "ปีงบประมาณ พ.ศ. 2568" in page and "หน่วยงาน 3 แห่ง" in page
    for section in ('id="overall"', 'id="targets"', 'id="indicators"', 'id="movers"'):
        assert section in page
    assert page.count("<svg") >= 4  # bands, levels, heat map, trend
    # indicator 1 in 2568: ตาก (90 + 80) / 2 = 85.00 from 2 organisations, น่าน 70.00 from 1
    heat = {row[0]: row[1:3] for row in cells(page, "heat")}
    assert heat == {"ตาก": ["2", "85.00"], "น่าน": ["1", "70.00"]}
    # indicator 1: 2567 (60 + 80 + 100) / 3 = 80.00; 2568 (90 + 80 + 70) / 3 = 80.00; indicator 2: 100
    trend = {row[0]: row[1:] for row in cells(page, "trend")}
    assert trend["1"] == ["80.00", "80.00"] and trend["2"] == ["100.00", "100.00"]
    assert cells(page, "summary")[1][:2] == ["2568", "3"]
    risers, fallers = cells(page, "risers"), cells(page, "fallers")
    assert [row[0] for row in risers] == ["อบต.ขึ้นมาก"] and [row[0] for row in fallers] == ["อบต.ลดลง"]
    assert "text-danger" in table(page, "fallers")  # a fall in red
    below = cells(page, "indicators_below")
    assert below[0][0] == "1" and below[0][2:5] == ["3", "2", "66.7%"]  # 80 and 70 are below 85


def test_a_provincial_overseer_sees_only_the_province_whatever_the_query(client, agencies):
    client.force_login(overseer("ตาก"))
    for query in ("", "?province=น่าน"):  # another province is not one of the choices: dropped
        page = client.get(DASHBOARD + query).content.decode()
        assert "หน่วยงาน 2 แห่ง" in page
        assert "อบต.ลดลง" not in page and "<td>น่าน</td>" not in table(page, "heat")
    workbook = client.get(reverse("insights:dashboard-table", args=["fallers"]) + "?province=น่าน")
    assert "อบต.ลดลง".encode() not in workbook.content


def test_filters_by_type_and_size_and_the_heat_map_grouping(client, agencies):
    client.force_login(overseer())
    page = client.get(DASHBOARD + "?size=S").content.decode()
    assert "หน่วยงาน 2 แห่ง" in page and "ทต.คงที่" not in page
    page = client.get(DASHBOARD + "?type=subdistrict_municipality&by=org_type").content.decode()
    assert "หน่วยงาน 1 แห่ง" in page
    assert "<td>เทศบาลตำบล</td>" in table(page, "heat")
    page = client.get(DASHBOARD + "?by=size_class").content.decode()
    heat = table(page, "heat")
    assert "ขนาดเล็ก (S)" in heat and "ขนาดกลาง (M)" in heat
    bad = client.get(DASHBOARD + "?year=1999&size=Q&by=nothing&type=x")
    assert bad.status_code == 200 and "หน่วยงาน 3 แห่ง" in bad.content.decode()  # each bad value dropped


def test_the_year_may_be_typed_in_thai_digits(client, agencies):
    client.force_login(overseer())
    page = client.get(DASHBOARD + "?year=๒๕๖๗").content.decode()
    assert "ปีงบประมาณ พ.ศ. 2567" in page
    assert "2566" in page  # compared with the year before (no results there: zero counts)


def test_every_table_downloads_as_xlsx_with_the_pages_values(client, agencies):
    from insights.tables import TABLE_SLUGS

    client.force_login(overseer())
    page = client.get(DASHBOARD + "?province=ตาก").content.decode()
    for slug in TABLE_SLUGS:
        assert f'data-table="{slug}"' in page
        response = client.get(reverse("insights:dashboard-table", args=[slug]) + "?province=ตาก")
        assert response.status_code == 200, slug
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert "จังหวัดตาก" in sheet["A2"].value and "2 หน่วยงาน" in sheet["A2"].value
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("insights:dashboard-table", args=["heat"]) + "?province=ตาก").content)
    ).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "ตาก"]
    assert rows[0][1] == 2 and rows[0][2] == pytest.approx(85.0)  # a number, not text
    assert client.get(reverse("insights:dashboard-table", args=["nothing"])).status_code == 404


def test_a_table_for_many_organisations_is_made_in_the_background_with_the_same_name(
    client, agencies, settings
):
    """The dashboard's tables go through ``ita_portal.delivery``: above the threshold the same
    filtered workbook, under the same name, is the result of a job."""
    from ita_portal.models import Job, JobStatus

    client.force_login(overseer())
    url = reverse("insights:dashboard-table", args=["heat"]) + "?province=ตาก"
    now = client.get(url)
    settings.EXPORT_BACKGROUND_ROWS = 1  # 2 organisations in ตาก
    later = client.get(url)
    job = Job.objects.get(public_id=later.url.strip("/").split("/")[-1])
    assert job.status == JobStatus.DONE
    assert now["Content-Disposition"] == f'attachment; filename="{job.result_filename}"'
    result = client.get(reverse("job-result", args=[job.public_id]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(result.streaming_content))).active
    assert "จังหวัดตาก" in sheet["A2"].value and "2 หน่วยงาน" in sheet["A2"].value


# --- Did the measures work? --------------------------------------------------------------------


def effect_world():
    """Indicator 1 from 2567 to 2568: three organisations carried out an improvement measure on
    it (+4, +6, +8), two had one cancelled or left open (+1, −1), two had none (0, +2) — one of
    those with a done measure in a plan that was never approved, which does not count."""
    changes = {
        "done": [4, 6, 8],
        "not_done": [1, -1],
        "none": [0, 2],
    }
    for group, values in changes.items():
        for n, change in enumerate(values):
            _org, before, _after = agency(f"อบต.{group}{n}", "ตาก", "80.00", f"{80 + change:.2f}")
            status = PlanStatus.DRAFT if group == "none" and n == 1 else PlanStatus.APPROVED
            plan = MeasurePlanFactory(assessment=before, status=status)  # the plan for 2568
            if group == "done" or (group == "none" and n == 1):
                MeasureFactory(plan=plan, number=1, status=MeasureStatus.DONE, percent=100)
            elif group == "not_done":
                MeasureFactory(
                    plan=plan,
                    number=1,
                    status=MeasureStatus.CANCELLED if n else MeasureStatus.IN_PROGRESS,
                    cancel_reason="รวมกับมาตรการอื่น" if n else "",
                )
            else:
                MeasureFactory(plan=plan, number=2, status=MeasureStatus.DONE, percent=100)


def test_measure_effect_groups_means_and_intervals_with_the_minimum_group(client, settings):
    effect_world()
    client.force_login(overseer())
    settings.ANALYTICS_MIN_GROUP = 3
    page = client.get(EFFECT + "?year=2568").content.decode()
    assert "ปี 2567 → 2568" in page and "ไม่ใช่ข้อพิสูจน์" in page
    rows = table(page, "effect")
    done = rows[rows.index("มีมาตรการปรับปรุงที่ดำเนินการแล้วเสร็จ") :]
    done = done[: done.index("</tr>")]
    # +4, +6, +8: mean 6, s = 2, t(2) = 4.303 → 6 ± 4.303 · 2 / √3 = 6 ± 4.97
    assert ">3</td>" in done and "+6.00" in done and "+1.03" in done and "+10.97" in done
    not_done = rows[rows.index("มีมาตรการแต่ไม่แล้วเสร็จ") :]
    not_done = not_done[: not_done.index("</tr>")]
    assert ">2</td>" in not_done and "น้อยกว่า 3 แห่ง" in not_done and "+0.00" not in not_done
    assert "<svg" in page  # the done group (and indicator 2's) is large enough to draw
    settings.ANALYTICS_MIN_GROUP = 20
    page = client.get(EFFECT + "?year=2568").content.decode()
    assert "+6.00" not in page and "น้อยกว่า 20 แห่ง" in page
    assert "ยังไม่มีกลุ่มที่มีหน่วยงานมากพอ" in page


def test_measure_effect_counts_none_for_a_plan_never_approved(client, settings):
    from assessments.models import Organisation
    from insights import selectors
    from insights.dashboard import DashboardFilter

    effect_world()
    user = overseer()
    found = selectors.measure_effect(user, 2568, DashboardFilter(), min_group=1)
    table_1 = found.table[found.table["indicator"] == 1].set_index("group")
    assert table_1["size"].to_dict() == {"done": 3, "none": 2, "not_done": 2}
    assert table_1.loc["none", "mean"] == pytest.approx(
        1.0
    )  # 0 and +2: the draft plan's measure counts as none
    assert found.with_plan == 6 and found.organisations == Organisation.objects.count()
    workbook = client
    workbook.force_login(user)
    response = workbook.get(reverse("insights:measure-effect-export") + "?year=2568")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "ไม่ใช่ข้อพิสูจน์" in sheet["A3"].value


# --- The same queries for 3 or 30 organisations ----------------------------------------------------


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _organisations(count, start):
    for n in range(start, start + count):
        _org, before, _after = agency(f"อบต.นับ {n}", "ตาก" if n % 2 else "น่าน", "80.00", f"{70 + n % 20}.00")
        plan = MeasurePlanFactory(assessment=before, status=PlanStatus.APPROVED)
        MeasureFactory(plan=plan, number=1, status=MeasureStatus.DONE if n % 3 else MeasureStatus.CANCELLED)
        before.question_scores.create(question=before.fiscal_year.questions.get(code="i1"), score=70)


URLS = [
    DASHBOARD,
    DASHBOARD + "?year=2568&province=ตาก&type=sao&size=&by=org_type",
    reverse("insights:dashboard-table", args=["risers"]),
    EFFECT + "?year=2568",
    reverse("insights:measure-effect-export") + "?year=2568&province=ตาก",
]


@pytest.mark.slow  # builds thirty organisations to count the queries
@pytest.mark.parametrize("url", URLS)
def test_dashboard_pages_make_the_same_queries_for_3_or_30_organisations(client, url):
    client.force_login(overseer())
    _organisations(3, 0)
    few = _queries(client, url)
    _organisations(27, 3)
    many = _queries(client, url)
    assert few == many, url
