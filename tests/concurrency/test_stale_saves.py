"""Two people editing the same record: the second save is refused, says who saved first and what
they changed, keeps what the second person typed, and no save is lost (issue 15)."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.choices import Role
from assessments.models import Assessment, IndicatorScore
from tests.factories import KHOKMON_2568, OrganisationFactory, make_assessment, member

pytestmark = pytest.mark.django_db


def scores(values, **extra):
    return {**{f"indicator_{n}": v for n, v in enumerate(values, start=1)}, **extra}


def form_version(client, url) -> str:
    return str(client.get(url).context["form"].initial["version"])


def test_two_score_edits_interleaved_lose_nothing():
    organisation = OrganisationFactory()
    assessment = make_assessment(organisation)
    first, second = Client(), Client()
    first.force_login(member(organisation, Role.STAFF, first_name="สมศรี", last_name="ตั้งใจ"))
    second.force_login(member(organisation, Role.WORKING_GROUP, first_name="ประเสริฐ", last_name="โปร่งใส"))
    url = reverse("assessments:assessment-update", args=[assessment.pk])
    seen_by_first, seen_by_second = form_version(first, url), form_version(second, url)

    mine = list(KHOKMON_2568)
    mine[2] = "90"  # the second person corrects indicator 3
    assert second.post(url, scores(mine, version=seen_by_second)).status_code == 302

    theirs = list(KHOKMON_2568)
    theirs[4] = "88.50"  # the first person, on the page opened earlier, corrects indicator 5
    response = first.post(url, scores(theirs, version=seen_by_first))
    assert response.status_code == 200
    body = response.content.decode()
    assert "มีผู้อื่นบันทึกคะแนนของผลการประเมินนี้ไปก่อนท่าน (ประเสริฐ โปร่งใส เมื่อ" in body
    assert "ตัวชี้วัดที่ 3 การใช้อำนาจ · คะแนน: 99.75 → 90.00" in body
    assert 'name="indicator_5" value="88.50"' in body  # what the first person typed is kept
    saved = {s.indicator.number: s.score for s in IndicatorScore.objects.filter(assessment=assessment)}
    assert (str(saved[3]), str(saved[5])) == ("90.00", "100.00")  # the second save stands

    # Having seen the change, the first person saves again (keeping 90 for indicator 3): it goes through.
    theirs[2] = "90"
    resubmit = first.post(url, scores(theirs, version=response.context["form"].data["version"]))
    assert resubmit.status_code == 302
    saved = {s.indicator.number: str(s.score) for s in IndicatorScore.objects.filter(assessment=assessment)}
    assert (saved[3], saved[5]) == ("90.00", "88.50")
    assert Assessment.objects.get(pk=assessment.pk).version == 3


def test_two_people_creating_the_same_assessment_lose_nothing():
    organisation = OrganisationFactory()
    first, second = Client(), Client()
    first.force_login(member(organisation, Role.STAFF))
    second.force_login(member(organisation, Role.STAFF))
    url = reverse("assessments:assessment-create", args=[organisation.pk]) + "?year=2568"
    assert form_version(first, url) == "0" and form_version(second, url) == "0"
    assert second.post(url, scores(KHOKMON_2568, version="0")).status_code == 302
    other = list(KHOKMON_2568)
    other[0] = "95"
    response = first.post(url, scores(other, version="0"))
    assert response.status_code == 200
    assert "ไปก่อนท่าน" in response.content.decode()
    assert Assessment.objects.get().indicator_scores.get(indicator__number=1).score == 100
