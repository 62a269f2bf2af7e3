"""Writes: carrying an approved plan out: who and when, progress reports and their evidence."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from ita_portal.permissions import Action
from ita_portal.storage import files_follow_rows

from ..choices import TRACKED_STATUSES
from ..evidence import EvidenceRejected, check_upload
from ..models import (
    Evidence,
    Measure,
    ProgressUpdate,
)
from ._common import PlanLocked, _lock_measure, _require, _save, _save_measure
from .counters import plan_counters_refresh

TRACKING_FIELDS = ("owner_person", "responsible_unit", "start_date", "end_date")


@transaction.atomic
def measure_track(*, measure: Measure, user, values: Mapping[str, Any], expected_version: int | None) -> bool:
    """Set who carries a measure out and its dates, while its plan is approved or published."""
    measure = _lock_measure(measure, expected_version)
    _require(user, measure.plan, Action.PROGRESS_EDIT)
    if measure.plan.status not in TRACKED_STATUSES:
        raise PlanLocked("ติดตามผลได้เมื่อแผนได้รับอนุมัติแล้ว")
    changed = {k: v for k, v in values.items() if k in TRACKING_FIELDS and getattr(measure, k) != v}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(measure, name, value)
    _save_measure(measure, user)
    plan_counters_refresh(measure.plan)
    return True


@dataclass
class Upload:
    """A file as received: its name, its content (read once), and its size."""

    name: str
    content: bytes


def _checked_files(files: list[Upload]) -> list:
    """What each file is (by its content), every file checked before anything is written."""
    total = settings.EVIDENCE_MAX_TOTAL_BYTES
    if sum(len(upload.content) for upload in files) > total:
        raise ValidationError({"files": f"ไฟล์หลักฐานรวมกันเกิน {total // 1024 // 1024} MB ต่อหนึ่งรายงาน"})
    kinds = []
    for upload in files:
        try:
            kinds.append(check_upload(upload.name, upload.content, settings.EVIDENCE_MAX_BYTES))
        except EvidenceRejected as exc:
            raise ValidationError({"files": exc.message}) from None
    return kinds


def _store_file(update: ProgressUpdate, upload: Upload, kind, stored: list[str]) -> None:
    """An evidence file of ``update`` stored under a random name, named in ``stored`` (the files
    removed if the transaction rolls back) before its row is written."""
    evidence = Evidence(
        update=update,
        original_name=upload.name[:255],
        content_type=kind.content_type,
        size=len(upload.content),
    )
    evidence.file.save(upload.name, ContentFile(upload.content), save=False)
    stored.append(evidence.file.name)
    evidence.save()


def progress_report(
    *,
    measure: Measure,
    user,
    reported_on: datetime.date,
    status: str,
    percent: int,
    result: str,
    recommendation: str = "",
    cancel_reason: str = "",
    links: list[str] = (),
    files: list[Upload] = (),
    expected_version: int | None = None,
):
    """Record progress on a measure of an approved plan, with its evidence, in one transaction.

    Every file is checked (type by content, size) before anything is written. The
    measure's status, percentage and last-update date follow its latest update by
    date, so a late-entered older report does not overwrite a newer one.
    """
    kinds = _checked_files(files)
    # The files are written with their rows; if the transaction rolls back, they are removed.
    with files_follow_rows(Evidence.file.field.storage) as stored, transaction.atomic():
        measure = _lock_measure(measure, expected_version)
        _require(user, measure.plan, Action.PROGRESS_EDIT)
        if measure.plan.status not in TRACKED_STATUSES:
            raise PlanLocked("บันทึกความก้าวหน้าได้เมื่อแผนได้รับอนุมัติแล้ว")
        update = ProgressUpdate(
            measure=measure,
            reported_on=reported_on,
            status=status,
            percent=percent,
            result=result.strip(),
            recommendation=recommendation.strip(),
            cancel_reason=cancel_reason.strip(),
            created_by=user,
        )
        _save(update, user)
        for link in links:
            evidence = Evidence(update=update, url=link)
            evidence.full_clean()
            evidence.save()
        for upload, kind in zip(files, kinds, strict=True):
            _store_file(update, upload, kind, stored)
        latest = measure.updates.order_by("-reported_on", "-pk").first()
        measure.status = latest.status
        measure.percent = latest.percent
        measure.cancel_reason = latest.cancel_reason
        measure.last_update_on = latest.reported_on
        _save_measure(measure, user)
        plan_counters_refresh(measure.plan)
        return update
