"""Last year's measures beside this year's result: what was planned for each indicator and how it moved."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Assessment, Indicator, IndicatorScore

from ..models import Measure


@dataclass(frozen=True)
class LastYearRow:
    indicator: Indicator | None
    measures: int
    done: int
    before: float | None
    after: float | None
    change: float | None


def last_year_measures(assessment: Assessment) -> list[LastYearRow]:
    """ "มาตรการปีที่แล้ว" for the analysis page: the indicators the organisation's plan for this
    assessment's year (made from the year before's result) had measures on, how many were done,
    and the indicator's score the year before and this year (two queries, then pandas)."""
    import pandas as pd

    from assessments import analytics

    organisation = assessment.organisation_id
    year = assessment.fiscal_year.year
    scores = pd.DataFrame(
        [
            (organisation, y, number, float(score))
            for y, number, score in IndicatorScore.objects.filter(
                assessment__organisation=organisation, assessment__fiscal_year__year__in=(year - 1, year)
            ).values_list("assessment__fiscal_year__year", "indicator__number", "score")
        ],
        columns=["organisation", "year", "indicator", "score"],
    )
    measures = pd.DataFrame(
        list(
            Measure.objects.filter(
                plan__assessment__organisation=organisation, plan__plan_year=year
            ).values_list(
                "plan__assessment__organisation_id", "plan__plan_year", "indicator__number", "kind", "status"
            )
        ),
        columns=["organisation", "plan_year", "indicator", "kind", "status"],
    )
    table = analytics.organisation_before_after(scores, measures, organisation, year)
    indicators = {ind.number: ind for ind in assessment.fiscal_year.indicators.all()}

    def value(x):
        return None if pd.isna(x) else round(float(x), 2)

    return [
        LastYearRow(
            indicator=indicators.get(int(row.indicator)),
            measures=int(row.measures),
            done=int(row.done),
            before=value(row.before),
            after=value(row.after),
            change=value(row.change),
        )
        for row in table.itertuples()
    ]
