"""Writes: staging, confirming and discarding a results file, and applying its plan in bulk."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ita_portal import permissions
from ita_portal.permissions import Action as Permission

from .. import importing
from ..choices import ImportStatus
from ..importing import bulk
from ..importing.spreadsheets import Sheet
from ..models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    Membership,
    Organisation,
    PublishedToolScore,
    QuestionScore,
    ScoreImport,
)
from .results import results_refresh

# --- Importing a results file ---------------------------------------------------------------


class StaleImport(Exception):
    """The records changed between the preview and the confirmation; ``plan`` is the new preview."""

    def __init__(self, plan: importing.ImportPlan):
        super().__init__("stale import")
        self.plan = plan


def score_import_apply(*, plan: importing.ImportPlan, user, reason: str) -> None:
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
    _require_import(plan, user)
    rows = [row for row in plan.rows if row.action in (importing.Action.CREATE, importing.Action.UPDATE)]
    if not rows:
        return
    now = timezone.now()
    history = {"user": user, "reason": reason[:100], "when": now}
    with transaction.atomic():
        organisation_of = _import_organisations(rows, user)
        new_pks = _import_assessments(plan, rows, organisation_of, user, now, history)
        assessment_of = {id(row): new_pks[organisation_of[id(row)]] for row in rows}
        _import_scores(rows, assessment_of, plan.fiscal_year, plan.existing, history)
        results_refresh(Assessment.objects.filter(pk__in=assessment_of.values()))


ASSESSMENT_FIELDS = [
    "published_overall",
    "published_level",
    "eit_part1",
    "eit_part2",
    "version",
    "updated_by",
    "updated_at",
]


def _import_assessments(plan, rows, organisation_of, user, now, history) -> dict[int, int]:
    """The year's assessments of the rows, created or updated with their published numbers and
    history; every assessment of the year by organisation id."""
    fiscal_year = plan.fiscal_year
    user_id = getattr(user, "pk", None)
    created, changed = [], []
    for row in rows:
        assessment = plan.existing.assessments.get(organisation_of[id(row)])
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
        assessment.updated_by_id, assessment.updated_at = user_id, now
        assessment.version += 1
        changed.append(bulk.field_values(assessment))
    bulk.insert_rows(Assessment, created)
    new_pks = dict(Assessment.objects.filter(fiscal_year=fiscal_year).values_list("organisation_id", "pk"))
    for values in created:
        values["id"] = new_pks[values["organisation_id"]]
    bulk.insert_history(Assessment, created, history_type="+", **history)
    bulk.update_rows(Assessment, ASSESSMENT_FIELDS, changed)
    bulk.insert_history(Assessment, changed, history_type="~", **history)
    return new_pks


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


def _import_organisations(rows: list[importing.RowPlan], user) -> dict[int, int]:
    """Create the new organisations (and the importer's administrator role in them), set new codes."""
    new = {id(row): Organisation(**vars(row.new)) for row in rows if row.new is not None}
    Organisation.objects.bulk_create(new.values())
    memberships = [importing.membership_for_new(user, org) for org in new.values()]
    Membership.objects.bulk_create([m for m in memberships if m is not None])
    coded = [Organisation(pk=row.known.pk, code=row.set_code) for row in rows if row.known and row.set_code]
    Organisation.objects.bulk_update(coded, ["code"])
    return {id(row): new[id(row)].pk if row.new is not None else row.known.pk for row in rows}


def _require_import(plan: importing.ImportPlan, user) -> None:
    """``score.import`` in every organisation the plan writes into, ``organisation.create`` for new ones."""
    if user is None:  # the server's operator, from the import_scores command
        return
    creates = any(row.new for row in plan.rows)
    if creates and not permissions.anywhere(user, Permission.ORGANISATION_CREATE):
        raise PermissionDenied(permissions.REFUSALS[Permission.ORGANISATION_CREATE])
    known = {row.known.pk for row in plan.rows if row.known and row.action != importing.Action.ERROR}
    allowed = set(
        Organisation.objects.permitting(user, Permission.SCORE_IMPORT)
        .filter(pk__in=known)
        .values_list("pk", flat=True)
    )
    if known - allowed:
        raise PermissionDenied(permissions.REFUSALS[Permission.SCORE_IMPORT])


def score_import_stage(
    *,
    sheet: Sheet,
    plan: importing.ImportPlan,
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
        plan = importing.plan_import(
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
