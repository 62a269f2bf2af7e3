"""The cross-agency statistics on small hand-made frames, each value worked out by hand."""

import math

import pandas as pd
import pytest

from assessments import analytics
from assessments.analytics import DONE, NONE, NOT_DONE


def frame(rows, columns):
    return pd.DataFrame(rows, columns=columns)


SCORE_COLUMNS = ["organisation", "year", "indicator", "score"]
MEASURE_COLUMNS = ["organisation", "plan_year", "indicator", "kind", "status"]


@pytest.mark.parametrize(("df", "value"), [(1, 12.706), (19, 2.093), (30, 2.042), (35, 2.030), (90, 1.987)])
def test_t_critical_values_match_the_tables(df, value):
    assert analytics.t_critical(df) == pytest.approx(value, abs=0.001)


def test_the_interval_is_worked_out_by_hand():
    # 2, 4, 6: mean 4, s = 2, s/√3 = 1.1547, t(2) = 4.303 → 4 ± 4.9687
    mean, low, high = analytics.mean_interval(pd.Series([2.0, 4.0, 6.0]))
    assert (mean, low, high) == pytest.approx(
        (4.0, 4 - 4.303 * 2 / math.sqrt(3), 4 + 4.303 * 2 / math.sqrt(3))
    )
    mean, low, high = analytics.mean_interval(pd.Series([5.0]))
    assert mean == 5.0 and math.isnan(low) and math.isnan(high)


def test_changes_pair_consecutive_years_only():
    scores = frame(
        [(1, 2566, 9, 80.0), (1, 2567, 9, 85.5), (1, 2569, 9, 90.0), (2, 2567, 9, 70.0), (2, 2568, 9, 69.0)],
        SCORE_COLUMNS,
    )
    changes = analytics.score_changes(scores).sort_values(["organisation", "year"])
    assert changes[["organisation", "year", "next_year", "change"]].values.tolist() == [
        [1, 2566, 2567, 5.5],  # 2567 → 2569 skips a year: no pair
        [2, 2567, 2568, -1.0],
    ]


def test_groups_sizes_means_and_the_minimum_group_rule():
    # Indicator 9 from 2567 to 2568: organisations 1–3 did an improvement measure (+4, +6, +8),
    # 4–5 had one cancelled or still open (+1, −1), 6–9 had none (0, +2, −2, +4).
    changes = {1: 4, 2: 6, 3: 8, 4: 1, 5: -1, 6: 0, 7: 2, 8: -2, 9: 4}
    scores = frame(
        [(org, 2567, 9, 80.0) for org in changes]
        + [(org, 2568, 9, 80.0 + change) for org, change in changes.items()],
        SCORE_COLUMNS,
    )
    measures = frame(
        [
            (1, 2568, 9, "improve", "done"),
            (2, 2568, 9, "improve", "done"),
            (2, 2568, 9, "improve", "cancelled"),  # one done is enough
            (3, 2568, 9, "improve", "done"),
            (4, 2568, 9, "improve", "cancelled"),
            (5, 2568, 9, "improve", "in_progress"),
            (6, 2568, 9, "keep", "done"),  # keeping the standard is not an improvement measure
            (7, 2568, 4, "improve", "done"),  # another indicator
        ],
        MEASURE_COLUMNS,
    )
    effect = analytics.measure_effect(scores, measures, min_group=3).set_index("group")
    assert effect.loc[DONE, "size"] == 3 and effect.loc[DONE, "mean"] == pytest.approx(6.0)
    # 4, 6, 8: s = 2 → 6 ± 4.303 · 2/√3
    assert effect.loc[DONE, "low"] == pytest.approx(6 - 4.303 * 2 / math.sqrt(3))
    assert effect.loc[NONE, "size"] == 4 and effect.loc[NONE, "mean"] == pytest.approx(1.0)
    assert effect.loc[NOT_DONE, "size"] == 2 and not effect.loc[NOT_DONE, "shown"]
    assert math.isnan(effect.loc[NOT_DONE, "mean"])  # below the minimum group: no figure shown
    assert set(effect["year"]) == {2567} and set(effect["next_year"]) == {2568}


def test_one_organisations_measures_of_last_year_with_their_scores():
    scores = frame([(1, 2567, 4, 83.87), (1, 2568, 4, 90.0), (1, 2567, 9, 82.5)], SCORE_COLUMNS)
    measures = frame(
        [
            (1, 2568, 4, "improve", "done"),
            (1, 2568, 4, "improve", "cancelled"),
            (1, 2568, 9, "improve", "done"),
        ],
        MEASURE_COLUMNS,
    )
    table = analytics.organisation_before_after(scores, measures, 1, 2568).set_index("indicator")
    assert table.loc[4, ["measures", "done"]].tolist() == [2, 1]
    assert table.loc[4, "change"] == pytest.approx(6.13)
    assert math.isnan(table.loc[9, "after"]) and math.isnan(table.loc[9, "change"])  # 2568 not in yet
    assert analytics.organisation_before_after(scores, measures, 2, 2568).empty


def agency_with_last_years_measures(client):
    """An organisation whose indicator 4 went from 80.00 (2567) to 90.50 (2568), with the plan for
    2568 holding two measures on it (one done, one cancelled); its working group logged in.
    Returns the 2568 assessment."""
    from assessments.choices import Role
    from measures.choices import MeasureStatus
    from tests.factories import (
        KHOKMON_2568,
        MeasureFactory,
        MeasurePlanFactory,
        OrganisationFactory,
        make_assessment,
        member,
    )

    organisation = OrganisationFactory()
    weaker = list(KHOKMON_2568)
    weaker[3] = "80.00"  # indicator 4 in 2567
    before = make_assessment(organisation, year=2567, indicators=weaker)
    plan = MeasurePlanFactory(assessment=before)  # the plan for 2568, made from the 2567 result
    MeasureFactory(plan=plan, number=4, status=MeasureStatus.DONE, percent=100)
    MeasureFactory(plan=plan, number=4, status=MeasureStatus.CANCELLED, cancel_reason="รวมกับมาตรการอื่น")
    improved = list(KHOKMON_2568)
    improved[3] = "90.50"
    client.force_login(member(organisation, Role.WORKING_GROUP))
    return make_assessment(organisation, year=2568, indicators=improved)


@pytest.mark.django_db
def test_the_analysis_page_shows_last_years_measures_and_the_change(client):
    from django.urls import reverse

    after = agency_with_last_years_measures(client)
    response = client.get(reverse("assessments:assessment-analysis", args=[after.pk]))
    page = response.content.decode()
    section = page[page.index('id="last-year"') :]
    section = section[: section.index("</section>")]
    assert "มาตรการปีที่แล้ว: แผนปี 2568" in section and "ไม่ใช่ข้อพิสูจน์" in section
    assert 'data-label="มาตรการ">2</td>' in section and 'data-label="แล้วเสร็จ">1</td>' in section
    from decimal import Decimal

    from assessments.models import IndicatorScore

    before = IndicatorScore.objects.get(
        assessment__organisation=after.organisation, assessment__fiscal_year__year=2567, indicator__number=4
    ).score
    change = after.indicator_scores.get(indicator__number=4).score - before
    assert change == Decimal("10.50") and "+10.50" in section


@pytest.mark.django_db
def test_the_analysis_report_prints_the_agencys_own_before_and_after(client):
    from django.urls import reverse

    from tests.factories import MeasureFactory, MeasurePlanFactory

    plan = MeasurePlanFactory(assessment=agency_with_last_years_measures(client))
    MeasureFactory(plan=plan, number=9)
    html = client.get(reverse("reports:document-html", args=[plan.pk, "analysis"])).content.decode()
    section = html[html.index('id="last-year"') :]
    assert "ผลของมาตรการปีงบประมาณ พ.ศ. ๒๕๖๘" in section  # the document's Thai digits
    assert "+๑๐.๕๐" in section and "ไม่ใช่ข้อพิสูจน์" in section
