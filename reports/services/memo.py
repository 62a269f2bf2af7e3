"""Writes for what the documents print that the records cannot tell: the digits option, the
memo's details and signatories, the announcement's date and signer, the ครุฑ."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from assessments.history import history_value
from assessments.models import Organisation
from ita_portal import locks, permissions
from ita_portal.permissions import Action
from ita_portal.stale import StaleEdit, saved_by, stale_message
from measures.models import MeasurePlan

from ..choices import DocumentKind
from ..models import Announcement, DocumentOptions, Memo, MemoSignatory

GARUDA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
GARUDA_MAX_PIXELS = 2000


@transaction.atomic
def document_options_set(*, plan: MeasurePlan, kind: str, thai_digits: bool, user) -> DocumentOptions:
    """Choose Thai or Arabic digits for one document of the plan."""
    permissions.require(user, plan.organisation, Action.DOCUMENT_EDIT)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "ไม่มีเอกสารชนิดนี้"})
    locks.hold(plan)
    options, _created = DocumentOptions.objects.update_or_create(
        plan=plan, kind=kind, defaults={"thai_digits": thai_digits}
    )
    return options


@dataclass(frozen=True)
class Signer:
    addressed_to: str
    opinion: str
    name: str
    position: str


MEMO_FIELDS = {
    "department": "ส่วนราชการ",
    "number": "ที่",
    "date": "วันที่",
    "subject": "เรื่อง",
    "addressee": "เรียน",
    "author_name": "ผู้เสนอ",
    "author_position": "ตำแหน่งผู้เสนอ",
    "decision_name": "ผู้พิจารณา",
    "decision_position": "ตำแหน่งผู้พิจารณา",
}


@transaction.atomic
def memo_save(
    *, plan: MeasurePlan, user, fields: dict, signers: Sequence[Signer], expected_version: int | None = None
) -> Memo:
    """Create or replace the memo's details and its chain of signatories, all or nothing.

    With ``expected_version`` (the version the form showed; 0 for a new memo), a memo someone
    else saved in the meantime is refused with ``StaleEdit`` naming what they changed.
    """
    permissions.require(user, plan.organisation, Action.DOCUMENT_EDIT)
    locks.hold(plan)  # two first memos at once: the second waits, then is refused as stale
    memo = Memo.objects.select_for_update().filter(plan=plan).first()
    if expected_version is not None and (memo.version if memo else 0) != expected_version:
        raise StaleEdit(
            *_changes_since(memo, expected_version, MEMO_FIELDS, "บันทึกข้อความนี้"), memo.version if memo else 0
        )
    memo = memo or Memo(plan=plan)
    for name, value in fields.items():
        setattr(memo, name, value)
    memo.updated_by = user
    if memo.pk:
        memo.version += 1
    memo._history_user = user
    memo.full_clean()
    memo.save()
    # Rows are kept by their place in the chain and changed in place, so the history shows
    # "position: A → B" rather than a deletion and a creation on every save.
    existing = list(memo.signatories.all())
    for order, signer in enumerate(signers, start=1):
        values = {"order": order, **dataclasses.asdict(signer)}
        row = existing[order - 1] if order <= len(existing) else MemoSignatory(memo=memo)
        if row.pk and all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row._history_user = user
        row.full_clean()
        row.save()
    for row in existing[len(signers) :]:
        row._history_user = user
        row.delete()
    return memo


def _changes_since(record, version: int, fields: dict[str, str], what: str):
    """The refusal's message and what another person changed on ``record`` (a memo or an
    announcement, or None when the form claimed one that was never saved) since ``version``."""
    if record is None:
        return stale_message(what, ""), []
    history = type(record).history.filter(id=record.pk).select_related("history_user")
    records = list(history.order_by("history_date"))
    base = next((r for r in records if r.version == version), None)
    latest = records[-1] if records else None
    changes = []
    for name, label in fields.items():
        old, new = (getattr(base, name) if base else None), getattr(record, name)
        if old != new:
            changes.append((label, history_value(old), history_value(new)))
    who = saved_by(latest.history_user, latest.history_date) if latest else ""
    return stale_message(what, who), changes


def memo_defaults(plan: MeasurePlan) -> dict:
    """What a new memo starts with, from the organisation's record."""
    name = plan.organisation.name
    return {
        "department": f"สำนักปลัด {name}",
        "addressee": f"นายก{name}",
        "decision_position": f"นายก{name}",
    }


ANNOUNCEMENT_FIELDS = {"date": "ประกาศ ณ วันที่", "signer_name": "ผู้ลงนาม", "signer_position": "ตำแหน่งผู้ลงนาม"}


@transaction.atomic
def announcement_save(
    *, plan: MeasurePlan, user, fields: dict, expected_version: int | None = None
) -> Announcement:
    """Create or change the announcement's date and signer; with ``expected_version`` (0 for a new
    one), an announcement someone else saved in the meantime is refused with ``StaleEdit``."""
    permissions.require(user, plan.organisation, Action.DOCUMENT_EDIT)
    locks.hold(plan)
    announcement = Announcement.objects.select_for_update().filter(plan=plan).first()
    if expected_version is not None and (announcement.version if announcement else 0) != expected_version:
        raise StaleEdit(
            *_changes_since(announcement, expected_version, ANNOUNCEMENT_FIELDS, "ประกาศนี้"),
            announcement.version if announcement else 0,
        )
    announcement = announcement or Announcement(plan=plan)
    for name in ANNOUNCEMENT_FIELDS:
        setattr(announcement, name, fields[name])
    announcement.updated_by = user
    if announcement.pk:
        announcement.version += 1
    announcement._history_user = user
    announcement.full_clean()
    announcement.save()
    return announcement


def announcement_defaults(plan: MeasurePlan) -> dict:
    """What a new announcement starts with: the memo's decision maker, else the executive's title."""
    memo = Memo.objects.filter(plan=plan).first()
    if memo and memo.decision_name.strip():
        return {"signer_name": memo.decision_name, "signer_position": memo.decision_position}
    return {"signer_position": f"นายก{plan.organisation.name}"}


def check_garuda(data: bytes) -> str:
    """The garuda's content type, or a ValidationError in Thai saying what is wrong with it."""
    if len(data) > settings.GARUDA_MAX_BYTES:
        raise ValidationError(
            "ไฟล์ภาพครุฑใหญ่เกินไป (ไม่เกิน %(kb)s KB)", params={"kb": settings.GARUDA_MAX_BYTES // 1024}
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError("ไฟล์ภาพครุฑต้องเป็นรูปภาพ PNG หรือ JPEG") from None
    if kind not in GARUDA_TYPES:
        raise ValidationError("ไฟล์ภาพครุฑต้องเป็นรูปภาพ PNG หรือ JPEG")
    if max(size) > GARUDA_MAX_PIXELS:
        raise ValidationError("ภาพครุฑใหญ่เกินไป (ด้านยาวไม่เกิน %(px)s พิกเซล)", params={"px": GARUDA_MAX_PIXELS})
    return GARUDA_TYPES[kind]


def organisation_garuda_set(*, organisation: Organisation, data: bytes | None, user) -> Organisation:
    """Store (or, with ``data=None``, remove) the garuda printed on the organisation's memo."""
    permissions.require(user, organisation, Action.DOCUMENT_EDIT)
    if data is None:
        organisation.garuda, organisation.garuda_type = None, ""
    else:
        organisation.garuda_type = check_garuda(data)
        organisation.garuda = data
    organisation.save(update_fields=["garuda", "garuda_type"])
    return organisation
