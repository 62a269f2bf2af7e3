"""What each document shows, built from the records by plain functions.

Every figure and name a document prints comes from here, read once from the records, so
one document cannot show two values for one thing. Tests check these objects without
rendering anything. A module per document; ``base`` holds what they share.
"""

from __future__ import annotations

import datetime

from ita_portal.snapshot import snapshot
from measures.models import MeasurePlan

from ..choices import DocumentKind
from .analysis import AnalysisReport, analysis_report
from .base import (
    EIT_PARTS,
    FINAL_STATUSES,
    Document,
    DocumentUnavailable,
    EvidenceItem,
    Header,
    MeasureGroup,
    MeasureLine,
    ToolSection,
    garuda_data_url,
    number_ranges,
    plan_analysis,
    plans_for_documents,
    target_sentence,
)
from .implementation import ImplementationReport, implementation_report
from .official import (
    AnnouncementDocument,
    MemoDocument,
    MemoSigner,
    announcement_document,
    default_memo_subject,
    memo_document,
)

__all__ = [
    "EIT_PARTS",
    "FINAL_STATUSES",
    "AnalysisReport",
    "AnnouncementDocument",
    "Document",
    "DocumentUnavailable",
    "EvidenceItem",
    "Header",
    "ImplementationReport",
    "MeasureGroup",
    "MeasureLine",
    "MemoDocument",
    "MemoSigner",
    "ToolSection",
    "analysis_report",
    "announcement_document",
    "build",
    "default_memo_subject",
    "garuda_data_url",
    "implementation_report",
    "memo_document",
    "number_ranges",
    "plan_analysis",
    "plans_for_documents",
    "target_sentence",
]


@snapshot()
def build(kind: str, plan: MeasurePlan, today: datetime.date, found=None, planned=None) -> Document:
    """The document of ``kind`` for the plan (loaded with ``plans_for_documents``), its queries
    seeing one snapshot of the database.

    ``found`` is ``plan_analysis(plan)`` when the caller builds several documents of one plan;
    ``planned`` (implementation report) the evidence files being published with it.
    """
    if kind == DocumentKind.ANALYSIS:
        return analysis_report(plan, found)
    if kind == DocumentKind.MEMO:
        return memo_document(plan, found)
    if kind == DocumentKind.ANNOUNCEMENT:
        return announcement_document(plan, found)
    if kind == DocumentKind.IMPLEMENTATION:
        return implementation_report(plan, today, found, planned)
    raise ValueError(kind)
