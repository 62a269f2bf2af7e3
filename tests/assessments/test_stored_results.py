"""Each assessment's computed result is stored beside its scores and follows every change to them:
the score form, an import, a framework reloaded, the admin; ``refresh_results --check`` finds drift."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Assessment, IndicatorScore
from assessments.selectors import assessment_result, framework_for_year
from assessments.services import framework_load, results_drifted, score_import_apply
from tests.assessments.importing import plan_of, xlsx
from tests.factories import (
    KHOKMON_2568,
    WANGMEE_2568,
    OrganisationFactory,
    UserFactory,
    make_assessment,
    make_wangmee,
)

pytestmark = pytest.mark.django_db
FRAMEWORKS = Path(__file__).resolve().parents[2] / "fixtures" / "frameworks"


def stored(assessment):
    assessment = Assessment.objects.select_related("level").get(pk=assessment.pk)
    return (
        assessment.overall,
        assessment.level.code if assessment.level else None,
        assessment.level_provisional,
        assessment.targets_met,
        assessment.mismatches,
    )


def computed(assessment):
    assessment = Assessment.objects.with_scores().get(pk=assessment.pk)
    item = assessment_result(assessment, framework_for_year(assessment.fiscal_year.year))
    return item.result


def test_the_score_form_stores_the_result_and_a_change_moves_it():
    organisation = OrganisationFactory()
    assessment = make_wangmee(organisation)
    # Document 001: 90.42, ผ่าน (its OIT is below the floor of ผ่านดี).
    assert stored(assessment) == (Decimal("90.42"), "pass", False, False, None)
    assert assessment.overall == Decimal("90.42")  # the returned instance carries it too
    version = Assessment.objects.get(pk=assessment.pk).version

    make_assessment(organisation, indicators=["100"] * 10)
    # ผ่านดีเยี่ยม is provisional until the two EIT part scores of 2568 are given.
    assert stored(assessment) == (Decimal("100.00"), "excellent", True, True, None)
    assert Assessment.objects.get(pk=assessment.pk).version == version + 1  # storing is no new version


def test_mismatches_count_only_what_was_published():
    assessment = make_wangmee(OrganisationFactory(), published_overall=Decimal("90.42"))
    assert stored(assessment)[-1] == 0
    assessment = make_wangmee(OrganisationFactory(), published_overall=Decimal("91"), published_level="ผ่านดี")
    assert stored(assessment)[-1] == 2


def test_an_import_stores_the_result_of_every_row(fiscal_year, staff):
    plan = plan_of(
        xlsx([["6701", "", "", ""] + KHOKMON_2568, ["3001", "", "", ""] + WANGMEE_2568]),
        fiscal_year,
        staff,
    )
    assert not plan.errors
    score_import_apply(plan=plan, user=staff, reason="x")
    imported = Assessment.objects.filter(fiscal_year=fiscal_year)
    assert imported.count() == 2
    for assessment in imported:
        result = computed(assessment)
        assert stored(assessment)[:2] == (result.overall, result.level.code)
    assert not results_drifted(imported)


def test_a_framework_loaded_again_rates_the_year_again():
    assessment = make_wangmee(OrganisationFactory())
    data = json.loads((FRAMEWORKS / "2568.json").read_text(encoding="utf-8"))
    for level in data["levels"]:
        if level["code"] in ("good", "pass"):
            level["min_overall"] = "91"  # 90.42 now falls below ผ่าน
    framework_load(data=data)
    assert stored(assessment)[:2] == (Decimal("90.42"), "improve")


def test_an_admin_edit_of_a_score_stores_the_result_again(client):
    assessment = make_wangmee(OrganisationFactory())
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    row = IndicatorScore.objects.get(assessment=assessment, indicator__number=10)
    url = reverse("admin:assessments_indicatorscore_change", args=[row.pk])
    response = client.post(
        url,
        {"assessment": assessment.pk, "indicator": row.indicator_id, "score": "100", "recommendation": ""},
    )
    assert response.status_code == 302
    assert stored(assessment)[0] == computed(assessment).overall != Decimal("90.42")


def test_refresh_results_check_finds_drift_and_refresh_mends_it():
    assessment = make_wangmee(OrganisationFactory())
    call_command("refresh_results", "--check")
    Assessment.objects.filter(pk=assessment.pk).update(overall=Decimal("50"), level=None)
    with pytest.raises(CommandError, match="ไม่ตรงกับคะแนน 1 รายการ"):
        call_command("refresh_results", "--check", "--year", "2568")
    call_command("refresh_results")
    assert stored(assessment)[:2] == (Decimal("90.42"), "pass")


def test_incomplete_scores_store_no_result():
    assessment = make_wangmee(OrganisationFactory())
    IndicatorScore.objects.filter(assessment=assessment, indicator__number=3).delete()
    call_command("refresh_results")
    assert stored(assessment) == (None, None, False, None, None)
