"""The rank among the organisations of the same type in the province, from the stored overall
scores in the database: a hand-worked example, the same queries for 3 and 30, the analysis report."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.choices import OrganisationType
from assessments.models import Assessment
from assessments.selectors import peer_standing
from tests.factories import AssessmentFactory, OrganisationFactory, plan_with_measures

pytestmark = pytest.mark.django_db


def results(scores, *, province="ตาก", org_type=OrganisationType.SAO) -> list[Assessment]:
    made = []
    for score in scores:
        assessment = AssessmentFactory(organisation=OrganisationFactory(province=province, org_type=org_type))
        Assessment.objects.filter(pk=assessment.pk).update(overall=Decimal(score))
        made.append(Assessment.objects.select_related("organisation").get(pk=assessment.pk))
    return made


def test_the_rank_is_worked_out_by_hand():
    """Five SAOs of ตาก with 90, 85, 85, 80, 70: an 85 is 2nd (ties share the better rank) of 5;
    mean 82, median 85, best 90. Others are left out: another type, another province, no result."""
    peers = results(["90", "85", "85", "80", "70"])
    results(["99"], org_type=OrganisationType.SUBDISTRICT_MUNICIPALITY)
    results(["99"], province="น่าน")
    no_result = AssessmentFactory(organisation=OrganisationFactory(province="ตาก"))
    Assessment.objects.filter(pk=no_result.pk).update(overall=None)
    found = peer_standing(peers[2])
    assert (found.standing.rank, found.standing.count) == (2, 5)
    assert (found.standing.mean, found.standing.median, found.standing.best) == (82, 85, 90)
    assert found.sentence == "อันดับที่ 2 จาก 5 องค์การบริหารส่วนตำบลในจังหวัดตากที่มีผลในระบบ"
    assert peer_standing(peers[4]).standing.rank == 5
    even = results(["60", "70", "80", "90"], province="ลำปาง")
    assert peer_standing(even[1]).standing.median == 75  # an even count: the two middle scores' mean
    Assessment.objects.filter(pk=peers[0].pk).update(overall=None)
    peers[0].refresh_from_db()
    assert peer_standing(peers[0]) is None  # no result, no rank


def test_the_same_queries_for_3_and_30_organisations():
    few = results([str(80 + n) for n in range(3)], province="แพร่")
    many = results([str(60 + n) for n in range(30)], province="น่าน")
    counts = []
    for assessment in (few[1], many[15]):
        with CaptureQueriesContext(connection) as queries:
            assert peer_standing(assessment) is not None
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2


def test_the_analysis_report_prints_the_rank_only_among_peers(client):
    from reports.context import analysis_report, plans_for_documents

    plan, _wg = plan_with_measures(OrganisationFactory(province="ตาก"))
    alone = analysis_report(plans_for_documents().get(pk=plan.pk))
    assert alone.standing is None  # the only SAO of ตาก with a result: nothing to rank among
    results(["10", "99.99"])
    report = analysis_report(plans_for_documents().get(pk=plan.pk))
    assert report.standing.document_sentence == (
        "เมื่อเทียบกับองค์การบริหารส่วนตำบลในจังหวัดตากที่ใช้ ITA Portal และมีผลการประเมินปีเดียวกัน 3 แห่ง อยู่ในอันดับที่ 2"
    )
