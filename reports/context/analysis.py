"""The analysis and measures report."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject, lazy

from assessments import analysis
from assessments import selectors as assessment_selectors
from measures import selectors as measure_selectors
from measures.models import MeasurePlan

from .. import charts
from ..choices import DocumentKind
from .base import Document, ToolSection, _analysis_of, _header, _sections, _thai_list

CHART_LEGEND = {
    "keep": "ต้องคงมาตรฐาน",
    "improve": "ต้องปรับปรุง/พัฒนา",
    "urgent": "ต้องปรับปรุง/พัฒนาเร่งด่วน",
}


@dataclass(frozen=True)
class AnalysisReport(Document):
    sections: list[ToolSection] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    trend: list[analysis.TrendRow] = field(default_factory=list)
    indicator_chart: str = ""
    trend_chart: str = ""  # only with more than one year
    # Last year's measures and how their indicators' scores moved (assessments.analytics).
    last_year: list = field(default_factory=list)
    # Where the result stands among the same type's in the province (figures only), or None.
    standing: assessment_selectors.PeerStanding | None = None

    @property
    def measure_count(self) -> int:
        return sum(section.measure_count for section in self.sections)

    @property
    def detailed(self) -> list[analysis.IndicatorAnalysis]:
        """The indicators with strengths, points to develop or recommendations to print."""
        return [a for a in self.found.all if a.has_details]

    @property
    def undetailed(self) -> str:
        """The indicators the result gives no item scores or recommendations for, as Thai prose
        ("ตัวชี้วัดที่ 9 และ 10"), or ""."""
        numbers = [str(a.indicator.number) for a in self.found.all if not a.has_details]
        return "ตัวชี้วัดที่ " + _thai_list(numbers) if numbers else ""


def _bar_group(item: analysis.IndicatorAnalysis) -> str:
    if not item.to_improve:
        return "keep"
    return "urgent" if item.urgent else "improve"


def _standing(assessment) -> assessment_selectors.PeerStanding | None:
    """The rank among peers, printed only when there are peers to be ranked among."""
    standing = assessment_selectors.peer_standing(assessment)
    return standing if standing and standing.standing.count > 1 else None


def analysis_report(plan: MeasurePlan, found=None) -> AnalysisReport:
    """The analysis and measures report of a plan (from ``plans_for_documents``)."""
    found, findings = _analysis_of(plan, found)
    years, trend = assessment_selectors.assessment_trend(found.assessment)
    overall_row = trend[-1]  # the trend ends with the overall score
    target = found.fiscal_year.target_overall
    return AnalysisReport(
        kind=DocumentKind.ANALYSIS,
        header=_header(plan, found),
        plan=plan,
        found=found,
        findings=findings,
        sections=_sections(plan, found, with_progress=False),
        years=years,
        trend=trend,
        standing=_standing(found.assessment),
        # Drawn when printed (a page listing documents never pays for matplotlib's ~50 ms a chart).
        indicator_chart=lazy(charts.indicator_chart, str)(
            [charts.Bar(str(a.indicator.number), a.indicator.score, _bar_group(a)) for a in found.all],
            target,
            CHART_LEGEND,
        ),
        trend_chart=lazy(charts.trend_chart, str)(years, overall_row.scores, target)
        if len(years) > 1
        else "",
        # Read when printed, like the charts: the documents page builds every document to check it.
        last_year=SimpleLazyObject(lambda: measure_selectors.last_year_measures(found.assessment)),
    )
