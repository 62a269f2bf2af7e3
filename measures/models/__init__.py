"""Measure templates, measure plans and their review.

A plan belongs to one assessment of year N and holds the measures for year N+1.
Its measures name the indicator and the question codes of the assessment's year;
every figure in their texts was filled from the records when the plan was
generated, and ``measures.checks`` flags any figure an edit made wrong.

One module per page or concern; import from the package."""

from .plans import (
    COUNTER_FIELDS,
    Measure,
    MeasurePlan,
    MeasurePlanQuerySet,
    MeasureQuerySet,
    PlanEvent,
)
from .progress import (
    Evidence,
    EvidenceQuerySet,
    ProgressUpdate,
    evidence_path,
    evidence_storage,
)
from .templates import (
    MeasureFields,
    MeasureTemplate,
    quarter_field,
)

__all__ = [
    "COUNTER_FIELDS",
    "Evidence",
    "EvidenceQuerySet",
    "Measure",
    "MeasureFields",
    "MeasurePlan",
    "MeasurePlanQuerySet",
    "MeasureQuerySet",
    "MeasureTemplate",
    "PlanEvent",
    "ProgressUpdate",
    "evidence_path",
    "evidence_storage",
    "quarter_field",
]
