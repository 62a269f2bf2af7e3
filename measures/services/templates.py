"""Writes: the measure template library loaded from its data file, and flagged when items are reworded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.choices import QuestionKind
from assessments.models import FiscalYear, Question

from ..choices import MeasureKind
from ..models import (
    MeasureTemplate,
)


@transaction.atomic
def measure_templates_load(*, data: Mapping[str, Any]) -> tuple[int, int]:
    """Create or update templates from their data file (parsed JSON), matched by (year, key).

    All or nothing: every template is validated with ``full_clean()``; the first bad
    one raises ``ValidationError`` naming it and nothing is written. Templates added
    in the admin and absent from the file are kept. Returns (created, updated).
    """
    items = data.get("templates")
    if not isinstance(items, list):
        raise ValidationError("ไฟล์แม่แบบต้องมีรายการ templates")
    years = {fy.year: fy for fy in FiscalYear.objects.all()}
    catalogue = _Catalogue.read()
    created = updated = 0
    for index, item in enumerate(items, start=1):
        label = f"แม่แบบที่ {index} ({item.get('key', '?')}, ปี {item.get('year') or 'ทุกปี'})"
        year = item.get("year")
        if year is not None and year not in years:
            raise ValidationError(f"{label}: ยังไม่มีกรอบการประเมินปี {year} ให้โหลด load_framework ก่อน")
        values = _template_values(item, label, catalogue)
        template = MeasureTemplate.objects.filter(fiscal_year=years.get(year), key=item["key"]).first()
        if template is None:
            template = MeasureTemplate(fiscal_year=years.get(year), key=item["key"])
            created += 1
        elif all(getattr(template, k) == v for k, v in values.items()):
            continue
        else:
            updated += 1
        for name, value in values.items():
            setattr(template, name, value)
        try:
            template.full_clean()
        except ValidationError as exc:
            raise ValidationError(f"{label}: {'; '.join(exc.messages)}") from None
        template.save()
    return created, updated


@dataclass(frozen=True)
class _Catalogue:
    """Every year's questions by (year, code), and the keys of each year's OIT items."""

    questions: dict[tuple[int, str], Question]
    item_keys: dict[int, set[str]]

    @classmethod
    def read(cls) -> _Catalogue:
        questions = {
            (q.fiscal_year.year, q.code): q
            for q in Question.objects.select_related("fiscal_year", "indicator")
        }
        item_keys: dict[int, set[str]] = {}
        for (year, _code), q in questions.items():
            if q.kind == QuestionKind.OIT_ITEM:
                item_keys.setdefault(year, set()).add(q.key)
        return cls(questions, item_keys)


def _template_values(item: Mapping[str, Any], label: str, catalogue: _Catalogue) -> dict[str, Any]:
    """A template's fields from its entry in the data file; ValidationError naming it."""
    year = item.get("year")
    question = None
    if item.get("question"):
        question = catalogue.questions.get((year, item["question"]))
        if question is None:
            raise ValidationError(f"{label}: ปี {year} ไม่มีข้อ {item['question']}")
    if missing := _items_missing_in_plan_year(item, catalogue.questions, catalogue.item_keys):
        raise ValidationError(f"{label}: {missing}")
    period = item.get("period", [1, 4])
    return {
        "indicator_number": item["indicator"],
        "question": question,
        "kind": item.get("kind", MeasureKind.IMPROVE),
        "title": item["title"],
        "analysis": item["analysis"],
        "steps": "\n".join(item["steps"]),
        "period_start": period[0],
        "period_end": period[1],
        "responsible_unit": item.get("responsible_unit", "คณะทำงาน ITA"),
        "relies_on": ", ".join(item.get("relies_on", [])),
        "target": item.get("target", ""),
        "order": item.get("order", 0),
    }


def _items_missing_in_plan_year(item: Mapping[str, Any], questions, item_keys) -> str:
    """The OIT items a template of year Y relies on that the plan's year (Y + 1) does not have,
    matched by key, when that year's items are loaded (Thai, "" when none): a plan made from it
    would send staff to an item the assessors will not look for."""
    year = item.get("year")
    if year is None or year + 1 not in item_keys:
        return ""
    missing = []
    for code in item.get("relies_on", []):
        question = questions.get((year, code))
        is_item = question is not None and question.kind == QuestionKind.OIT_ITEM
        if is_item and (not question.key or question.key not in item_keys[year + 1]):
            missing.append(f"{code} “{question.text}”")
    if not missing:
        return ""
    return f"อ้างอิงข้อ OIT ของปี {year} ที่ไม่มีในรายการปี {year + 1} (ปีของแผน): {', '.join(missing)}"


def measure_templates_flag_changed(*, fiscal_year: FiscalYear, changes) -> list[MeasureTemplate]:
    """Mark for review the year's templates whose item changed wording (``framework_load``'s
    ``changed_items``): those proposed for that question or item and those relying on it.

    The template's text is kept as it is; ``review_note`` says what changed, and the
    administrator clears ``needs_review`` in the admin once the text is checked.
    """
    if not changes:
        return []
    by_code = {change.code.casefold(): change for change in changes}
    flagged = []
    templates = MeasureTemplate.objects.filter(fiscal_year=fiscal_year).select_related("question")
    for template in templates:
        hits = []
        if template.question_id and template.question.code.casefold() in by_code:
            hits.append(by_code[template.question.code.casefold()])
        hits += [by_code[c.casefold()] for c in template.relies_on_codes if c.casefold() in by_code]
        if not hits:
            continue
        notes = [
            f"ปี {fiscal_year.year} ข้อ {c.code} เปลี่ยนจาก “{c.old}” เป็น “{c.new}”" for c in dict.fromkeys(hits)
        ]
        template.needs_review = True
        template.review_note = "\n".join(notes)
        template.full_clean()
        template.save(update_fields=["needs_review", "review_note"])
        flagged.append(template)
    return flagged


def flag_templates_of_changed_items(*, fiscal_year: FiscalYear, changes, **_signal) -> list[str]:
    """``assessments.signals.framework_changed``'s receiver: flag the templates, name them."""
    return [
        f"แม่แบบ {template.key} ต้องทบทวน (ข้อที่อ้างถึงเปลี่ยนความหมาย)"
        for template in measure_templates_flag_changed(fiscal_year=fiscal_year, changes=changes)
    ]
