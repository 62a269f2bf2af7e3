"""What the numbers say across agencies and years, in pandas: DataFrames in, DataFrames out.

Pure like ``scoring``: no Django import (a test checks), so every statistic is tested on small
hand-made frames. The selectors read plain rows with ``values_list`` and build the frames:

- ``scores``: one row per organisation, year and indicator — columns ``organisation``,
  ``year``, ``indicator``, ``score`` (float: these are statistics over published two-decimal
  scores, printed rounded; no score the portal publishes is computed here);
- ``measures``: one row per measure — ``organisation``, ``plan_year``, ``indicator``, ``kind``
  (``improve``/``keep``) and ``status`` (its final status: ``done``, ``cancelled``, …; a measure
  not done by its plan's year end was late, and counts as not done).

**Did the measures work?** For an indicator and a pair of years N → N+1, organisations fall
into groups by their plan for N+1 (made from the result of N): an improvement measure on that
indicator that was *done*; one that was not (cancelled, late or still open); *none*. Each
group's mean change of the indicator's score from N to N+1 is given with a 95 % t interval
(mean ± t(0.975, n−1) · s/√n), and only when the group has at least ``min_group``
organisations. It is an association between carrying a measure out and the score moving,
not a proof that the measure moved it (those who plan also differ in other ways).
"""

from __future__ import annotations

import math

import pandas as pd

DONE = "done"
NOT_DONE = "not_done"
NONE = "none"
GROUP_LABELS = {
    DONE: "มีมาตรการปรับปรุงที่ดำเนินการแล้วเสร็จ",
    NOT_DONE: "มีมาตรการแต่ไม่แล้วเสร็จ (ยกเลิก ล่าช้า หรือยังไม่เสร็จ)",
    NONE: "ไม่มีมาตรการปรับปรุงตัวชี้วัดนี้",
}
ASSOCIATION_NOTE = "เป็นความสัมพันธ์ระหว่างการดำเนินมาตรการกับการเปลี่ยนแปลงของคะแนน ไม่ใช่ข้อพิสูจน์ว่ามาตรการทำให้คะแนนเปลี่ยน"

# Two-sided 95 % critical values of Student's t by degrees of freedom (standard tables);
# between listed values the value is interpolated in 1/df, which is exact to three decimals.
_T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
    10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110,
    18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060,
    26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980,
}  # fmt: skip
_Z_975 = 1.960


def t_critical(df: int) -> float:
    """The 97.5th percentile of Student's t with ``df`` degrees of freedom (≥ 1)."""
    if df < 1:
        raise ValueError(df)
    if df in _T_975:
        return _T_975[df]
    known = sorted(_T_975)
    if df > known[-1]:
        low, high, t_low, t_high = known[-1], math.inf, _T_975[known[-1]], _Z_975
    else:
        high = next(k for k in known if k > df)
        low = max(k for k in known if k < df)
        t_low, t_high = _T_975[low], _T_975[high]
    # Linear in 1/df between the two listed values (1/inf = 0).
    share = (1 / low - 1 / df) / (1 / low - (0 if high == math.inf else 1 / high))
    return t_low + (t_high - t_low) * share


def mean_interval(values: pd.Series) -> tuple[float, float, float]:
    """Mean and its 95 % t interval; the interval is NaN with fewer than two values."""
    values = values.dropna()
    mean = float(values.mean()) if len(values) else math.nan
    if len(values) < 2:
        return mean, math.nan, math.nan
    half = t_critical(len(values) - 1) * float(values.std(ddof=1)) / math.sqrt(len(values))
    return mean, mean - half, mean + half


def score_changes(scores: pd.DataFrame) -> pd.DataFrame:
    """Each organisation's change of each indicator from a year to the next one it was assessed:
    columns ``organisation``, ``indicator``, ``year`` (N), ``next_year`` (N+1), ``change``.
    Only consecutive years count (a gap year is not N → N+1)."""
    frame = scores[["organisation", "year", "indicator", "score"]]
    later = frame.rename(columns={"year": "next_year", "score": "next_score"})
    later = later.assign(year=later["next_year"] - 1)
    pairs = frame.merge(later, on=["organisation", "indicator", "year"], how="inner")
    pairs = pairs.assign(change=pairs["next_score"] - pairs["score"])
    return pairs[["organisation", "indicator", "year", "next_year", "change"]].reset_index(drop=True)


def measure_groups(measures: pd.DataFrame) -> pd.DataFrame:
    """Per organisation, plan year and indicator: DONE when an improvement measure on it was done,
    else NOT_DONE when there was one (cancelled, late, open). Organisations with no improvement
    measure on the indicator are not listed (they are NONE)."""
    improve = measures[measures["kind"] == "improve"]
    if improve.empty:
        return pd.DataFrame(columns=["organisation", "plan_year", "indicator", "group"])
    flagged = improve.assign(done=improve["status"] == "done")
    grouped = flagged.groupby(["organisation", "plan_year", "indicator"], as_index=False)["done"].any()
    grouped["group"] = grouped["done"].map({True: DONE, False: NOT_DONE})
    return grouped[["organisation", "plan_year", "indicator", "group"]]


def measure_effect(scores: pd.DataFrame, measures: pd.DataFrame, *, min_group: int = 20) -> pd.DataFrame:
    """For each indicator and year pair N → N+1, the change of the score in each group (DONE,
    NOT_DONE, NONE by the plan for N+1): ``size``, ``mean``, ``low``, ``high`` and ``shown``
    (False below ``min_group``: mean and interval are then NaN, the size still given)."""
    changes = score_changes(scores)
    groups = measure_groups(measures)
    joined = changes.merge(
        groups.rename(columns={"plan_year": "next_year"}),
        on=["organisation", "next_year", "indicator"],
        how="left",
    )
    joined["group"] = joined["group"].fillna(NONE)
    rows = []
    for (indicator, year, group), part in joined.groupby(["indicator", "year", "group"], sort=True):
        size = len(part)
        shown = size >= min_group
        mean, low, high = mean_interval(part["change"]) if shown else (math.nan, math.nan, math.nan)
        rows.append(
            {
                "indicator": int(indicator),
                "year": int(year),
                "next_year": int(year) + 1,
                "group": group,
                "size": size,
                "mean": mean,
                "low": low,
                "high": high,
                "shown": shown,
            }
        )
    columns = ["indicator", "year", "next_year", "group", "size", "mean", "low", "high", "shown"]
    return pd.DataFrame(rows, columns=columns)


def organisation_before_after(
    scores: pd.DataFrame, measures: pd.DataFrame, organisation: int, plan_year: int
) -> pd.DataFrame:
    """One organisation's "มาตรการปีที่แล้ว": each indicator its plan for ``plan_year`` had measures
    on, the measures' final statuses, and the indicator's score in ``plan_year − 1`` and
    ``plan_year`` with the change (NaN while the later result is not in)."""
    own = measures[(measures["organisation"] == organisation) & (measures["plan_year"] == plan_year)]
    if own.empty:
        return pd.DataFrame(columns=["indicator", "measures", "done", "before", "after", "change"])
    summary = own.groupby("indicator").agg(
        measures=("status", "size"), done=("status", lambda s: int((s == "done").sum()))
    )
    mine = scores[scores["organisation"] == organisation].set_index(["year", "indicator"])["score"]
    summary["before"] = [mine.get((plan_year - 1, i), math.nan) for i in summary.index]
    summary["after"] = [mine.get((plan_year, i), math.nan) for i in summary.index]
    summary["change"] = summary["after"] - summary["before"]
    return summary.reset_index()


# --- The overseer's dashboard: one fiscal year across many organisations -------------------------
#
# Frames (built by ``insights.dashboard`` from plain rows):
# - ``organisations``: ``organisation``, ``name``, ``province``, ``org_type``, ``size_class``;
# - ``results``: ``organisation``, ``year``, ``overall`` (NaN without a result), ``level_order``,
#   ``level`` (the level's label), ``targets_met`` (True/False, None without a result);
# - ``scores`` as above, with ``tool`` (the indicator's tool code) where tool scores are needed.

# Bands of the overall score: [low, high) except the last, which takes 100.
BANDS = (0, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100)


def band_labels(bands=BANDS) -> list[str]:
    labels = [f"ต่ำกว่า {bands[1]}"]
    labels += [f"{low}–{high - 0.01:.2f}" for low, high in zip(bands[1:-2], bands[2:-1], strict=True)]
    labels.append(f"{bands[-2]}–{bands[-1]}")
    return labels


def overall_bands(results: pd.DataFrame, years, bands=BANDS) -> pd.DataFrame:
    """How many organisations had an overall score in each band, one column per year (0 where none);
    index: the band labels, lowest first."""
    rated = results[results["year"].isin(years) & results["overall"].notna()]
    # [low, high): 84.99 is in 80–84.99 and 85.00 in 85–89.99; 100 goes into the last band.
    edges = [*bands[:-1], math.inf]
    band = pd.cut(rated["overall"], edges, right=False, labels=band_labels(bands))
    table = pd.crosstab(band, rated["year"]).reindex(
        index=band_labels(bands), columns=list(years), fill_value=0
    )
    table.index.name, table.columns.name = "band", None
    return table.astype(int)


def overall_summary(results: pd.DataFrame, years) -> pd.DataFrame:
    """Per year: organisations with a result, mean and median overall; index: the years."""
    rated = results[results["year"].isin(years) & results["overall"].notna()]
    table = rated.groupby("year")["overall"].agg(count="size", mean="mean", median="median")
    return table.reindex(list(years)).fillna({"count": 0}).astype({"count": int})


def level_counts(results: pd.DataFrame, years) -> pd.DataFrame:
    """Organisations per level and year (levels are a year's own: 2565's AA is not 2567's
    ผ่านดีเยี่ยม): ``year``, ``level_order``, ``level``, ``count``, ``share`` (of the year's rated)."""
    rated = results[results["year"].isin(years) & results["level"].notna()]
    table = (
        rated.groupby(["year", "level_order", "level"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )
    totals = table.groupby("year")["count"].transform("sum")
    table["share"] = table["count"] / totals
    return table.sort_values(["year", "level_order"]).reset_index(drop=True)


def indicator_means_by(scores: pd.DataFrame, organisations: pd.DataFrame, year: int, by: str) -> pd.DataFrame:
    """The mean of each indicator in ``year`` by ``by`` (``province``, ``org_type`` or
    ``size_class``): one row per group (sorted by name), one column per indicator number, and
    ``organisations`` (how many were assessed in the group)."""
    own = scores[scores["year"] == year].merge(organisations[["organisation", by]], on="organisation")
    table = own.pivot_table(index=by, columns="indicator", values="score", aggfunc="mean")
    table.columns = [int(c) for c in table.columns]
    table["organisations"] = own.groupby(by)["organisation"].nunique()
    table.index.name = by
    return table.sort_index()


def indicator_trend(scores: pd.DataFrame) -> pd.DataFrame:
    """The mean of each indicator number in each year: rows the indicators, columns the years."""
    table = scores.pivot_table(index="indicator", columns="year", values="score", aggfunc="mean")
    table.columns = [int(c) for c in table.columns]
    table.index = [int(i) for i in table.index]
    table.index.name = "indicator"
    return table


def indicators_below(scores: pd.DataFrame, year: int, target: float) -> pd.DataFrame:
    """Per indicator of ``year``: ``assessed``, ``below`` (scores under ``target``), ``share`` and
    ``mean``, the most often below first (then by indicator number)."""
    own = scores[scores["year"] == year]
    table = own.groupby("indicator").agg(
        assessed=("score", "size"), below=("score", lambda s: int((s < target).sum())), mean=("score", "mean")
    )
    table["share"] = table["below"] / table["assessed"]
    table = table.reset_index().astype({"indicator": int})
    return table.sort_values(["share", "indicator"], ascending=[False, True]).reset_index(drop=True)


def items_below(counts: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """From per-item counts (``code``, ``text``, ``indicator``, ``assessed``, ``below``, as the
    database counts them), the ``limit`` items most often below target with their ``share``."""
    table = counts[counts["assessed"] > 0].copy()
    table["share"] = table["below"] / table["assessed"]
    table = table.sort_values(["share", "below", "code"], ascending=[False, False, True])
    return table.head(limit).reset_index(drop=True)


def movers(results: pd.DataFrame, year: int, limit: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The organisations whose overall rose and fell most from the year before to ``year``:
    ``organisation``, ``before``, ``after``, ``change``; risers largest rise first, fallers
    largest fall first (ties by organisation). Only those with a result in both years."""
    before = results[(results["year"] == year - 1) & results["overall"].notna()]
    after = results[(results["year"] == year) & results["overall"].notna()]
    pairs = before[["organisation", "overall"]].merge(
        after[["organisation", "overall"]], on="organisation", suffixes=("_before", "_after")
    )
    pairs = pairs.rename(columns={"overall_before": "before", "overall_after": "after"})
    # In hundredths, so 0.1 + 0.2 style float noise cannot reorder equal changes.
    pairs["change"] = ((pairs["after"] * 100).round() - (pairs["before"] * 100).round()) / 100
    risers = pairs[pairs["change"] > 0].sort_values(["change", "organisation"], ascending=[False, True])
    fallers = pairs[pairs["change"] < 0].sort_values(["change", "organisation"], ascending=[True, True])
    return risers.head(limit).reset_index(drop=True), fallers.head(limit).reset_index(drop=True)


def tool_scores(scores: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each organisation's tool scores in ``year`` as the portal computes them — the plain mean of the
    tool's indicators, rounded half up to two decimals — in exact hundredths: ``organisation``,
    ``tool``, ``hundredths`` (an int: 8500 is 85.00)."""
    own = scores[scores["year"] == year]
    cents = (own["score"] * 100).round().astype("int64")  # scores are published to two decimals
    grouped = own.assign(cents=cents).groupby(["organisation", "tool"])["cents"].agg(["sum", "size"])
    # round half up of sum / size in integers: floor((2·sum + size) / (2·size)), scores are ≥ 0
    hundredths = (2 * grouped["sum"] + grouped["size"]) // (2 * grouped["size"])
    return hundredths.rename("hundredths").reset_index()


def target_shares(
    results: pd.DataFrame,
    scores: pd.DataFrame,
    year: int,
    *,
    target_overall: float,
    target_tool: float | None,
    tool_order: list[str],
) -> pd.DataFrame:
    """The share of organisations assessed in ``year`` meeting each of its targets: the overall
    target, each tool's (where the year sets one) and all the year's targets together (as stored
    with each result, EIT parts included): ``target`` (a Thai label), ``value``, ``assessed``,
    ``met``, ``share``."""
    rated = results[(results["year"] == year) & results["overall"].notna()]
    rows = [
        {
            "target": "คะแนนภาพรวม",
            "value": target_overall,
            "assessed": len(rated),
            "met": int((((rated["overall"] * 100).round()) >= round(target_overall * 100)).sum()),
        }
    ]
    if target_tool is not None:
        tools = tool_scores(scores[scores["organisation"].isin(rated["organisation"])], year)
        for code in tool_order:
            own = tools[tools["tool"] == code]
            rows.append(
                {
                    "target": f"คะแนน {code}",
                    "value": target_tool,
                    "assessed": len(own),
                    "met": int((own["hundredths"] >= round(target_tool * 100)).sum()),
                }
            )
    judged = rated[rated["targets_met"].notna()]
    rows.append(
        {
            "target": "ครบทุกค่าเป้าหมายของปี",
            "value": math.nan,
            "assessed": len(judged),
            "met": int(judged["targets_met"].astype(bool).sum()),
        }
    )
    table = pd.DataFrame(rows, columns=["target", "value", "assessed", "met"])
    table["share"] = (table["met"] / table["assessed"]).where(table["assessed"] > 0)
    return table
