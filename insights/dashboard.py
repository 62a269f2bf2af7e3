"""The overseer's dashboard and "did the measures work?": the reads (selectors) behind them.

Plain rows are read with ``values_list`` in a fixed number of queries, whatever the number of
organisations, and turned into the frames ``assessments.analytics`` computes on:

- scores are read without joins for their labels (ids are mapped to years and indicator numbers
  through small arrays, as the year export does), in exact hundredths computed by the
  database, a chunk at a time into NumPy arrays: 664,000 national indicator scores take a few
  MB instead of the 140 MB of a list of ``Decimal`` rows;
- what counts per item (questions and OIT items below target) is counted by the database.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q
from django.db.models.functions import Cast, Round

from assessments import analytics
from assessments.choices import OrganisationType, SizeClass
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Organisation,
    Question,
    QuestionScore,
    RatingLevel,
)
from ita_portal.permissions import Action
from ita_portal.snapshot import snapshot
from measures.filters import OrganisationFilter

SCORE_CHUNK = 50_000
GROUPINGS = {
    "province": "จังหวัด",
    "org_type": "ประเภทหน่วยงาน",
    "size_class": "ขนาด",
}
GROUP_NAMES = {
    "org_type": dict(OrganisationType.choices),
    "size_class": {**dict(SizeClass.choices), "": "ไม่ระบุขนาด"},
}


@dataclass(frozen=True)
class DashboardFilter(OrganisationFilter):
    """The organisations asked for, by the lists' own rule (province, type, size; empty strings ask
    for all), and the heat map's grouping."""

    by: str = "province"

    def __bool__(self) -> bool:
        return bool(self.q())

    def q(self) -> Q:
        return self.organisation_q()


def organisations_in_scope(user, filters: DashboardFilter):
    """The organisations the user follows (``overview.view``), narrowed by the filters."""
    return Organisation.objects.permitting(user, Action.OVERVIEW_VIEW).filter(filters.q())


def dashboard_years(user) -> list[int]:
    """The years with at least one result among the organisations the user follows, newest first."""
    followed = Organisation.objects.permitting(user, Action.OVERVIEW_VIEW)
    # One EXISTS per fiscal year, each stopping at its first result (the (year, overall) index),
    # rather than every assessment of the country joined to its year and made distinct.
    with_result = Assessment.objects.filter(
        followed.as_filter("organisation"), fiscal_year=OuterRef("pk"), overall__isnull=False
    )
    return list(
        FiscalYear.objects.filter(Exists(with_result)).order_by("-year").values_list("year", flat=True)
    )


@dataclass
class Frames:
    """Everything the statistics need, as plain frames and small maps."""

    organisations: pd.DataFrame
    results: pd.DataFrame
    scores: pd.DataFrame
    indicators: dict[tuple[int, int], str]  # (year, number) → the indicator's name
    tools: dict[int, list[str]]  # year → its tool codes in order
    targets: dict[int, tuple[float, float | None]]  # year → (overall target, tool target)


def read_frames(scope, *, years=None) -> Frames:
    """The organisations of ``scope``, their results and their indicator scores (of ``years``, or
    every year) — six queries, seeing one snapshot of the database (a result saved meanwhile is
    read whole or not at all)."""
    with snapshot():
        return _read_frames(scope, years)


def _read_frames(scope, years) -> Frames:
    organisations = pd.DataFrame(
        list(scope.values_list("pk", "name", "province", "org_type", "size_class")),
        columns=["organisation", "name", "province", "org_type", "size_class"],
    )
    fiscal_years = list(FiscalYear.objects.values_list("pk", "year", "target_overall", "target_tool"))
    year_of = {pk: year for pk, year, _overall, _tool in fiscal_years}
    targets = {
        year: (float(overall), None if tool is None else float(tool))
        for _pk, year, overall, tool in fiscal_years
    }
    levels = {
        pk: (order, label) for pk, order, label in RatingLevel.objects.values_list("pk", "order", "label")
    }
    indicator_rows = list(
        Indicator.objects.values_list("pk", "fiscal_year_id", "number", "name", "tool__code", "tool__order")
    )
    indicator_of = {pk: (year_of[fy], number, code) for pk, fy, number, _name, code, _order in indicator_rows}
    tools: dict[int, list[tuple[int, str]]] = {}
    for _pk, fy, _number, _name, code, order in indicator_rows:
        tools.setdefault(year_of[fy], [])
        if (order, code) not in tools[year_of[fy]]:
            tools[year_of[fy]].append((order, code))

    assessments = Assessment.objects.filter(organisation__in=scope)
    if years is not None:
        assessments = assessments.filter(fiscal_year__year__in=years)
    rows = list(
        assessments.values_list(
            "pk", "organisation_id", "fiscal_year_id", "overall", "level_id", "targets_met"
        )
    )
    results = pd.DataFrame(
        {
            "assessment": [r[0] for r in rows],
            "organisation": [r[1] for r in rows],
            "year": [year_of[r[2]] for r in rows],
            "overall": pd.array([None if r[3] is None else float(r[3]) for r in rows], dtype="float64"),
            "level_order": [levels[r[4]][0] if r[4] else None for r in rows],
            "level": [levels[r[4]][1] if r[4] else None for r in rows],
            "targets_met": [r[5] for r in rows],
        }
    )
    scores = _indicator_scores(assessments, results, indicator_of)
    return Frames(
        organisations=organisations,
        results=results,
        scores=scores,
        indicators={(year_of[fy], number): name for _pk, fy, number, name, _code, _order in indicator_rows},
        tools={year: [code for _order, code in sorted(codes)] for year, codes in tools.items()},
        targets=targets,
    )


def _indicator_scores(assessments, results: pd.DataFrame, indicator_of) -> pd.DataFrame:
    """``organisation``, ``year``, ``indicator``, ``tool``, ``score`` for every entered score of
    ``assessments``: the ORM's query for (assessment id, indicator id, hundredths) run on a plain
    cursor a chunk at a time into NumPy arrays (Django's per-row converters cost more than the
    query at 664,000 rows), the ids then looked up in arrays."""
    query = (
        IndicatorScore.objects.filter(assessment__in=assessments.values("pk"), score__isnull=False)
        .annotate(hundredths=Cast(Round(F("score") * 100), IntegerField()))
        .values_list("assessment_id", "indicator_id", "hundredths")
    )
    sql, params = query.query.sql_with_params()
    chunks = [np.empty((0, 3), dtype=np.int64)]
    # On PostgreSQL a server-side cursor (inside a transaction, so not WITH HOLD, which would copy
    # the whole result first): rows cross a chunk at a time instead of all being held in libpq.
    with transaction.atomic(using=query.db), connections[query.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(SCORE_CHUNK):
            chunks.append(np.array(rows, dtype=np.int64))
    flat = np.concatenate(chunks)
    del chunks
    # Assessment id → organisation and year, indicator id → number and tool, by array lookups
    # (no per-row Python, no object arrays). Scores of an assessment the results do not hold are
    # left out: with the snapshot there are none, but a missing row must never index out of range.
    ids = results["assessment"].to_numpy()
    flat = flat[np.isin(flat[:, 0], ids)]
    order = np.argsort(ids)
    at = order[np.searchsorted(ids, flat[:, 0], sorter=order)]
    size = max(indicator_of, default=0) + 1
    numbers = np.zeros(size, dtype=np.int16)
    codes = sorted({code for _year, _number, code in indicator_of.values()})
    tool_codes = np.zeros(size, dtype=np.int8)
    for pk, (_year, number, code) in indicator_of.items():
        numbers[pk], tool_codes[pk] = number, codes.index(code)
    return pd.DataFrame(
        {
            "organisation": results["organisation"].to_numpy(dtype=np.int32)[at],
            "year": results["year"].to_numpy(dtype=np.int16)[at],
            "indicator": numbers[flat[:, 1]],
            "tool": pd.Categorical.from_codes(tool_codes[flat[:, 1]], categories=codes),
            "score": flat[:, 2] / 100,
        }
    )


def item_counts(scope, year: int, target: float) -> pd.DataFrame:
    """Per question or OIT item of ``year``: how many organisations of ``scope`` have a score for
    it and how many are below ``target`` (counted by the database; two queries)."""
    counted = dict(
        (pk, (assessed, below))
        for pk, assessed, below in QuestionScore.objects.filter(
            assessment__organisation__in=scope, assessment__fiscal_year__year=year, score__isnull=False
        )
        .values("question_id")
        .annotate(assessed=Count("pk"), below=Count("pk", filter=Q(score__lt=target)))
        .values_list("question_id", "assessed", "below")
    )
    questions = Question.objects.filter(pk__in=list(counted)).values_list(
        "pk", "code", "text", "indicator__number"
    )
    return pd.DataFrame(
        [(code, text, number, *counted[pk]) for pk, code, text, number in questions],
        columns=["code", "text", "indicator", "assessed", "below"],
    )


@dataclass
class Dashboard:
    """One fiscal year across the organisations asked for: each table a DataFrame (see
    ``assessments.analytics``) that the page prints and the .xlsx downloads."""

    year: int
    previous: int
    organisations: int
    summary: pd.DataFrame
    bands: pd.DataFrame
    levels: pd.DataFrame
    heat: pd.DataFrame
    trend: pd.DataFrame
    below: pd.DataFrame
    items: pd.DataFrame
    risers: pd.DataFrame
    fallers: pd.DataFrame
    targets: pd.DataFrame
    indicator_names: dict[int, str] = field(default_factory=dict)
    target: float = 85.0


def frames_of_years(scope, years: tuple[int, ...], kept_year=None) -> Frames:
    """``read_frames`` of ``years``, read a year at a time — or, with ``kept_year(part, year,
    compute)``, as kept for each year (``insights.kept``): after a change to this year's scores the
    year before is not read again."""
    parts = []
    for year in years:

        def compute(year=year):
            return _read_frames(scope, [year])

        parts.append(kept_year("frames", year, compute) if kept_year else compute())
    first = parts[0]
    return dataclasses.replace(
        first,
        results=pd.concat([part.results for part in parts], ignore_index=True),
        scores=pd.concat([part.scores for part in parts], ignore_index=True),
    )


def yearly_trend(scope, frames: Frames, shown: tuple[int, ...], kept_year=None) -> pd.DataFrame:
    """The mean of each indicator in each year (``analytics.indicator_trend``), a year at a time:
    the years ``shown`` from the page's own frames, every other year read alone — or, with
    ``kept_year``, as kept for that year, so that a change to this year's scores does not read the
    seven years before again."""
    columns = []
    for year in sorted(frames.targets):
        if year in shown:
            column = analytics.indicator_trend(frames.scores[frames.scores["year"] == year])
        else:

            def compute(year=year):
                return year_means(scope, year)

            column = kept_year("trend", year, compute) if kept_year else compute()
        if len(column.columns) and len(column):  # a year without scores is no column
            columns.append(column)
    if not columns:
        return analytics.indicator_trend(frames.scores.iloc[0:0])
    trend = pd.concat(columns, axis=1).sort_index()
    trend.index.name = "indicator"
    return trend


def year_means(scope, year: int) -> pd.DataFrame:
    """The mean of each indicator in ``year`` over ``scope``, averaged by the database (one query,
    no rows carried out): the column ``analytics.indicator_trend`` makes of that year's scores."""
    means = (
        IndicatorScore.objects.filter(
            assessment__organisation__in=scope, assessment__fiscal_year__year=year, score__isnull=False
        )
        .order_by()
        .values_list("indicator__number")
        .annotate(mean=Avg("score"))
    )
    column = pd.DataFrame({year: {int(number): float(mean) for number, mean in means}})
    column.index.name = "indicator"
    return column


@snapshot()
def dashboard(user, year: int, filters: DashboardFilter, *, kept_year=None) -> Dashboard:
    """The dashboard of ``year`` for the organisations ``user`` follows, narrowed by ``filters``:
    the year and the one before read whole (a fixed number of queries, whatever the number of
    organisations), the other years' indicator means a year at a time (``yearly_trend``), all
    seeing one snapshot of the database."""
    scope = organisations_in_scope(user, filters)
    frames = frames_of_years(scope, (year - 1, year), kept_year)
    target_overall, target_tool = frames.targets.get(year, (85.0, None))
    target = target_tool if target_tool is not None else target_overall
    years = (year - 1, year)
    risers, fallers = analytics.movers(frames.results, year, limit=settings.DASHBOARD_MOVERS)
    names = frames.organisations.set_index("organisation")[["name", "province"]]
    return Dashboard(
        year=year,
        previous=year - 1,
        organisations=len(frames.organisations),
        summary=analytics.overall_summary(frames.results, years),
        bands=analytics.overall_bands(frames.results, years),
        levels=analytics.level_counts(frames.results, years),
        heat=analytics.indicator_means_by(frames.scores, frames.organisations, year, filters.by),
        trend=yearly_trend(scope, frames, (year - 1, year), kept_year),
        below=analytics.indicators_below(frames.scores, year, target),
        items=analytics.items_below(item_counts(scope, year, target), limit=settings.DASHBOARD_ITEMS),
        risers=risers.join(names, on="organisation"),
        fallers=fallers.join(names, on="organisation"),
        targets=analytics.target_shares(
            frames.results,
            frames.scores,
            year,
            target_overall=target_overall,
            target_tool=target_tool,
            tool_order=frames.tools.get(year, []),
        ),
        indicator_names={number: name for (y, number), name in frames.indicators.items() if y == year},
        target=target,
    )
