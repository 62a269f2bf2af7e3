"""Writes: saving an assessment's scores, and loading a year's framework from its data file."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from ita_portal.stale import StaleEdit, saved_by, stale_message

from . import bulk, imports, scoring, selectors
from .choices import FrameworkStatus, ImportStatus, QuestionKind
from .models import (
    AnalysisRule,
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Membership,
    Organisation,
    PublishedToolScore,
    Question,
    QuestionScore,
    RatingLevel,
    ScoreImport,
    SubIndicator,
    Tool,
)
from .spreadsheets import Sheet


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
    what they changed, rather than overwritten.
    """
    indicators = {ind.number: ind for ind in fiscal_year.indicators.all()}
    questions = {q.code: q for q in fiscal_year.questions.all()}
    tools = {t.code: t for t in fiscal_year.tools.all()}

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

    assessment = (
        Assessment.objects.select_for_update()
        .filter(organisation=organisation, fiscal_year=fiscal_year)
        .first()
    )
    if expected_version is not None and (assessment.version if assessment else 0) != expected_version:
        changes = selectors.assessment_changes_since(assessment, expected_version)
        who = saved_by(changes[0].user, changes[0].when) if changes else ""
        raise StaleEdit(
            stale_message("คะแนนของผลการประเมินนี้", who),
            [(f"{c.subject} · {c.field}", c.old, c.new) for c in changes],
        )
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

    existing_indicators = {
        row.indicator_id: row for row in assessment.indicator_scores.select_related("indicator")
    }
    for number, indicator in indicators.items():
        row = existing_indicators.get(indicator.pk) or IndicatorScore(
            assessment=assessment, indicator=indicator
        )
        changed |= _save_if_changed(
            row,
            {
                "score": sheet.indicators[number],
                "recommendation": sheet.indicator_recommendations.get(number, "").strip(),
            },
            user,
        )

    existing_questions = {row.question_id: row for row in assessment.question_scores.all()}
    for code, question in questions.items():
        score = sheet.questions.get(code)
        recommendation = sheet.question_recommendations.get(code, "").strip()
        row = existing_questions.get(question.pk)
        if score is None and not recommendation:
            if row is not None:
                _delete_with_history(row, user)
                changed = True
            continue
        row = row or QuestionScore(assessment=assessment, question=question)
        changed |= _save_if_changed(row, {"score": score, "recommendation": recommendation}, user)

    existing_tools = {row.tool_id: row for row in assessment.published_tool_scores.all()}
    for code, tool in tools.items():
        score = sheet.published_tools.get(code)
        row = existing_tools.get(tool.pk)
        if score is None:
            if row is not None:
                _delete_with_history(row, user)
                changed = True
            continue
        row = row or PublishedToolScore(assessment=assessment, tool=tool)
        changed |= _save_if_changed(row, {"score": score}, user)
    if changed and not created:
        # One history row per version: the one that made it, with who saved it.
        _save_if_changed(
            assessment, {**published, "updated_by": user, "version": assessment.version + 1}, user
        )
    return assessment


# --- Importing a results file ---------------------------------------------------------------


class StaleImport(Exception):
    """The records changed between the preview and the confirmation; ``plan`` is the new preview."""

    def __init__(self, plan: imports.ImportPlan):
        super().__init__("stale import")
        self.plan = plan


def score_import_apply(*, plan: imports.ImportPlan, user, reason: str) -> None:
    """Write an error-free plan: new organisations, assessments and scores, in one transaction.

    Rows are written per table with one prepared statement each (``assessments.bulk``),
    together with their history rows (who, when, ``reason``), so the number of
    queries does not depend on the number of rows. The values were validated while
    planning (``parse_score``: 0–100, two decimals; the year's levels) and the
    database's check constraints guard the ranges again; ``full_clean()`` — one
    uniqueness query per object — is not run.
    """
    if plan.has_errors:
        raise ValueError("a plan with errors cannot be applied")
    rows = [row for row in plan.rows if row.action in (imports.Action.CREATE, imports.Action.UPDATE)]
    if not rows:
        return
    now = timezone.now()
    history = {"user": user, "reason": reason[:100], "when": now}
    existing = plan.existing
    fiscal_year = plan.fiscal_year
    user_id = getattr(user, "pk", None)
    with transaction.atomic():
        organisation_of = _import_organisations(rows, user)
        created, changed = [], []
        for row in rows:
            assessment = existing.assessments.get(organisation_of[id(row)])
            values = row.values
            if assessment is None:
                created.append(
                    {
                        "organisation_id": organisation_of[id(row)],
                        "fiscal_year_id": fiscal_year.pk,
                        "published_overall": values.overall,
                        "published_level": values.level or "",
                        "eit_part1": values.eit_parts.get(1),
                        "eit_part2": values.eit_parts.get(2),
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                        "updated_by_id": user_id,
                    }
                )
                continue
            if values.overall is not None:
                assessment.published_overall = values.overall
            if values.level:
                assessment.published_level = values.level
            for part, score in values.eit_parts.items():
                setattr(assessment, f"eit_part{part}", score)
            assessment.updated_by_id = user_id
            assessment.updated_at = now
            assessment.version += 1
            changed.append(bulk.field_values(assessment))
        bulk.insert_rows(Assessment, created)
        new_pks = {
            organisation_id: pk
            for organisation_id, pk in Assessment.objects.filter(fiscal_year=fiscal_year).values_list(
                "organisation_id", "pk"
            )
        }
        for values in created:
            values["id"] = new_pks[values["organisation_id"]]
        bulk.insert_history(Assessment, created, history_type="+", **history)
        bulk.update_rows(
            Assessment,
            [
                "published_overall",
                "published_level",
                "eit_part1",
                "eit_part2",
                "version",
                "updated_by",
                "updated_at",
            ],
            changed,
        )
        bulk.insert_history(Assessment, changed, history_type="~", **history)

        assessment_of = {id(row): new_pks[organisation_of[id(row)]] for row in rows}
        _import_scores(rows, assessment_of, fiscal_year, existing, history)


def _import_scores(rows, assessment_of: dict[int, int], fiscal_year: FiscalYear, existing, history) -> None:
    """New and changed indicator, published tool and question scores, with their history."""
    kinds = (
        (
            IndicatorScore,
            "indicator",
            existing.indicator_scores,
            lambda v: v.indicators,
            fiscal_year.indicators,
            "number",
        ),
        (PublishedToolScore, "tool", existing.tool_scores, lambda v: v.tools, fiscal_year.tools, "code"),
        (
            QuestionScore,
            "question",
            existing.question_scores,
            lambda v: v.questions,
            fiscal_year.questions,
            "code",
        ),
    )
    for model, link, table, values_of, targets, key_name in kinds:
        target_pk = {key: pk for pk, key in targets.values_list("pk", key_name)}
        new, changed = [], []
        for row in rows:
            assessment_id = assessment_of[id(row)]
            for key, score in values_of(row.values).items():
                record = table.get(assessment_id, {}).get(key)
                if record is None:
                    values = {"assessment_id": assessment_id, f"{link}_id": target_pk[key], "score": score}
                    if model is not PublishedToolScore:
                        values["recommendation"] = ""
                    new.append(values)
                elif record.score != score:
                    record.score = score
                    changed.append(bulk.field_values(record))
        bulk.insert_rows(model, new)
        if new:
            pks = {
                (assessment_id, target_id): pk
                for assessment_id, target_id, pk in model.objects.filter(
                    assessment__fiscal_year=fiscal_year
                ).values_list("assessment_id", f"{link}_id", "pk")
            }
            for values in new:
                values["id"] = pks[(values["assessment_id"], values[f"{link}_id"])]
        bulk.insert_history(model, new, history_type="+", **history)
        bulk.update_rows(model, ["score"], changed)
        bulk.insert_history(model, changed, history_type="~", **history)


def _import_organisations(rows: list[imports.RowPlan], user) -> dict[int, int]:
    """Create the new organisations (and the importer's administrator role in them), set new codes."""
    new = {id(row): Organisation(**vars(row.new)) for row in rows if row.new is not None}
    Organisation.objects.bulk_create(new.values())
    memberships = [imports.membership_for_new(user, org) for org in new.values()]
    Membership.objects.bulk_create([m for m in memberships if m is not None])
    coded = [Organisation(pk=row.known.pk, code=row.set_code) for row in rows if row.known and row.set_code]
    Organisation.objects.bulk_update(coded, ["code"])
    return {id(row): new[id(row)].pk if row.new is not None else row.known.pk for row in rows}


def score_import_stage(
    *,
    sheet: Sheet,
    plan: imports.ImportPlan,
    user,
    file_name: str,
    content: bytes,
    committed: bool = False,
) -> ScoreImport:
    """Keep a checked file and its preview until the user confirms it (nothing is imported yet).

    With ``committed`` the record only logs an import already applied (the management command).
    """
    record = ScoreImport(
        uploaded_by=user,
        fiscal_year=plan.fiscal_year,
        file_name=file_name[:255],
        file_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        sheet=sheet.as_json(),
        create_organisations=plan.create_organisations,
        digest=plan.digest(),
        summary=plan.summary(),
    )
    if committed:
        record.status = ImportStatus.COMMITTED
        record.committed_at = timezone.now()
    record.full_clean()
    record.save()
    return record


def score_import_commit(*, score_import: ScoreImport, user) -> ScoreImport:
    """Import a staged file, if the records still are as its preview showed; else raise StaleImport.

    The plan is made again inside the transaction from the cells kept at upload, so what
    is written is exactly what the user saw, and nothing at all if anything differs.
    """
    with transaction.atomic():
        record = ScoreImport.objects.select_for_update().get(pk=score_import.pk)
        if record.status != ImportStatus.PENDING:
            raise ValidationError("ไฟล์นี้นำเข้าไปแล้ว")
        plan = imports.plan_import(
            Sheet.from_json(record.sheet),
            fiscal_year=record.fiscal_year,
            user=user,
            create_organisations=record.create_organisations,
        )
        stale = plan.digest() != record.digest or plan.has_errors
        if not stale:
            score_import_apply(plan=plan, user=user, reason=f"นำเข้าจากไฟล์ {record.file_name}")
            record.status = ImportStatus.COMMITTED
            record.committed_at = timezone.now()
            record.save(update_fields=["status", "committed_at"])
    if stale:
        # Outside the transaction above, so the new preview is kept for the next confirmation.
        record.digest = plan.digest()
        record.summary = plan.summary()
        record.save(update_fields=["digest", "summary"])
        raise StaleImport(plan)
    return record


def score_import_discard(*, score_import: ScoreImport, user) -> None:
    """Throw away a checked file that was never confirmed (only its uploader's, only while pending)."""
    with transaction.atomic():
        record = ScoreImport.objects.select_for_update().filter(pk=score_import.pk).first()
        if record is None or record.uploaded_by_id != getattr(user, "pk", None):
            raise ValidationError("ไม่พบไฟล์นี้ในรายการที่ท่านอัปโหลด")
        if record.status != ImportStatus.PENDING:
            raise ValidationError("ไฟล์นี้นำเข้าไปแล้ว จึงยกเลิกไม่ได้")
        record.delete()


# --- The yearly framework from its data file --------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _entry_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "unconfirmed": bool(item.get("unconfirmed", False)),
        "source_note": item.get("note", ""),
    }


def _check_framework_data(data: Mapping[str, Any]) -> None:
    """Refuse a data file whose parts do not fit together, before anything is written."""
    year = data.get("year")
    problems: list[str] = []
    if not isinstance(year, int):
        raise ValidationError("แฟ้มกรอบการประเมินต้องระบุปี (year) เป็นตัวเลข พ.ศ.")
    tool_codes = [tool["code"] for tool in data.get("tools", [])]
    if len(tool_codes) != len(set(tool_codes)):
        problems.append("รหัสเครื่องมือซ้ำกัน")
    weights = sum((Decimal(str(t["weight"])) for t in data.get("tools", [])), Decimal("0"))
    if weights != Decimal("1"):
        problems.append(f"น้ำหนักของเครื่องมือรวมกันได้ {weights} ไม่ใช่ 1")
    numbers = [ind["number"] for ind in data.get("indicators", [])]
    if len(numbers) != len(set(numbers)):
        problems.append("หมายเลขตัวชี้วัดซ้ำกัน")
    for ind in data.get("indicators", []):
        if ind["tool"] not in tool_codes:
            problems.append(f"ตัวชี้วัดที่ {ind['number']} อ้างถึงเครื่องมือ {ind['tool']} ที่ไม่มี")
    for tool in tool_codes:
        if not any(ind["tool"] == tool for ind in data.get("indicators", [])):
            problems.append(f"เครื่องมือ {tool} ไม่มีตัวชี้วัด")
    sub_codes = {sub["code"]: sub["indicator"] for sub in data.get("sub_indicators", [])}
    for sub in data.get("sub_indicators", []):
        if sub["indicator"] not in numbers:
            problems.append(f"ตัวชี้วัดย่อย {sub['code']} อ้างถึงตัวชี้วัดที่ {sub['indicator']} ที่ไม่มี")
    codes = [q["code"] for q in data.get("questions", [])]
    if len(codes) != len({c.casefold() for c in codes}):
        problems.append("รหัสข้อคำถามซ้ำกัน")
    for q in data.get("questions", []):
        if q["indicator"] not in numbers:
            problems.append(f"ข้อ {q['code']} อ้างถึงตัวชี้วัดที่ {q['indicator']} ที่ไม่มี")
        if q.get("sub_indicator") and sub_codes.get(q["sub_indicator"]) != q["indicator"]:
            problems.append(f"ข้อ {q['code']} อ้างถึงตัวชี้วัดย่อย {q['sub_indicator']} ที่ไม่ตรงกัน")
        if q.get("kind") not in QuestionKind.values:
            problems.append(f"ข้อ {q['code']} มีลักษณะการให้คะแนน {q.get('kind')!r} ที่ไม่รู้จัก")
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
    if problems:
        raise ValidationError([f"ปี {year}: {p}" for p in problems])


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> models.Model:
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    obj.full_clean()
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


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@transaction.atomic
def framework_load(*, data: Mapping[str, Any]) -> FrameworkLoad:
    """Create or update a fiscal year's framework from its data file (already parsed JSON).

    Entries are matched by their natural keys (tool code, indicator number, question
    code, level code) and updated in place, so that assessments and measure templates
    keep pointing at them. Entries that are in the database but no longer in the file
    are removed when nothing refers to them. Returns the fiscal year, whether it was
    created, and the items whose wording changed (their templates need a review,
    ``measures.services.measure_templates_flag_changed``).
    """
    _check_framework_data(data)
    year = data["year"]
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    created = fiscal_year is None
    fiscal_year = fiscal_year or FiscalYear(year=year)
    fiscal_year.fill_dates()
    fiscal_year.status = data.get("status", FrameworkStatus.CONFIRMED)
    fiscal_year.target_overall = _decimal(data.get("target_overall", "85"))
    fiscal_year.target_tool = _decimal(data.get("target_tool"))
    fiscal_year.eit_parts = bool(data.get("eit_parts", False))
    fiscal_year.unconfirmed = bool(data.get("unconfirmed", False))
    fiscal_year.source_note = data.get("note", "")
    fiscal_year.full_clean()
    fiscal_year.save()

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
            {"name": item["name"], **_entry_fields(item)},
        )
    question_pks = []
    old_texts = dict(Question.objects.filter(fiscal_year=fiscal_year).values_list("code", "text"))
    changed_items = [
        ItemChange(code=item["code"], old=old_texts[item["code"]], new=item["text"])
        for item in data.get("questions", [])
        if item["code"] in old_texts and not _same_text(old_texts[item["code"]], item["text"])
    ]
    for order, item in enumerate(data.get("questions", []), start=1):
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
                **_entry_fields(item),
            },
        )
        question_pks.append(question.pk)
    # Levels are renumbered from scratch: move the old ones out of the way of the unique order.
    RatingLevel.objects.filter(fiscal_year=fiscal_year).update(order=models.F("order") + 1000)
    level_pks = []
    for order, item in enumerate(data["levels"], start=1):
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

    _analysis_rule_load(fiscal_year, data.get("analysis_rule"))

    # What the file no longer has: remove it unless a score still refers to it.
    RatingLevel.objects.filter(fiscal_year=fiscal_year).exclude(pk__in=level_pks).delete()
    Question.objects.filter(fiscal_year=fiscal_year).exclude(pk__in=question_pks).exclude(
        pk__in=QuestionScore.objects.values("question")
    ).delete()
    SubIndicator.objects.filter(indicator__fiscal_year=fiscal_year).exclude(
        pk__in=[s.pk for s in subs.values()]
    ).filter(questions__isnull=True).delete()
    return FrameworkLoad(fiscal_year=fiscal_year, created=created, changed_items=changed_items)


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
