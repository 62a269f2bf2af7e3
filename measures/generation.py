"""Which measures the templates propose for an analysed assessment — pure Python, no Django.

``proposals(subject, templates)`` takes the analysis (``assessments.analysis`` facts)
and the year's templates as plain values and returns the measures in plan order, their
texts filled in. ``measures.services.plans`` reads the records, calls it, and writes.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessments.analysis import IndicatorAnalysis, QuestionFacts
from ita_portal.numbers import format_score

IMPROVE, KEEP = "improve", "keep"  # measures.choices.MeasureKind's values

# The fields of a measure that a person edits and that generation fills.
TEXT_FIELDS = (
    "title",
    "analysis",
    "steps",
    "target",
    "period_start",
    "period_end",
    "responsible_unit",
    "relies_on",
)
GENERATED_FIELDS = (*TEXT_FIELDS, "indicator_id", "kind", "urgent", "question_codes", "template_id")

# "[[ ข้อที่ควรพัฒนา: {weak_questions}]]": a part of a template printed only when every
# placeholder inside it has a value, so a missing fact leaves the sentence out.
OPTIONAL_SEGMENT = re.compile(r"\[\[(.*?)\]\]", re.S)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` in a template text; ValueError if its braces do not pair up."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@dataclass(frozen=True)
class Template:
    """A measure template as generation reads it (``MeasureTemplate`` without the database)."""

    key: str
    indicator_number: int
    kind: str
    title: str
    analysis: str
    steps: str
    pk: int | None = None
    question_code: str = ""  # "" for an indicator's template
    period_start: int = 1
    period_end: int = 4
    responsible_unit: str = "คณะทำงาน ITA"  # MeasureTemplate's default
    relies_on: str = ""
    target: str = ""


@dataclass(frozen=True)
class Templates:
    """The year's templates: per question code (several each), per (indicator number, kind) the first."""

    by_question: Mapping[str, list[Template]] = field(default_factory=dict)
    by_indicator: Mapping[tuple[int, str], Template] = field(default_factory=dict)

    def for_indicator(self, number: int, kind: str) -> Template:
        return self.by_indicator.get((number, kind)) or fallback_template(number, kind)


@dataclass(frozen=True)
class Subject:
    """The analysed assessment: whose, which year, and per tool its indicators' analysis."""

    organisation: str
    year: int
    target: Decimal
    tools: list[tuple[str, list[IndicatorAnalysis]]]  # (tool code, its indicators)
    indicator_ids: Mapping[int, int]  # indicator number → the Indicator row's id
    # A question's code → how the plan's year names it, "ข้อ O24 (ปี 2569)" (``{item}``).
    items: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Proposal:
    """A measure as the templates and the figures propose it."""

    key: str
    indicator_id: int
    kind: str
    urgent: bool
    question_codes: str
    template_id: int | None
    title: str
    analysis: str
    steps: str
    period_start: int
    period_end: int
    responsible_unit: str
    relies_on: str
    target: str = ""

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in GENERATED_FIELDS}

    def digest(self) -> str:
        """A fingerprint of the proposal, to tell whether a later one differs."""
        text = json.dumps(self.values(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


class _SafeFormat(dict):
    def __missing__(self, key: str) -> str:  # a template checked by clean() never gets here
        return "{" + key + "}"


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template's text with its placeholders filled; an optional segment ("[[ … ]]") is
    printed only when every placeholder inside it has a value, so no dash or "unknown" stands
    where a fact is missing."""

    def segment(match) -> str:
        inner = match.group(1)
        return inner if all(values.get(name) for name in placeholders(inner)) else ""

    return OPTIONAL_SEGMENT.sub(segment, text).format_map(_SafeFormat(values))


def fallback_template(number: int, kind: str) -> Template:
    """Used only if the admin removed every template for an indicator: plain, but never missing."""
    if kind == KEEP:
        return Template(
            key=f"builtin-keep-{number}",
            indicator_number=number,
            kind=kind,
            title="มาตรการรักษามาตรฐานตัวชี้วัดที่ {indicator_number} {indicator_name}",
            analysis="ตัวชี้วัดที่ {indicator_number} {indicator_name} ได้ {indicator_score} คะแนน",
            steps="ทบทวนการดำเนินงานที่ทำให้ได้ผลดีและดำเนินการต่อเนื่อง",
        )
    return Template(
        key=f"builtin-improve-{number}",
        indicator_number=number,
        kind=kind,
        title="มาตรการพัฒนาตัวชี้วัดที่ {indicator_number} {indicator_name}",
        analysis="ตัวชี้วัดที่ {indicator_number} {indicator_name} ได้ {indicator_score} คะแนน",
        steps="วิเคราะห์สาเหตุของคะแนนที่ได้และกำหนดแนวทางแก้ไข",
    )


def _question_label(q: QuestionFacts) -> str:
    return f"{q.code} ({format_score(q.score)} คะแนน)" if q.score is not None else q.code


def _recommendation_sentence(items: list[tuple[str, str]]) -> str:
    said = [(who, text.strip()) for who, text in items if text.strip()]
    if not said:
        return ""
    return " " + " ".join(f"ผู้ตรวจประเมินเสนอแนะ{who} ว่า “{text}”" for who, text in said)


def _groups(item: IndicatorAnalysis, templates: Templates) -> list[tuple[Template, list[QuestionFacts]]]:
    """The templates an indicator gets, each with the weak questions it answers.

    An indicator to improve gets one measure per template of each of its weak
    questions, and its indicator template for the weak questions without one (or
    when no question scores were entered); an indicator to keep gets its
    keep-at-standard template.
    """
    number = item.indicator.number
    if not item.to_improve:
        return [(templates.for_indicator(number, KEEP), [])]
    groups: list[tuple[Template, list[QuestionFacts]]] = []
    uncovered = []
    for q in item.weaknesses:
        found = templates.by_question.get(q.code, [])
        groups.extend((t, [q]) for t in found)
        if not found:
            uncovered.append(q)
    if uncovered or not groups:
        groups.append((templates.for_indicator(number, IMPROVE), uncovered))
    return groups


def proposals(subject: Subject, templates: Templates) -> list[Proposal]:
    """The measures the templates propose for the analysed assessment, in plan order."""
    base = {
        "organisation": subject.organisation,
        "year": str(subject.year),
        "plan_year": str(subject.year + 1),
        "target": format_score(subject.target),
    }
    result = []
    for tool_code, indicators in subject.tools:
        for item in indicators:
            ind = item.indicator
            values = {
                **base,
                "indicator_number": str(ind.number),
                "indicator_name": ind.name,
                "indicator_score": format_score(ind.score),
                "tool": tool_code,
                "weak_questions": ", ".join(_question_label(q) for q in item.weaknesses),
                "strong_questions": ", ".join(q.code for q in item.strengths),
                "question_code": "",
                "question_text": "",
                "question_score": "",
                "item": "",
            }
            for template, questions in _groups(item, templates):
                filled = dict(values)
                if len(questions) == 1:
                    q = questions[0]
                    filled.update(
                        question_code=q.code,
                        question_text=q.text,
                        question_score=format_score(q.score),
                        item=subject.items.get(q.code) or f"ข้อ {q.code} (ปี {subject.year})",
                    )
                if questions:
                    filled["weak_questions"] = ", ".join(_question_label(q) for q in questions)
                said = [(f"ในข้อ {q.code}", q.recommendation) for q in questions]
                if not template.question_code:
                    said.insert(0, ("ต่อตัวชี้วัดนี้", ind.recommendation))
                result.append(
                    Proposal(
                        key=f"{template.key}@{ind.number}",
                        indicator_id=subject.indicator_ids[ind.number],
                        kind=IMPROVE if item.to_improve else KEEP,
                        urgent=item.urgent,
                        question_codes=", ".join(q.code for q in questions),
                        template_id=template.pk,
                        title=fill(template.title, filled),
                        analysis=fill(template.analysis, filled).strip()
                        + _recommendation_sentence(said if item.to_improve else []),
                        steps=fill(template.steps, filled),
                        target=fill(template.target, filled),
                        period_start=template.period_start,
                        period_end=template.period_end,
                        responsible_unit=template.responsible_unit,
                        relies_on=template.relies_on,
                    )
                )
    return result


# --- How generic a proposal is (benchmarks/generic_measures.py, tests/measures/test_templates_content.py)

BOILERPLATE_SHARED = 10  # a step sentence in more than this many templates is boilerplate
_INDICATOR_ONLY_TITLES = ("มาตรการยกระดับตัวชี้วัดที่", "มาตรการรักษามาตรฐานตัวชี้วัดที่", "มาตรการพัฒนาตัวชี้วัดที่")


def boilerplate(template_steps: list[str]) -> set[str]:
    """The step sentences that more than ``BOILERPLATE_SHARED`` templates share word for word."""
    counts: dict[str, int] = {}
    for steps in template_steps:
        for line in set(steps.splitlines()):
            counts[line] = counts.get(line, 0) + 1
    return {line for line, count in counts.items() if count > BOILERPLATE_SHARED}


def is_generic(proposal: Proposal, template_steps: str | None, shared: set[str]) -> bool:
    """A proposal a working group would have to rewrite: from no template (the built-in fallback),
    titled with no more than its indicator, or with two or more boilerplate steps."""
    if template_steps is None:
        return True
    if proposal.title.startswith(_INDICATOR_ONLY_TITLES):
        return True
    return sum(line in shared for line in template_steps.splitlines()) >= 2
