"""The report on carrying out the plan's measures."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from measures import selectors as measure_selectors
from measures.choices import MeasureStatus
from measures.models import MeasurePlan

from ..choices import DocumentKind
from .base import (
    Document,
    EvidenceItem,
    MeasureLine,
    ToolSection,
    _analysis_of,
    _header,
    _numbered,
    _sections,
)


@dataclass(frozen=True)
class ImplementationReport(Document):
    sections: list[ToolSection] = field(default_factory=list)
    as_of: datetime.date | None = None
    by_status: list[tuple[str, int]] = field(default_factory=list)
    percent: int = 0
    late: int = 0

    @property
    def measure_count(self) -> int:
        return sum(section.measure_count for section in self.sections)

    @property
    def evidence(self) -> list[tuple[ToolSection, MeasureLine, EvidenceItem]]:
        """Every piece of evidence in the order the measures table numbers it (the report's annex)."""
        return [
            (section, line, item)
            for section in self.sections
            for group in section.groups
            for line in group.lines
            for item in line.evidence
        ]


def implementation_report(
    plan: MeasurePlan, today: datetime.date, found=None, planned: Mapping[int, uuid.UUID] | None = None
) -> ImplementationReport:
    """The report on carrying out the plan's measures, from their tracked progress up to ``today``.

    ``planned`` maps evidence files about to be published with it to their public ids."""
    found, findings = _analysis_of(plan, found)
    progress = measure_selectors.plan_progress(plan, today)
    labels = dict(MeasureStatus.choices)
    return ImplementationReport(
        kind=DocumentKind.IMPLEMENTATION,
        header=_header(plan, found),
        plan=plan,
        found=found,
        findings=findings,
        sections=_numbered(_sections(plan, found, with_progress=True, planned=planned)),
        as_of=today,
        by_status=[(labels[status], count) for status, count in progress.by_status.items()],
        percent=progress.percent,
        late=progress.late,
    )
