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
    response = client.get(reverse("assessment-analysis", args=[after.pk]))
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


# --- The overseer's dashboard, on hand-made frames ------------------------------------------------

RESULT_COLUMNS = ["organisation", "year", "overall", "level_order", "level", "targets_met"]
ORG_COLUMNS = ["organisation", "name", "province", "org_type", "size_class"]
TOOL_SCORE_COLUMNS = ["organisation", "year", "indicator", "tool", "score"]


def dashboard_frames():
    """Five organisations over 2568 and 2569 (organisation 4 has no result, 5 only one in 2569);
    a small framework: IIT = indicators 1 and 2, EIT = 3, OIT = 4."""
    results = frame(
        [
            (1, 2568, 84.99, 4, "ต้องปรับปรุง", False),
            (2, 2568, 85.00, 3, "ผ่าน", True),
            (3, 2568, 100.00, 1, "ผ่านดีเยี่ยม", True),
            (4, 2568, math.nan, None, None, None),
            (1, 2569, 90.00, 2, "ผ่านดี", True),
            (2, 2569, 80.50, 4, "ต้องปรับปรุง", False),
            (3, 2569, 99.99, 1, "ผ่านดีเยี่ยม", False),
            (5, 2569, 49.99, 5, "ต้องปรับปรุงโดยด่วน", False),
        ],
        RESULT_COLUMNS,
    )
    tools = {1: "IIT", 2: "IIT", 3: "EIT", 4: "OIT"}
    values_2569 = {
        1: (84.99, 85.00, 90.00, 84.99),  # IIT (84.99 + 85.00) / 2 = 84.995 → 85.00 half up
        2: (80.00, 89.98, 84.00, 95.00),  # IIT 84.99
        3: (100.00, 100.00, 100.00, 100.00),
        5: (50.00, 50.00, 50.00, 85.00),
    }
    rows = [(1, 2568, 1, "IIT", 70.00)]
    for organisation, values in values_2569.items():
        rows += [(organisation, 2569, n, tools[n], v) for n, v in zip((1, 2, 3, 4), values, strict=True)]
    scores = frame(rows, TOOL_SCORE_COLUMNS)
    organisations = frame(
        [
            (1, "อบต.หนึ่ง", "ตาก", "sao", "S"),
            (2, "อบต.สอง", "ตาก", "sao", "M"),
            (3, "ทต.สาม", "น่าน", "subdistrict_municipality", "S"),
            (4, "อบต.สี่", "น่าน", "sao", ""),
            (5, "อบต.ห้า", "น่าน", "sao", "S"),
        ],
        ORG_COLUMNS,
    )
    return results, scores, organisations


def test_overall_bands_put_each_score_in_its_band_and_100_in_the_last():
    results, _scores, _orgs = dashboard_frames()
    bands = analytics.overall_bands(results, [2568, 2569])
    assert bands.loc["80–84.99"].tolist() == [1, 1]  # 84.99 (2568) and 80.50 (2569)
    assert bands.loc["85–89.99"].tolist() == [1, 0]  # 85.00 is in 85–89.99, not below it
    assert bands.loc["90–94.99"].tolist() == [0, 1]
    assert bands.loc["95–100"].tolist() == [1, 1]  # 100.00 and 99.99
    assert bands.loc["ต่ำกว่า 50"].tolist() == [0, 1]  # 49.99
    assert bands.sum().tolist() == [3, 4]  # the organisation without a result is in no band
    assert list(bands.index) == analytics.band_labels() and len(bands) == 11


def test_overall_summary_counts_means_and_medians_by_hand():
    results, _scores, _orgs = dashboard_frames()
    summary = analytics.overall_summary(results, [2568, 2569])
    assert summary.loc[2568].tolist() == pytest.approx([3, (84.99 + 85 + 100) / 3, 85.00])
    # 2569: 90, 80.50, 99.99, 49.99 → mean 320.48 / 4 = 80.12; median (80.50 + 90) / 2 = 85.25
    assert summary.loc[2569].tolist() == pytest.approx([4, 80.12, 85.25])
    assert analytics.overall_summary(results, [2567]).loc[2567, "count"] == 0


def test_level_counts_are_each_years_own_with_shares():
    results, _scores, _orgs = dashboard_frames()
    levels = analytics.level_counts(results, [2568, 2569])
    assert levels[levels["year"] == 2568][["level", "count"]].values.tolist() == [
        ["ผ่านดีเยี่ยม", 1],
        ["ผ่าน", 1],
        ["ต้องปรับปรุง", 1],
    ]  # best level first
    assert levels[levels["year"] == 2568]["share"].tolist() == pytest.approx([1 / 3] * 3)
    assert levels[levels["year"] == 2569]["share"].tolist() == pytest.approx([0.25] * 4)


def test_indicator_means_by_province_type_and_size():
    _results, scores, organisations = dashboard_frames()
    by_province = analytics.indicator_means_by(scores, organisations, 2569, "province")
    assert by_province.loc["ตาก", 1] == pytest.approx((84.99 + 80.00) / 2)
    assert by_province.loc["น่าน", 1] == pytest.approx((100 + 50) / 2)
    assert by_province["organisations"].tolist() == [2, 2]  # organisation 4 has no scores
    by_size = analytics.indicator_means_by(scores, organisations, 2569, "size_class")
    assert by_size.loc["S", 4] == pytest.approx((84.99 + 100 + 85) / 3)
    assert by_size.loc["M", "organisations"] == 1


def test_indicator_trend_is_the_mean_of_each_number_in_each_year():
    _results, scores, _orgs = dashboard_frames()
    trend = analytics.indicator_trend(scores)
    assert trend.loc[1, 2568] == 70.00
    assert trend.loc[1, 2569] == pytest.approx((84.99 + 80 + 100 + 50) / 4)
    assert math.isnan(trend.loc[2, 2568])  # no indicator 2 score in 2568


def test_indicators_below_target_most_often_first():
    _results, scores, _orgs = dashboard_frames()
    below = analytics.indicators_below(scores, 2569, 85.0)
    # 1: 84.99, 80, 100, 50 → 3 of 4; 3: 90, 84, 100, 50 → 2; 2 and 4: one each (85.00 is not below)
    assert below[["indicator", "below", "assessed"]].values.tolist() == [
        [1, 3, 4],
        [3, 2, 4],
        [2, 1, 4],
        [4, 1, 4],
    ]
    assert below["share"].tolist() == [0.75, 0.5, 0.25, 0.25]


def test_items_below_target_rank_by_share_then_count():
    counts = frame(
        [
            ("i1", "ข้อหนึ่ง", 1, 10, 3),
            ("i2", "ข้อสอง", 1, 4, 3),
            ("e1", "ไม่มีคะแนน", 6, 0, 0),
            ("o1", "ข้อโอ", 9, 8, 6),
        ],
        ["code", "text", "indicator", "assessed", "below"],
    )
    items = analytics.items_below(counts, limit=2)
    assert items["code"].tolist() == ["o1", "i2"]  # both 75 %: the one below in more organisations first
    assert items["share"].tolist() == [0.75, 0.75]


def test_risers_and_fallers_need_both_years():
    results, _scores, _orgs = dashboard_frames()
    risers, fallers = analytics.movers(results, 2569)
    assert risers[["organisation", "change"]].values.tolist() == [[1, 5.01]]  # 84.99 → 90.00
    assert fallers[["organisation", "change"]].values.tolist() == [[2, -4.5], [3, -0.01]]
    assert 5 not in fallers["organisation"].tolist()  # no 2568 result


def test_tool_scores_round_half_up_exactly():
    _results, scores, _orgs = dashboard_frames()
    tools = analytics.tool_scores(scores, 2569).set_index(["organisation", "tool"])["hundredths"]
    # 84.995 is 84.99499… as a float, so round(…, 2) would give 84.99; the portal's rule gives 85.00
    assert tools[(1, "IIT")] == 8500
    assert tools[(2, "IIT")] == 8499
    assert tools[(5, "OIT")] == 8500


def test_the_share_meeting_each_target():
    results, scores, _orgs = dashboard_frames()
    table = analytics.target_shares(
        results, scores, 2569, target_overall=85.0, target_tool=85.0, tool_order=["IIT", "EIT", "OIT"]
    )
    assert table[["target", "assessed", "met"]].values.tolist() == [
        ["คะแนนภาพรวม", 4, 2],  # 90 and 99.99
        ["คะแนน IIT", 4, 2],  # organisation 1 at 85.00 (half up) and 3
        ["คะแนน EIT", 4, 2],  # 90 and 100 (84 misses)
        ["คะแนน OIT", 4, 3],  # 95, 100, 85.00 (84.99 misses)
        ["ครบทุกค่าเป้าหมายของปี", 4, 1],  # as stored with each result
    ]
    assert table["share"].tolist() == [0.5, 0.5, 0.5, 0.75, 0.25]
    without_tool_target = analytics.target_shares(
        results, scores, 2569, target_overall=85.0, target_tool=None, tool_order=["IIT", "EIT", "OIT"]
    )
    assert without_tool_target["target"].tolist() == ["คะแนนภาพรวม", "ครบทุกค่าเป้าหมายของปี"]
