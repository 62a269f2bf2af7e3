"""Organisations, fiscal years, the yearly ITA framework, and assessments.

The framework (tools, indicators, sub-indicators, questions, rating levels) is
data, one set per fiscal year, loaded from ``fixtures/frameworks/<year>.json``
by ``manage.py load_framework`` and editable in the admin. No year is special
in code. One module per concern; import the models from here.
"""

from .assessments import Assessment, AssessmentQuerySet, IndicatorScore, PublishedToolScore, QuestionScore
from .calendar import AssessmentWindow, WindowKind
from .fields import SCORE_VALIDATORS, score_field, score_range_constraint
from .frameworks import (
    AnalysisRule,
    FiscalYear,
    FrameworkEntry,
    Indicator,
    Question,
    RatingLevel,
    SubIndicator,
    Tool,
)
from .imports import ScoreImport, ScoreImportQuerySet
from .organisations import Membership, Organisation, OrganisationQuerySet, Oversight

__all__ = [
    "SCORE_VALIDATORS",
    "AnalysisRule",
    "Assessment",
    "AssessmentWindow",
    "AssessmentQuerySet",
    "FiscalYear",
    "FrameworkEntry",
    "Indicator",
    "IndicatorScore",
    "Membership",
    "Organisation",
    "OrganisationQuerySet",
    "Oversight",
    "PublishedToolScore",
    "Question",
    "QuestionScore",
    "RatingLevel",
    "ScoreImport",
    "ScoreImportQuerySet",
    "SubIndicator",
    "Tool",
    "WindowKind",
    "score_field",
    "score_range_constraint",
]
