"""What each document shows, built from the records by plain functions.

Every figure and name a document prints comes from here, read once from the records, so
one document cannot show two values for one thing. Tests check these objects without
rendering anything.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import itertools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import SimpleLazyObject, lazy

from assessments import analysis, scoring
from assessments import selectors as assessment_selectors
from assessments.models import Assessment, Indicator, Organisation, Question, Tool
from assessments.scoring import Finding, Result
from measures import selectors as measure_selectors
from measures.choices import TRACKED_STATUSES, MeasureStatus
from measures.models import Measure, MeasurePlan, ProgressUpdate

from . import charts
from .choices import DocumentKind

# Approved plans print as final; any other prints "ร่าง" on every page.
FINAL_STATUSES = TRACKED_STATUSES
EIT_PARTS = {1: "ส่วนที่ 1 ผู้รับบริการตอบเอง", 2: "ส่วนที่ 2 ผู้ประเมินจัดเก็บข้อมูล"}
CHART_LEGEND = {
    "keep": "ต้องคงมาตรฐาน",
    "improve": "ต้องปรับปรุง/พัฒนา",
    "urgent": "ต้องปรับปรุง/พัฒนาเร่งด่วน",
}


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
        f"{check.label.removeprefix('คะแนน ')} ({scoring.format_score(check.value)})"
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
    def is_final(self) -> bool:
        """Approved by the working group: anything else prints as a draft."""
        return self.plan.status in FINAL_STATUSES


@dataclass(frozen=True)
class AnalysisReport(Document):
    sections: list[ToolSection] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    trend: list[analysis.TrendRow] = field(default_factory=list)
    indicator_chart: str = ""
    trend_chart: str = ""  # only with more than one year
    # Last year's measures and how their indicators' scores moved (assessments.analytics).
    last_year: list = field(default_factory=list)

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


@dataclass(frozen=True)
class MemoSigner:
    addressed_to: str
    opinion: str
    name: str
    position: str


@dataclass(frozen=True)
class MemoDocument(Document):
    memo: object = None  # reports.models.Memo
    subject: str = ""
    signatories: list[MemoSigner] = field(default_factory=list)
    garuda: str = ""  # a data: URL, or "" when the organisation has none
    measure_count: int = 0


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


# --- Loading ----------------------------------------------------------------------------------


def plans_for_documents():
    """Plans with everything the documents print, in a fixed number of queries."""
    return MeasurePlan.objects.select_related(
        "assessment__organisation", "assessment__fiscal_year", "memo"
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
            if planned is not None:
                public_id = planned.get(evidence.pk)
            else:
                published = getattr(evidence, "published", None)
                public_id = published.public_id if published else None
            url = reverse("reports:public-evidence", args=[public_id]) if public_id else ""
            items.append(EvidenceItem(evidence.pk, evidence.original_name, url, is_file=True))
    return tuple(items)


def _sections(
    plan: MeasurePlan, found, *, with_progress: bool, planned: Mapping[int, uuid.UUID] | None = None
) -> list[ToolSection]:
    """The plan's measures grouped by tool, in the plan's order, the EIT split by part where known."""
    indicators = {ind.pk: ind for ind in found.indicators.values()}
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


def _bar_group(item: analysis.IndicatorAnalysis) -> str:
    if not item.to_improve:
        return "keep"
    return "urgent" if item.urgent else "improve"


# --- The documents ----------------------------------------------------------------------------


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


def default_memo_subject(header: Header) -> str:
    return (
        "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
        f"ประจำปีงบประมาณ พ.ศ. {header.assessment_year} และมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
        f"ประจำปีงบประมาณ พ.ศ. {header.plan_year}"
    )


def garuda_data_url(organisation: Organisation) -> str:
    if not organisation.garuda:
        return ""
    encoded = base64.b64encode(bytes(organisation.garuda)).decode("ascii")
    return f"data:{organisation.garuda_type};base64,{encoded}"


def memo_document(plan: MeasurePlan, found=None) -> MemoDocument:
    """The memo forwarding the analysis report; its details must have been entered."""
    memo = getattr(plan, "memo", None)
    if memo is None:
        raise DocumentUnavailable("ยังไม่ได้กรอกรายละเอียดบันทึกข้อความ (ที่ วันที่ เรียน และผู้ลงนาม)")
    found, findings = _analysis_of(plan, found)
    header = _header(plan, found)
    return MemoDocument(
        kind=DocumentKind.MEMO,
        header=header,
        plan=plan,
        found=found,
        findings=findings,
        memo=memo,
        subject=memo.subject.strip() or default_memo_subject(header),
        signatories=[
            MemoSigner(s.addressed_to, s.opinion, s.name, s.position) for s in memo.signatories.all()
        ],
        garuda=garuda_data_url(header.organisation),
        measure_count=len(plan.measures.all()),
    )


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


def build(kind: str, plan: MeasurePlan, today: datetime.date, found=None, planned=None) -> Document:
    """The document of ``kind`` for the plan (loaded with ``plans_for_documents``).

    ``found`` is ``plan_analysis(plan)`` when the caller builds several documents of one plan;
    ``planned`` (implementation report) the evidence files being published with it.
    """
    if kind == DocumentKind.ANALYSIS:
        return analysis_report(plan, found)
    if kind == DocumentKind.MEMO:
        return memo_document(plan, found)
    if kind == DocumentKind.IMPLEMENTATION:
        return implementation_report(plan, today, found, planned)
    raise ValueError(kind)
