"""What every document is built from: the header, the plan's measures grouped by tool, the
result's sentences, and the loading of a plan with everything the documents print."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from assessments import analysis, scoring
from assessments import selectors as assessment_selectors
from assessments.consistency import Finding
from assessments.models import Assessment, Indicator, Organisation, Question, Tool
from assessments.scoring import Result
from ita_portal.numbers import format_score
from measures import selectors as measure_selectors
from measures.choices import TRACKED_STATUSES
from measures.models import Measure, MeasurePlan, ProgressUpdate

from ..choices import SIGNED_KINDS

# Approved plans print as final; any other prints "ร่าง" on every page.
FINAL_STATUSES = TRACKED_STATUSES
EIT_PARTS = {1: "ส่วนที่ 1 ผู้รับบริการตอบเอง", 2: "ส่วนที่ 2 ผู้ประเมินจัดเก็บข้อมูล"}


class DocumentUnavailable(Exception):
    """The records do not yet hold what the document needs; the message says what is missing."""


@dataclass(frozen=True)
class Header:
    """Who and which years: printed on the cover and in the titles, from the organisation record."""

    organisation: Organisation
    assessment_year: int
    plan_year: int

    @property
    def place(self) -> str:
        return self.organisation.place


@dataclass(frozen=True)
class EvidenceItem:
    """A link or a file recorded as evidence of a measure, as the implementation report lists it."""

    evidence_id: int
    name: str  # the link itself, or the file's name
    url: str  # where the report links it: the link, a published file's public path, or "" (not public)
    is_file: bool
    number: int = 0  # its number in the report's list of evidence (the measures table cites it)


@dataclass(frozen=True)
class MeasureLine:
    number: int  # running number within its tool
    measure: Measure
    indicator: Indicator
    questions: list[Question]
    relies_on: tuple[str, ...] = ()  # "O24 (ปี 2569)": the items it relies on, as the plan's year numbers them
    last: ProgressUpdate | None = None  # the latest progress report (implementation report)
    evidence: tuple[EvidenceItem, ...] = ()  # every progress report's evidence (implementation report)

    @property
    def status_label(self) -> str:
        return self.measure.get_status_display()

    @property
    def evidence_numbers(self) -> str:
        """The numbers of its evidence in the annex, runs joined: "4–6, 9"."""
        return number_ranges([item.number for item in self.evidence])


@dataclass(frozen=True)
class MeasureGroup:
    title: str  # "" for a tool without parts; the EIT part's name where the questions say it
    lines: list[MeasureLine]


@dataclass(frozen=True)
class ToolSection:
    tool: Tool
    score: Decimal | None
    indicators: list[analysis.IndicatorAnalysis]
    groups: list[MeasureGroup]

    @property
    def keep(self) -> list[analysis.IndicatorAnalysis]:
        return [a for a in self.indicators if not a.to_improve]

    @property
    def improve(self) -> list[analysis.IndicatorAnalysis]:
        return [a for a in self.indicators if a.to_improve]

    @property
    def measure_count(self) -> int:
        return sum(len(group.lines) for group in self.groups)


def number_ranges(numbers: list[int]) -> str:
    """Numbers as ranges where they run on: [1, 2, 3, 5] → "1–3, 5"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def _thai_list(items: list[str]) -> str:
    """A list as Thai official prose writes it: "ก, ข และ ค"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " และ " + items[-1]


def _target(value: Decimal) -> str:
    """A target as the documents write it: 85, not 85.00."""
    return f"{value.normalize():f}"


def target_sentence(result: Result) -> str:
    """The targets as the reference documents state them: met, or not yet met and which ones."""
    overall, *floors = result.targets
    rule = f"มีคะแนนภาพรวม {_target(overall.target)} คะแนนขึ้นไป"
    if floors:
        names = [check.label.removeprefix("คะแนน ") for check in floors]
        rule += (
            f" และมีคะแนนรายเครื่องมือ ประกอบด้วย {_thai_list(names)} ที่มีค่าคะแนน "
            f"{_target(floors[0].target)} คะแนนขึ้นไป"
        )
    if result.level_provisional:
        rule += " (ยังไม่ได้กรอกคะแนน EIT รายส่วน จึงพิจารณาคะแนน EIT รวม)"
    if result.targets_met:
        return f"บรรลุค่าเป้าหมาย คือ {rule}"
    missed = [
        f"{check.label.removeprefix('คะแนน ')} ({format_score(check.value)})"
        for check in result.targets
        if not check.met
    ]
    return f"ยังไม่บรรลุค่าเป้าหมาย ซึ่งกำหนดให้{rule} โดยยังไม่บรรลุในส่วนของ {_thai_list(missed)}"


@dataclass(frozen=True)
class Document:
    """What every document has: its kind, the header and the plan with its assessment's result."""

    kind: str
    header: Header
    plan: MeasurePlan
    found: assessment_selectors.AssessmentAnalysis
    findings: tuple[Finding, ...]

    @property
    def result(self) -> Result:
        return self.found.item.result

    @property
    def level_label(self) -> str:
        """The level as the documents print it; a provisional level says so (DOMAIN.md section 4)."""
        return self.result.level_text if self.result.level else "ไม่มีระดับที่ตรงเกณฑ์"

    @property
    def parted_tool(self) -> str:
        """The tool whose part scores the score table prints under it."""
        return scoring.PARTED_TOOL

    @property
    def target_sentence(self) -> str:
        """Whether the targets were met, naming the scores as NACC does ("IIT, EIT ส่วนที่ 1, …")."""
        return target_sentence(self.result)

    @property
    def official(self) -> bool:
        """A document of งานสารบรรณ (the memo, the announcement): ครุฑ, page numbers from the second
        page, continuation words; the executive signs it, and its signed copy is what is published."""
        return self.kind in SIGNED_KINDS

    @property
    def is_final(self) -> bool:
        """Approved by the working group: anything else prints as a draft."""
        return self.plan.status in FINAL_STATUSES


def plans_for_documents():
    """Plans with everything the documents print, in a fixed number of queries."""
    return MeasurePlan.objects.select_related(
        "assessment__organisation", "assessment__fiscal_year", "memo", "announcement"
    ).prefetch_related(measure_selectors.measures_with_updates("evidence__published"), "memo__signatories")


def plan_analysis(plan: MeasurePlan) -> assessment_selectors.AssessmentAnalysis:
    """The analysis of the plan's assessment, which every document of the plan prints."""
    assessment = Assessment.objects.with_scores().select_related("organisation").get(pk=plan.assessment_id)
    return assessment_selectors.assessment_analysis(assessment)


def _analysis_of(
    plan: MeasurePlan, found: assessment_selectors.AssessmentAnalysis | None
) -> tuple[assessment_selectors.AssessmentAnalysis, tuple[Finding, ...]]:
    found = found or plan_analysis(plan)
    if found.item.result is None:
        raise DocumentUnavailable(
            f"ยังสร้างเอกสารไม่ได้: ผลการประเมินปี {found.fiscal_year.year} {found.item.error}"
        )
    return found, found.item.findings


def _header(plan: MeasurePlan, found) -> Header:
    return Header(
        organisation=found.assessment.organisation,
        assessment_year=found.fiscal_year.year,
        plan_year=plan.plan_year,
    )


def _part_of(questions: list[Question]) -> int | None:
    """The EIT part a measure belongs to: the part all of its questions share, if they share one."""
    parts = {q.part for q in questions}
    return parts.pop() if len(parts) == 1 else None


def _evidence_of(measure: Measure, planned: Mapping[int, uuid.UUID] | None) -> tuple[EvidenceItem, ...]:
    """The measure's evidence, oldest report first: links as they are, files by name, linked to their
    public copy. While publishing, exactly the files ``planned`` to go with the report are linked;
    otherwise (a preview) those already published."""
    items = []
    for update in reversed(list(measure.updates.all())):
        for evidence in update.evidence.all():
            if evidence.url:
                items.append(EvidenceItem(evidence.pk, evidence.url, evidence.url, is_file=False))
                continue
            published = getattr(evidence, "published", None)
            if published is not None and published.is_withdrawn:
                continue  # taken down (perhaps someone's personal data): not even its name is printed
            if planned is not None:
                public_id = planned.get(evidence.pk)
            else:
                public_id = published.public_id if published else None
            url = reverse("reports:public-evidence", args=[public_id]) if public_id else ""
            items.append(EvidenceItem(evidence.pk, evidence.original_name, url, is_file=True))
    return tuple(items)


def _sections(
    plan: MeasurePlan, found, *, with_progress: bool, planned: Mapping[int, uuid.UUID] | None = None
) -> list[ToolSection]:
    """The plan's measures grouped by tool, in the plan's order, the EIT split by part where known."""
    indicators = {ind.pk: ind for ind in found.indicators.values()}
    year = found.fiscal_year.year
    refs = assessment_selectors.items_in_year(found.questions, year, year + 1).refs
    by_tool: dict[int, list[Measure]] = {}
    for measure in sorted(plan.measures.all(), key=lambda m: (m.order, m.pk)):
        by_tool.setdefault(indicators[measure.indicator_id].tool_id, []).append(measure)
    sections = []
    for tool_analysis in found.tools:
        lines = []
        for number, measure in enumerate(by_tool.get(tool_analysis.tool.pk, []), start=1):
            lines.append(
                MeasureLine(
                    number=number,
                    measure=measure,
                    indicator=indicators[measure.indicator_id],
                    questions=[
                        found.questions[c] for c in measure.question_code_list if c in found.questions
                    ],
                    relies_on=tuple(refs[c].short for c in measure.relies_on_codes if c in refs),
                    last=measure_selectors.latest_update(measure) if with_progress else None,
                    evidence=_evidence_of(measure, planned) if with_progress else (),
                )
            )
        parts = {_part_of(line.questions) for line in lines}
        if parts - {None}:
            groups = [
                MeasureGroup(
                    title=EIT_PARTS.get(part, "ทั้งสองส่วน") if part else "ทั้งสองส่วน",
                    lines=[line for line in lines if _part_of(line.questions) == part],
                )
                for part in sorted(parts, key=lambda p: (p is None, p))
            ]
        else:
            groups = [MeasureGroup(title="", lines=lines)] if lines else []
        sections.append(
            ToolSection(
                tool=tool_analysis.tool,
                score=tool_analysis.score,
                indicators=tool_analysis.indicators,
                groups=groups,
            )
        )
    return sections


def _numbered(sections: list[ToolSection]) -> list[ToolSection]:
    """The sections with their evidence numbered 1, 2, … in the order the measures table prints it."""
    numbers = itertools.count(1)

    def line_with_numbers(line: MeasureLine) -> MeasureLine:
        items = tuple(dataclasses.replace(item, number=next(numbers)) for item in line.evidence)
        return dataclasses.replace(line, evidence=items)

    return [
        dataclasses.replace(
            section,
            groups=[
                dataclasses.replace(group, lines=[line_with_numbers(line) for line in group.lines])
                for group in section.groups
            ],
        )
        for section in sections
    ]


def garuda_data_url(organisation: Organisation) -> str:
    if not organisation.garuda:
        return ""
    encoded = base64.b64encode(bytes(organisation.garuda)).decode("ascii")
    return f"data:{organisation.garuda_type};base64,{encoded}"
