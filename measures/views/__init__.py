"""The measure plan: generate it from an assessment, edit its measures, take it through review.

One module per page or concern; import from the package."""

from .overview import (
    OrganisationHistoryView,
    ProgressOverviewExportView,
    ProgressOverviewView,
)
from .plans import (
    MeasureCreateView,
    MeasureDeleteView,
    MeasureEditMixin,
    MeasureFormMixin,
    MeasureMoveView,
    MeasureUpdateView,
    PlanDetailView,
    PlanEditMixin,
    PlanGenerateView,
    PlanTransitionView,
)
from .progress import (
    EvidenceDownloadView,
    MeasureProgressView,
    PlanProgressExportView,
    PlanProgressView,
)

__all__ = [
    "EvidenceDownloadView",
    "MeasureCreateView",
    "MeasureDeleteView",
    "MeasureEditMixin",
    "MeasureFormMixin",
    "MeasureMoveView",
    "MeasureProgressView",
    "MeasureUpdateView",
    "OrganisationHistoryView",
    "PlanDetailView",
    "PlanEditMixin",
    "PlanGenerateView",
    "PlanProgressExportView",
    "PlanProgressView",
    "PlanTransitionView",
    "ProgressOverviewExportView",
    "ProgressOverviewView",
]
