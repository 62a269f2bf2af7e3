"""Reads: the year's framework as scoring rules, and assessments with their computed results.

One module per page or concern; import from the package."""

from .calendar import YearStanding, calendar_of, year_standing
from .exports import (
    YEAR_EXPORT_CHUNK,
    OrganisationExport,
    YearCodes,
    YearExport,
    YearRow,
    organisation_export,
    year_export,
)
from .framework import (
    analysis_rule_for,
    fiscal_years_with_framework,
    framework_for_year,
    framework_from,
    indicators_for,
    questions_for,
)
from .items import ItemRef, YearItems, items_in_year
from .pages import (
    AssessmentAnalysis,
    AssessmentPage,
    PeerStanding,
    ToolAnalysis,
    ToolRows,
    assessment_analysis,
    assessment_page,
    assessment_trend,
    peer_standing,
    sees_several_organisations_as_administrator,
)
from .results import (
    AssessmentResult,
    assessment_result,
    assessment_results,
    result_of,
)

__all__ = [
    "ItemRef",
    "YearItems",
    "items_in_year",
    "YearStanding",
    "calendar_of",
    "year_standing",
    "AssessmentAnalysis",
    "AssessmentPage",
    "AssessmentResult",
    "OrganisationExport",
    "PeerStanding",
    "ToolAnalysis",
    "ToolRows",
    "YEAR_EXPORT_CHUNK",
    "YearCodes",
    "YearExport",
    "YearRow",
    "analysis_rule_for",
    "assessment_analysis",
    "assessment_page",
    "assessment_result",
    "assessment_results",
    "assessment_trend",
    "fiscal_years_with_framework",
    "framework_for_year",
    "framework_from",
    "indicators_for",
    "organisation_export",
    "peer_standing",
    "questions_for",
    "result_of",
    "sees_several_organisations_as_administrator",
    "year_export",
]
