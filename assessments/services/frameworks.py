"""Writes: a year's framework loaded in place from its data file (``load_framework``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .. import revisions, scoring
from ..choices import FrameworkStatus, QuestionKind
from ..models import (
    AnalysisRule,
    Assessment,
    FiscalYear,
    Indicator,
    Question,
    QuestionScore,
    RatingLevel,
    SubIndicator,
    Tool,
)
from ..signals import framework_changed
from .calendar import calendar_load, calendar_problems
from .results import results_refresh

# --- The yearly framework from its data file --------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _entry_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "unconfirmed": bool(item.get("unconfirmed", False)),
        "note": item.get("note", ""),
        "source_note": item.get("source", ""),
    }


# A note is shown to users: it may not cite a file, a document number or a source, which belong
# in "source" (shown only in the admin).
_MAINTAINERS_WORDS = re.compile(r"\.(md|json|py|txt)\b|FRAMEWORK_SOURCES|DOMAIN|เอกสารอ้างอิง|reference", re.I)


def _entries(data: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """Every entry of a data file that may carry a note, with the name a problem gives it."""
    entries = [(f"ปี {data.get('year')}", data)]
    for key, label in (("tools", "code"), ("indicators", "number"), ("sub_indicators", "code")):
        entries += [(f"{key} {item.get(label)}", item) for item in data.get(key, [])]
    entries += [(f"ข้อ {q.get('code')}", q) for q in data.get("questions", [])]
    entries += [(f"ระดับ {level.get('code')}", level) for level in data.get("levels", [])]
    entries += [(f"ปฏิทิน {w.get('kind')}", w) for w in data.get("calendar", [])]
    return entries


def _note_problems(data: Mapping[str, Any]) -> list[str]:
    return [
        f"{name}: หมายเหตุสำหรับผู้ใช้ (note) อ้างถึงไฟล์หรือแหล่งข้อมูล ให้ย้ายไปไว้ที่ source"
        for name, entry in _entries(data)
        if _MAINTAINERS_WORDS.search(str(entry.get("note", "")))
    ]


def _check_framework_data(data: Mapping[str, Any]) -> None:
    """Refuse a data file whose parts do not fit together, before anything is written."""
    year = data.get("year")
    problems: list[str] = []
    if not isinstance(year, int):
        raise ValidationError("แฟ้มกรอบการประเมินต้องระบุปี (year) เป็นตัวเลข พ.ศ.")
    tool_codes = [tool["code"] for tool in data.get("tools", [])]
    problems += _tool_problems(data, tool_codes)
    problems += _question_problems(data, [ind["number"] for ind in data.get("indicators", [])])
    problems += _level_problems(data, tool_codes)
    problems += _note_problems(data)
    problems += calendar_problems(data)
    if problems:
        raise ValidationError([f"ปี {year}: {p}" for p in problems])


def _tool_problems(data: Mapping[str, Any], tool_codes: list[str]) -> list[str]:
    """Tools, their weights, and the indicators of each."""
    problems = []
    if len(tool_codes) != len(set(tool_codes)):
        problems.append("รหัสเครื่องมือซ้ำกัน")
    weights = sum((Decimal(str(t["weight"])) for t in data.get("tools", [])), Decimal("0"))
    if weights != Decimal("1"):
        problems.append(f"น้ำหนักของเครื่องมือรวมกันได้ {weights} ไม่ใช่ 1")
    indicators = data.get("indicators", [])
    numbers = [ind["number"] for ind in indicators]
    if len(numbers) != len(set(numbers)):
        problems.append("หมายเลขตัวชี้วัดซ้ำกัน")
    problems += [
        f"ตัวชี้วัดที่ {ind['number']} อ้างถึงเครื่องมือ {ind['tool']} ที่ไม่มี"
        for ind in indicators
        if ind["tool"] not in tool_codes
    ]
    problems += [
        f"เครื่องมือ {tool} ไม่มีตัวชี้วัด"
        for tool in tool_codes
        if not any(ind["tool"] == tool for ind in indicators)
    ]
    return problems


def _question_problems(data: Mapping[str, Any], numbers: list[int]) -> list[str]:
    """Sub-indicators and questions: what they point at, their codes, kinds, keys and years."""
    problems = [
        f"ตัวชี้วัดย่อย {sub['code']} อ้างถึงตัวชี้วัดที่ {sub['indicator']} ที่ไม่มี"
        for sub in data.get("sub_indicators", [])
        if sub["indicator"] not in numbers
    ]
    sub_codes = {sub["code"]: sub["indicator"] for sub in data.get("sub_indicators", [])}
    questions = data.get("questions", [])
    codes = [q["code"] for q in questions]
    if len(codes) != len({c.casefold() for c in codes}):
        problems.append("รหัสข้อคำถามซ้ำกัน")
    for q in questions:
        problems += _one_question_problems(q, numbers, sub_codes)
    keys = [q["key"] for q in questions if q.get("key")]
    if len(keys) != len(set(keys)):
        problems.append("รหัสเรื่อง (key) ของรายการซ้ำกันในปีเดียว")
    return problems


def _one_question_problems(q: Mapping[str, Any], numbers: list[int], sub_codes: dict) -> list[str]:
    problems = []
    if q["indicator"] not in numbers:
        problems.append(f"ข้อ {q['code']} อ้างถึงตัวชี้วัดที่ {q['indicator']} ที่ไม่มี")
    if q.get("sub_indicator") and sub_codes.get(q["sub_indicator"]) != q["indicator"]:
        problems.append(f"ข้อ {q['code']} อ้างถึงตัวชี้วัดย่อย {q['sub_indicator']} ที่ไม่ตรงกัน")
    if q.get("kind") not in QuestionKind.values:
        problems.append(f"ข้อ {q['code']} มีลักษณะการให้คะแนน {q.get('kind')!r} ที่ไม่รู้จัก")
    if not all(isinstance(y, int) and -2 <= y <= 0 for y in q.get("years", [])):
        problems.append(f"ข้อ {q['code']} กำหนดปีของเนื้อหา (years) ได้เฉพาะ 0, -1 หรือ -2")
    return problems


def _level_problems(data: Mapping[str, Any], tool_codes: list[str]) -> list[str]:
    """Levels best first down to 0, and the two EIT parts only with an EIT."""
    problems = []
    levels = data.get("levels", [])
    if not levels:
        problems.append("ไม่มีระดับผลการประเมิน")
    minimums = [Decimal(str(level["min_overall"])) for level in levels]
    if minimums != sorted(minimums, reverse=True):
        problems.append("ระดับผลการประเมินต้องเรียงจากดีที่สุดลงไป (คะแนนขั้นต่ำไม่เพิ่มขึ้น)")
    if levels and minimums[-1] != 0:
        problems.append("ระดับสุดท้ายต้องมีคะแนนขั้นต่ำ 0 เพื่อให้ทุกผลมีระดับ")
    if data.get("eit_parts") and scoring.PARTED_TOOL not in tool_codes:
        problems.append("กำหนดให้ EIT แยกคะแนนสองส่วน (eit_parts) แต่ไม่มีเครื่องมือ EIT")
    return problems


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> models.Model:
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    # The fields' own rules (choices, validators, lengths). Unique and check constraints were
    # enforced by the database when the row was saved; asking again costs a query each (half
    # the load's time).
    obj.full_clean(validate_unique=False, validate_constraints=False)
    return obj


@dataclass(frozen=True)
class ItemChange:
    """A question or OIT item of a year whose wording the data file changed."""

    code: str
    old: str
    new: str


@dataclass(frozen=True)
class FrameworkLoad:
    fiscal_year: FiscalYear
    created: bool
    changed_items: list[ItemChange]
    notes: list[str] = field(default_factory=list)  # what the apps above did about it (Thai lines)


def same_text(a: str, b: str) -> bool:
    """The same wording, whatever the spacing and line breaks."""
    return " ".join(a.split()) == " ".join(b.split())


@transaction.atomic
def framework_load(*, data: Mapping[str, Any]) -> FrameworkLoad:
    """Create or update a fiscal year's framework from its data file (already parsed JSON).

    Entries are matched by their natural keys (tool code, indicator number, question
    code, level code) and updated in place, so that assessments and measure templates
    keep pointing at them. Entries that are in the database but no longer in the file
    are removed when nothing refers to them. Returns the fiscal year, whether it was
    created, and the items whose wording changed (their templates need a review,
    ``signals.framework_changed``, on which measures flags its templates).
    """
    _check_framework_data(data)
    fiscal_year, created = _fiscal_year_load(data)
    tools = {}
    for order, item in enumerate(data["tools"], start=1):
        tools[item["code"]] = _upsert(
            Tool,
            {"fiscal_year": fiscal_year, "code": item["code"]},
            {"name": item["name"], "weight": _decimal(item["weight"]), "order": order, **_entry_fields(item)},
        )
    indicators = {}
    for item in data["indicators"]:
        indicators[item["number"]] = _upsert(
            Indicator,
            {"fiscal_year": fiscal_year, "number": item["number"]},
            {"name": item["name"], "tool": tools[item["tool"]], **_entry_fields(item)},
        )
    subs = {}
    for item in data.get("sub_indicators", []):
        subs[item["code"]] = _upsert(
            SubIndicator,
            {"indicator": indicators[item["indicator"]], "code": item["code"]},
            {"name": item["name"], "weight": _decimal(item.get("weight")), **_entry_fields(item)},
        )
    changed_items, question_pks = _questions_load(fiscal_year, data.get("questions", []), indicators, subs)
    level_pks = _levels_load(fiscal_year, data["levels"])
    _analysis_rule_load(fiscal_year, data.get("analysis_rule"))
    calendar_load(fiscal_year, data.get("calendar", []), _entry_fields)

    # What the file no longer has: remove it unless a score still refers to it.
    RatingLevel.objects.filter(fiscal_year=fiscal_year).exclude(pk__in=level_pks).delete()
    Question.objects.filter(fiscal_year=fiscal_year).exclude(pk__in=question_pks).exclude(
        pk__in=QuestionScore.objects.values("question")
    ).delete()
    SubIndicator.objects.filter(indicator__fiscal_year=fiscal_year).exclude(
        pk__in=[s.pk for s in subs.values()]
    ).filter(questions__isnull=True).delete()
    # New levels or weights change the result of every assessment of the year.
    results_refresh(Assessment.objects.filter(fiscal_year=fiscal_year))
    revisions.framework_changed()  # the queryset updates above sent no signal
    replies = framework_changed.send(sender=FiscalYear, fiscal_year=fiscal_year, changes=changed_items)
    notes = [line for _receiver, lines in replies for line in lines or ()]
    return FrameworkLoad(fiscal_year=fiscal_year, created=created, changed_items=changed_items, notes=notes)


def _fiscal_year_load(data: Mapping[str, Any]) -> tuple[FiscalYear, bool]:
    """The year's row, created or updated from the file; and whether it was created."""
    fiscal_year = FiscalYear.objects.filter(year=data["year"]).first()
    created = fiscal_year is None
    fiscal_year = fiscal_year or FiscalYear(year=data["year"])
    fiscal_year.fill_dates()
    fiscal_year.status = data.get("status", FrameworkStatus.CONFIRMED)
    fiscal_year.target_overall = _decimal(data.get("target_overall", "85"))
    fiscal_year.target_tool = _decimal(data.get("target_tool"))
    fiscal_year.eit_parts = bool(data.get("eit_parts", False))
    fiscal_year.oit_weights_confirmed = bool(data.get("oit_weights_confirmed", False))
    for name, value in _entry_fields(data).items():
        setattr(fiscal_year, name, value)
    fiscal_year.full_clean()
    fiscal_year.save()
    return fiscal_year, created


def _questions_load(fiscal_year: FiscalYear, items, indicators, subs) -> tuple[list[ItemChange], list[int]]:
    """The year's questions and OIT items, updated in place; the items whose wording changed,
    and the primary keys of every question the file names."""
    old_texts = dict(Question.objects.filter(fiscal_year=fiscal_year).values_list("code", "text"))
    changed_items = [
        ItemChange(code=item["code"], old=old_texts[item["code"]], new=item["text"])
        for item in items
        if item["code"] in old_texts and not same_text(old_texts[item["code"]], item["text"])
    ]
    question_pks = []
    for order, item in enumerate(items, start=1):
        question = _upsert(
            Question,
            {"fiscal_year": fiscal_year, "code": item["code"]},
            {
                "indicator": indicators[item["indicator"]],
                "sub_indicator": subs.get(item.get("sub_indicator")),
                "text": item["text"],
                "kind": item["kind"],
                "part": item.get("part"),
                "order": order,
                "key": item.get("key", ""),
                "requirement": item.get("requirement", ""),
                "years": item.get("years", []),
                "weight": _decimal(item.get("weight")),
                **_entry_fields(item),
            },
        )
        question_pks.append(question.pk)
    return changed_items, question_pks


def _levels_load(fiscal_year: FiscalYear, items) -> list[int]:
    """The year's levels, best first, renumbered from scratch; their primary keys."""
    # Move the old ones out of the way of the unique order first.
    RatingLevel.objects.filter(fiscal_year=fiscal_year).update(order=models.F("order") + 1000)
    level_pks = []
    for order, item in enumerate(items, start=1):
        level = _upsert(
            RatingLevel,
            {"fiscal_year": fiscal_year, "code": item["code"]},
            {
                "order": order,
                "label": item.get("label", item["code"]),
                "min_overall": _decimal(item["min_overall"]),
                "min_tool": _decimal(item.get("min_tool")),
                "is_pass": bool(item.get("is_pass", False)),
                **_entry_fields(item),
            },
        )
        level_pks.append(level.pk)
    return level_pks


ANALYSIS_RULE_FIELDS = (
    "improve_below",
    "urgent_below",
    "urgent_lowest",
    "full_marks",
    "question_below_full_marks_improves",
    "recommendation_improves",
)


def _analysis_rule_load(fiscal_year: FiscalYear, data: Mapping[str, Any] | None) -> AnalysisRule:
    """The year's analysis rule: as the file sets it, or the defaults once (keeping admin edits)."""
    rule = AnalysisRule.objects.filter(fiscal_year=fiscal_year).first()
    if rule is not None and data is None:
        return rule
    rule = rule or AnalysisRule(fiscal_year=fiscal_year, urgent_below=fiscal_year.target_overall)
    for name, value in (data or {}).items():
        if name not in ANALYSIS_RULE_FIELDS:
            raise ValidationError(f"analysis_rule: ไม่รู้จักค่า {name}")
        if name in ("improve_below", "urgent_below", "full_marks"):
            value = _decimal(value)
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    return rule
