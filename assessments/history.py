"""The audit history: field changes recorded by django-simple-history, in Thai, for any record."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from ita_portal.numbers import format_score
from ita_portal.thai import thai_date

from .models import Assessment, IndicatorScore, PublishedToolScore, QuestionScore


@dataclass(frozen=True)
class Change:
    """One field of one score changed by someone at some time."""

    when: object
    user: object
    subject: str
    field: str
    old: str
    new: str


def history_value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, Decimal):
        return format_score(value)
    if isinstance(value, datetime.date):
        return thai_date(value)
    return str(value)


def history_changes(
    queryset,
    subject: Callable[[Any], str],
    fields: Mapping[str, str],
    *,
    labels: Mapping[str, Mapping[Any, str]] | None = None,
    fields_on_create: bool = True,
) -> list[Change]:
    """The field changes recorded by django-simple-history in ``queryset`` (historical rows).

    ``fields`` maps field names to the labels shown; ``labels`` maps stored values
    to display values per field. With ``fields_on_create`` off, a created or
    deleted object is one line ("เพิ่ม"/"ลบ") instead of one line per field.
    """
    labels = {**_choice_labels(queryset.model, fields), **(labels or {})}

    def shown(name, value):
        return history_value(labels.get(name, {}).get(value, value))

    changes: list[Change] = []
    previous: dict[int, object] = {}
    for record in queryset.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(record.id)
        deleted = record.history_type == "-"
        line = partial(Change, when=record.history_date, user=record.history_user, subject=subject(record))
        if not fields_on_create and (before is None or deleted):
            changes.append(line(field="ลบ" if deleted else "เพิ่ม", old="", new=""))
        else:
            for name, label in fields.items():
                old = (
                    getattr(record, name) if deleted else (None if before is None else getattr(before, name))
                )
                new = None if deleted else getattr(record, name)
                if old != new and not (before is None and new in (None, "")):
                    changes.append(line(field=label, old=shown(name, old), new=shown(name, new)))
        previous[record.id] = None if deleted else record
    return changes


def _choice_labels(model, fields: Mapping[str, str]) -> dict[str, dict[Any, str]]:
    """A field with choices shows its Thai label (สถานะ: ยังไม่เริ่ม → แล้วเสร็จ, never
    not_started → done); ``labels`` adds or overrides value → label maps (a year's level codes)."""
    choices = {}
    for name in fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.choices:
            choices[name] = {value: str(label) for value, label in field.flatchoices}
    return choices


# The assessment's own fields that the history shows, with their Thai names.
PUBLISHED_FIELDS = {
    "published_overall": "คะแนนภาพรวม",
    "published_level": "ระดับ",
    "eit_part1": "คะแนน EIT ส่วนที่ 1",
    "eit_part2": "คะแนน EIT ส่วนที่ 2",
}


def assessment_changes(assessment: Assessment, limit: int = 200) -> list[Change]:
    """Who changed which score from what to what, newest first (from django-simple-history)."""
    score_fields = {"score": "คะแนน", "recommendation": "ข้อเสนอแนะ"}
    level_labels = dict(assessment.fiscal_year.levels.values_list("code", "label"))
    changes = (
        history_changes(
            IndicatorScore.history.filter(assessment_id=assessment.pk).select_related("indicator"),
            lambda h: f"ตัวชี้วัดที่ {h.indicator.number} {h.indicator.name}",
            score_fields,
        )
        + history_changes(
            QuestionScore.history.filter(assessment_id=assessment.pk).select_related("question"),
            lambda h: f"ข้อ {h.question.code}",
            score_fields,
        )
        + history_changes(
            PublishedToolScore.history.filter(assessment_id=assessment.pk).select_related("tool"),
            lambda h: f"คะแนน {h.tool.code} ที่ประกาศ",
            {"score": "คะแนน"},
        )
        + history_changes(
            Assessment.history.filter(id=assessment.pk),
            lambda h: "ผลที่ประกาศ",
            PUBLISHED_FIELDS,
            labels={"published_level": level_labels},
        )
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


def assessment_changes_since(assessment: Assessment | None, version: int) -> list[Change]:
    """What was saved on the assessment after ``version`` (0: since before it existed), newest first."""
    if assessment is None:
        return []
    # The last moment the record was still at the version the form showed: every change after
    # it came with a later version.
    seen = (
        Assessment.history.filter(id=assessment.pk, version=version).order_by("-history_date").first()
        if version
        else None
    )
    return [c for c in assessment_changes(assessment) if seen is None or c.when > seen.history_date]
