"""The home page: each organisation's results, newest first, nobody else's, in a fixed number of
queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.choices import Role
from assessments.models import Assessment, FiscalYear
from tests.factories import OrganisationFactory, UserFactory, make_assessment, member

pytestmark = pytest.mark.django_db


def test_home_of_another_organisation_member_does_not_list_it(client, org, other_org, assessment):
    client.force_login(member(other_org))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert org.name not in response.content.decode()


def test_home_lists_assessments_newest_first_with_overall_and_level(client, org):
    make_assessment(org, year=2567)
    make_assessment(org, year=2568)
    client.force_login(member(org))
    response = client.get(reverse("home"))
    assessments = response.context["summaries"][0].assessments
    assert [a.fiscal_year.year for a in assessments] == [2568, 2567]
    html = response.content.decode()
    assert html.index(">2568</td>") < html.index(">2567</td>")
    assert "94.74" in html and "ผ่านดี" in html
    # The organisation's header keeps its links and the new-assessment form beside the table.
    assert "คะแนนทุกปี (Excel)" in html and f'id="id_year_{org.pk}"' in html
    assert html.index("คะแนนทุกปี (Excel)") < html.index("<table")


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.slow
def test_home_query_count_does_not_grow_with_assessments(client):
    user = UserFactory()
    client.force_login(user)
    first = OrganisationFactory()
    member_of = [first]
    from assessments.models import Membership

    Membership.objects.create(user=user, organisation=first, role=Role.STAFF)
    make_assessment(first)
    with_one = _home_queries(client)

    years = list(FiscalYear.objects.exclude(year=2562).values_list("year", flat=True))
    count = 1
    while count < 50:
        org = OrganisationFactory()
        member_of.append(org)
        Membership.objects.create(user=user, organisation=org, role=Role.WORKING_GROUP)
        for year in years:
            if count >= 50:
                break
            make_assessment(org, year=year)
            count += 1
    assert Assessment.objects.count() == 50
    with_fifty = _home_queries(client)
    assert with_fifty == with_one
