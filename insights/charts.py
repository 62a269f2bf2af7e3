"""The overseers' charts (``reports.charts``) from the frames of their pages."""

from __future__ import annotations

from assessments import analytics

from . import dashboard


def dashboard_charts(found, charts) -> dict[str, str]:
    """The dashboard's SVG charts (``reports.charts``) from its frames; a chart without data is ""."""
    drawn = {}
    years = [found.previous, found.year]
    if found.summary["count"].sum():
        drawn["bands"] = charts.bands_chart(
            list(found.bands.index), {year: [int(v) for v in found.bands[year]] for year in years}
        )
        drawn["levels"] = charts.levels_chart(
            {
                year: [
                    (r.level, int(r.count)) for r in found.levels[found.levels["year"] == year].itertuples()
                ]
                for year in years
                if (found.levels["year"] == year).any()
            }
        )
    numbers = [c for c in found.heat.columns if c != "organisations"]
    if len(found.heat):
        names = dashboard.GROUP_NAMES.get(found.heat.index.name, {})
        drawn["heat"] = charts.heat_map(
            [names.get(name, name) for name in found.heat.index],
            numbers,
            found.heat[numbers].to_numpy().tolist(),
            found.target,
        )
    if len(found.trend):
        drawn["trend"] = charts.indicator_trend_chart(
            list(found.trend.columns), {int(n): row.tolist() for n, row in found.trend.iterrows()}
        )
    return drawn


def effect_chart(effect, charts) -> str:
    """Each indicator's groups as points with their interval (only groups large enough)."""

    shown = effect.table[effect.table["shown"]]
    if shown.empty:
        return ""
    indicators = sorted(int(i) for i in effect.table["indicator"].unique())
    groups = {}
    for group in (analytics.DONE, analytics.NOT_DONE, analytics.NONE):
        own = shown[shown["group"] == group].set_index("indicator")
        if own.empty:
            continue
        groups[group] = [
            (float(own.at[i, "mean"]), float(own.at[i, "low"]), float(own.at[i, "high"]))
            if i in own.index
            else None
            for i in indicators
        ]
    return charts.effect_chart(indicators, groups, analytics.GROUP_LABELS)
