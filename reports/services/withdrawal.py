"""Withdrawing what was published by mistake: a wrong version of a document, or an evidence file
holding someone's personal data (the PDPA asks that it can be taken down at once).

An administrator gives a reason; the row is marked withdrawn (when, by whom, why) and kept with its
SHA-256, its public URLs answer 410 with a Thai page saying when and why, and its bytes leave the
public store once the withdrawal is committed (``sweep_files`` removes any a crash left behind).
An implementation report whose newest public version linked a withdrawn evidence file is
published again at once without it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ita_portal import permissions
from ita_portal.permissions import Action

from ..choices import DocumentKind
from ..models import PublishedDocument, PublishedEvidence, SignedCopy, published_storage
from .publishing import PublishRefused, document_publish

logger = logging.getLogger(__name__)

REASON_MIN_LENGTH = 10


class WithdrawRefused(ValidationError):
    """Withdrawing was refused; the messages say why, in Thai."""


def _reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise WithdrawRefused(
            f"กรุณาระบุเหตุผลที่ถอนการเผยแพร่อย่างน้อย {REASON_MIN_LENGTH} ตัวอักษร (เหตุผลนี้แสดงต่อผู้ที่เปิดลิงก์เดิม)"
        )
    return reason


def _mark(row, user, reason: str) -> None:
    if row.is_withdrawn:
        raise WithdrawRefused("รายการนี้ถอนการเผยแพร่ไปแล้ว")
    row.withdrawn_at = timezone.now()
    row.withdrawn_by = user
    row.withdrawal_reason = reason
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])


def _remove_after_commit(names: list[str]) -> None:
    """The files leave the public store once the withdrawal is committed (never before: a
    withdrawal rolled back keeps its file)."""

    def remove():
        storage = published_storage()
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # left for sweep_files, which removes files of withdrawn rows
                logger.exception("could not remove the withdrawn file %s", name)

    transaction.on_commit(remove)


def document_withdraw(*, document: PublishedDocument, user, reason: str) -> PublishedDocument:
    """Withdraw a public version of a document (with its signed copy, if it has one)."""
    permissions.require(user, document.organisation, Action.DOCUMENT_PUBLISH)
    reason = _reason(reason)
    with transaction.atomic():
        document = PublishedDocument.objects.select_for_update().get(pk=document.pk)
        if not document.is_public:
            raise WithdrawRefused(f"ฉบับที่ {document.version} ยังไม่ได้เผยแพร่ต่อสาธารณะ จึงไม่ต้องถอน")
        _mark(document, user, reason)
        signed = SignedCopy.objects.filter(document=document).first()
        _remove_after_commit([document.file.name] + ([signed.file.name] if signed else []))
    logger.info(
        "withdrew %s v%s of plan %s by %s", document.kind, document.version, document.plan_id, user.pk
    )
    return document


@dataclass
class EvidenceWithdrawn:
    evidence: PublishedEvidence
    republished: list[PublishedDocument] = field(default_factory=list)
    not_republished: list[str] = field(default_factory=list)  # why, in Thai, for each report
    # Earlier public versions that still list the file by name (their link to it answers 410).
    still_naming: list[PublishedDocument] = field(default_factory=list)


def evidence_withdraw(
    *, evidence: PublishedEvidence, user, reason: str, today: datetime.date, base_url: str = ""
) -> EvidenceWithdrawn:
    """Withdraw a published evidence file, then publish again without it each implementation report
    whose newest public version linked it (a report the checks refuse now is named instead)."""
    permissions.require(user, evidence.organisation, Action.DOCUMENT_PUBLISH)
    reason = _reason(reason)
    with transaction.atomic():
        evidence = PublishedEvidence.objects.select_for_update().get(pk=evidence.pk)
        _mark(evidence, user, reason)
        _remove_after_commit([evidence.file.name])
    logger.info("withdrew published evidence %s by %s", evidence.pk, user.pk)
    outcome = EvidenceWithdrawn(evidence)
    for report in _reports_linking(evidence):
        keep = [
            kept.evidence_id
            for kept in report.evidence_files.filter(withdrawn_at__isnull=True, evidence__isnull=False)
        ]
        try:
            outcome.republished.append(
                document_publish(
                    plan=report.plan,
                    kind=DocumentKind.IMPLEMENTATION,
                    user=user,
                    today=today,
                    evidence_ids=keep,
                    base_url=base_url,
                )
            )
        except PublishRefused as exc:
            outcome.not_republished.append(
                f"รายงานผลการดำเนินงานปี {report.plan.plan_year} ยังเผยแพร่ใหม่โดยอัตโนมัติไม่ได้ "
                f"({' '.join(exc.messages)}) กรุณาเผยแพร่ใหม่จากหน้าเอกสาร"
            )
    outcome.still_naming = list(
        PublishedDocument.objects.readable().filter(evidence_files=evidence).order_by("plan_id", "version")
    )
    return outcome


def _reports_linking(evidence: PublishedEvidence) -> list[PublishedDocument]:
    """The newest readable version of each implementation report that lists ``evidence``."""
    reports = []
    for plan_id in evidence.documents.values_list("plan_id", flat=True).distinct():
        newest = (
            PublishedDocument.objects.readable()
            .filter(plan_id=plan_id, kind=DocumentKind.IMPLEMENTATION)
            .select_related("plan")
            .order_by("-version")
            .first()
        )
        if newest is not None and newest.evidence_files.filter(pk=evidence.pk).exists():
            reports.append(newest)
    return reports
