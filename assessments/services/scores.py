"""Writes: an assessment's scores, typed on the form (one transaction, history, stale refusal)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from ita_portal import locks, permissions
from ita_portal.permissions import Action as Permission
from ita_portal.stale import StaleEdit, saved_by, stale_message

from .. import history
from ..models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    Organisation,
    PublishedToolScore,
    QuestionScore,
)
from . import results
from .results import results_refresh


@dataclass
class ScoreSheet:
    """Everything typed for one assessment: keyed by indicator number, question code, tool code."""

    indicators: dict[int, Decimal]
    indicator_recommendations: dict[int, str] = field(default_factory=dict)
    questions: dict[str, Decimal | None] = field(default_factory=dict)
    question_recommendations: dict[str, str] = field(default_factory=dict)
    published_overall: Decimal | None = None
    published_level: str = ""
    published_tools: dict[str, Decimal | None] = field(default_factory=dict)
    eit_part1: Decimal | None = None
    eit_part2: Decimal | None = None


def _save_if_changed(instance: models.Model, values: Mapping[str, Any], user) -> bool:
    """Set ``values`` on ``instance`` and save it (with history) only if something changed."""
    changed = instance._state.adding or any(
        getattr(instance, name) != value for name, value in values.items()
    )
    if not changed:
        return False
    for name, value in values.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.full_clean()
    instance.save()
    return True


EIT_PARTS_BOTH = "กรุณากรอกคะแนน EIT ทั้งส่วนที่ 1 และส่วนที่ 2 หรือเว้นว่างทั้งคู่"


def _check_eit_parts(fiscal_year: FiscalYear, part1: Decimal | None, part2: Decimal | None) -> None:
    """EIT part scores come in pairs, and only in a year whose EIT has parts."""
    if part1 is None and part2 is None:
        return
    if not fiscal_year.eit_parts:
        raise ValidationError(f"ปี {fiscal_year.year} EIT ไม่ได้แยกคะแนนเป็นสองส่วน")
    if part1 is None or part2 is None:
        raise ValidationError(EIT_PARTS_BOTH)


def _delete_with_history(instance: models.Model, user) -> None:
    instance._history_user = user
    instance.delete()


@transaction.atomic
def assessment_save_scores(
    *,
    organisation: Organisation,
    fiscal_year: FiscalYear,
    sheet: ScoreSheet,
    user,
    expected_version: int | None = None,
) -> Assessment:
    """Create or update the organisation's assessment for the year from a score sheet.

    All or nothing: one transaction, every row validated with ``full_clean()``; rows
    whose values did not change are not written, so the history shows real changes only.
    Raises ``ValidationError`` (Thai messages) for a sheet that does not fit the year.
    With ``expected_version`` (the version the form showed; 0 for a new assessment), an
    assessment someone else saved in the meantime is refused with ``StaleEdit`` naming
    what they changed, rather than overwritten. ``user`` None is the server's operator
    (management commands); anyone else needs ``score.edit`` in the organisation.
    """
    if user is not None:
        permissions.require(user, organisation, Permission.SCORE_EDIT)
    indicators = {ind.number: ind for ind in fiscal_year.indicators.all()}
    questions = {q.code: q for q in fiscal_year.questions.all()}
    tools = {t.code: t for t in fiscal_year.tools.all()}
    _check_sheet(fiscal_year, sheet, indicators, questions, tools)

    locks.hold(organisation)  # two first saves at once: the second waits, then is refused as stale
    assessment = (
        Assessment.objects.select_for_update()
        .filter(organisation=organisation, fiscal_year=fiscal_year)
        .first()
    )
    _refuse_stale(assessment, expected_version)
    published = {
        "published_overall": sheet.published_overall,
        "published_level": sheet.published_level,
        "eit_part1": sheet.eit_part1,
        "eit_part2": sheet.eit_part2,
    }
    created = assessment is None
    if created:
        assessment = Assessment(organisation=organisation, fiscal_year=fiscal_year)
        _save_if_changed(assessment, {**published, "updated_by": user}, user)
    changed = any(getattr(assessment, name) != value for name, value in published.items())
    changed |= _save_indicator_scores(assessment, sheet, indicators, user)
    changed |= _save_question_scores(assessment, sheet, questions, user)
    changed |= _save_published_tools(assessment, sheet, tools, user)
    if changed and not created:
        # One history row per version: the one that made it, with who saved it.
        _save_if_changed(
            assessment, {**published, "updated_by": user, "version": assessment.version + 1}, user
        )
    results_refresh(Assessment.objects.filter(pk=assessment.pk))
    assessment.refresh_from_db(fields=results.FIELDS)
    return assessment


def _check_sheet(fiscal_year: FiscalYear, sheet: ScoreSheet, indicators, questions, tools) -> None:
    """Refuse, in Thai, a sheet that does not fit the year's framework."""
    missing = sorted(set(indicators) - set(sheet.indicators))
    if missing:
        raise ValidationError("ยังไม่มีคะแนนตัวชี้วัดที่ " + ", ".join(str(n) for n in missing))
    unknown = (
        [str(n) for n in set(sheet.indicators) - set(indicators)]
        + sorted((set(sheet.questions) | set(sheet.question_recommendations)) - set(questions))
        + sorted(set(sheet.published_tools) - set(tools))
    )
    if unknown:
        raise ValidationError(f"ไม่มีรายการต่อไปนี้ในกรอบการประเมินปี {fiscal_year.year}: " + ", ".join(unknown))
    if sheet.published_level:
        level_names = {name for lv in fiscal_year.levels.all() for name in (lv.code, lv.label)}
        if sheet.published_level not in level_names:
            raise ValidationError(f"ไม่มีระดับ {sheet.published_level} ในเกณฑ์ของปี {fiscal_year.year}")
    _check_eit_parts(fiscal_year, sheet.eit_part1, sheet.eit_part2)


def _refuse_stale(assessment: Assessment | None, expected_version: int | None) -> None:
    """``StaleEdit`` naming what someone else changed since the version the form showed."""
    if expected_version is None or (assessment.version if assessment else 0) == expected_version:
        return
    changes = history.assessment_changes_since(assessment, expected_version)
    who = saved_by(changes[0].user, changes[0].when) if changes else ""
    raise StaleEdit(
        stale_message("คะแนนของผลการประเมินนี้", who),
        [(f"{c.subject} · {c.field}", c.old, c.new) for c in changes],
        assessment.version if assessment else 0,
    )


def _save_indicator_scores(assessment: Assessment, sheet: ScoreSheet, indicators, user) -> bool:
    existing = {row.indicator_id: row for row in assessment.indicator_scores.select_related("indicator")}
    changed = False
    for number, indicator in indicators.items():
        row = existing.get(indicator.pk) or IndicatorScore(assessment=assessment, indicator=indicator)
        values = {
            "score": sheet.indicators[number],
            "recommendation": sheet.indicator_recommendations.get(number, "").strip(),
        }
        changed |= _save_if_changed(row, values, user)
    return changed


def _save_question_scores(assessment: Assessment, sheet: ScoreSheet, questions, user) -> bool:
    """A question without a score or a recommendation has no row (one it had is deleted)."""
    existing = {row.question_id: row for row in assessment.question_scores.all()}
    changed = False
    for code, question in questions.items():
        score = sheet.questions.get(code)
        recommendation = sheet.question_recommendations.get(code, "").strip()
        row = existing.get(question.pk)
        if score is None and not recommendation:
            if row is not None:
                _delete_with_history(row, user)
                changed = True
            continue
        row = row or QuestionScore(assessment=assessment, question=question)
        changed |= _save_if_changed(row, {"score": score, "recommendation": recommendation}, user)
    return changed


def _save_published_tools(assessment: Assessment, sheet: ScoreSheet, tools, user) -> bool:
    existing = {row.tool_id: row for row in assessment.published_tool_scores.all()}
    changed = False
    for code, tool in tools.items():
        score = sheet.published_tools.get(code)
        row = existing.get(tool.pk)
        if score is None:
            if row is not None:
                _delete_with_history(row, user)
                changed = True
            continue
        row = row or PublishedToolScore(assessment=assessment, tool=tool)
        changed |= _save_if_changed(row, {"score": score}, user)
    return changed
