"""Rendering a document and publishing it: a frozen PDF with its SHA-256, who, when and from
what records, and the evidence files published with an implementation report."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ita_portal import permissions
from ita_portal.permissions import Action
from measures.choices import PlanStatus
from measures.models import Evidence, MeasurePlan
from measures.services import plan_publish

from .. import context, documents, pdf, selectors
from ..choices import SIGNED_KINDS, DocumentKind
from ..models import PublishedDocument, PublishedEvidence, SignedCopy, published_storage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    document: context.Document
    html: str
    thai_digits: bool


def document_render(
    *, plan: MeasurePlan, kind: str, today: datetime.date, for_pdf: bool = True, extra=None, planned=None
) -> Rendered:
    """The document's HTML with the plan's digits option; DocumentUnavailable if it cannot be built.

    ``extra["base_url"]`` is put before the public path of a published evidence file, so that
    the PDF links it absolutely; ``planned`` maps the evidence files being published to their ids.
    """
    document = context.build(kind, plan, today, planned=planned)
    thai_digits = selectors.thai_digits_for(plan, kind)
    html = documents.render_html(document, thai_digits=thai_digits, for_pdf=for_pdf, extra=extra)
    return Rendered(document=document, html=html, thai_digits=thai_digits)


def records_state(document: context.Document) -> dict:
    """The state of the records a document was built from, kept with the published file."""
    assessment = document.found.assessment
    plan = document.plan
    state = {
        "assessment": {
            "id": assessment.pk,
            "fiscal_year": document.header.assessment_year,
            "updated_at": assessment.updated_at.isoformat(),
            "indicator_scores": {str(a.indicator.number): str(a.indicator.score) for a in document.found.all},
            "overall": str(document.result.overall),
            "eit_parts": [str(v) for v in document.result.eit_parts] if document.result.eit_parts else None,
            "level": document.level_label,
            "level_provisional": document.result.level_provisional,
        },
        "plan": {
            "id": plan.pk,
            "plan_year": plan.plan_year,
            "status": plan.status,
            "meeting_number": plan.meeting_number,
            "meeting_date": plan.meeting_date.isoformat() if plan.meeting_date else None,
            "measure_versions": {str(m.pk): m.version for m in plan.measures.all()},
        },
    }
    if isinstance(document, context.MemoDocument):
        state["memo"] = {"id": document.memo.pk, "updated_at": document.memo.updated_at.isoformat()}
    if isinstance(document, context.AnnouncementDocument):
        announcement = document.announcement
        state["announcement"] = {"id": announcement.pk, "updated_at": announcement.updated_at.isoformat()}
    if isinstance(document, context.ImplementationReport):
        state["as_of"] = document.as_of.isoformat()
        state["progress"] = {
            str(line.measure.pk): line.last.pk if line.last else None
            for section in document.sections
            for group in section.groups
            for line in group.lines
        }
        state["evidence"] = {
            str(item.evidence_id): item.url
            for section in document.sections
            for group in section.groups
            for line in group.lines
            for item in line.evidence
        }
    return state


class PublishRefused(ValidationError):
    """Publishing was refused; the messages say why."""


def document_publish(
    *,
    plan: MeasurePlan,
    kind: str,
    user,
    today: datetime.date,
    override_reason: str = "",
    evidence_ids: Iterable[int] = (),
    base_url: str = "",
    without_garuda: bool = False,
) -> PublishedDocument:
    """Freeze the document as a PDF: a new version with its SHA-256, who, when and from what.

    A report is public at once. A memo or an announcement (``SIGNED_KINDS``) is frozen for the
    executive to sign and stays private until its signed copy is published (``reports.services.
    signing``); without the organisation's ครุฑ it is refused unless ``without_garuda`` says the
    administrator saw the warning.

    Publishing the analysis report of an approved plan marks the plan published too.
    Refused while the plan is not approved, and while the consistency checks find a
    discrepancy unless an administrator gives a written reason, which is kept. With the
    implementation report, the evidence files in ``evidence_ids`` (of this plan's measures;
    any other id is ignored) are published with it: each gets a frozen copy with a permanent
    public URL (``base_url`` + its path) that the report links; the others stay private and
    are listed by name.
    """
    permissions.require(user, plan.organisation, Action.DOCUMENT_PUBLISH)
    plan = context.plans_for_documents().get(pk=plan.pk)
    chosen = []
    if kind == DocumentKind.IMPLEMENTATION:
        # A file whose published copy was withdrawn is never published again (upload it anew).
        found = selectors.plan_evidence_files(plan).filter(pk__in=list(evidence_ids))
        chosen = [evidence for evidence in found if not selectors.copy_withdrawn(evidence)]
    planned = {
        evidence.pk: evidence.published.public_id if hasattr(evidence, "published") else uuid.uuid4()
        for evidence in chosen
    }
    checked = _checked_render(
        plan,
        kind,
        today,
        base_url=base_url,
        planned=planned if kind == DocumentKind.IMPLEMENTATION else None,
        reason=override_reason.strip(),
        without_garuda=without_garuda,
    )
    data = pdf.render_pdf(checked.rendered.html, archival=True)
    published = _store_version(plan, kind, user, data, checked, [(e, planned[e.pk]) for e in chosen])
    logger.info("published %s v%s of plan %s by %s", kind, published.version, plan.pk, user.pk)
    return published


@dataclass(frozen=True)
class _Checked:
    """A document ready to be frozen: its HTML, what the checks found, the reason given."""

    rendered: Rendered
    discrepancies: list[str]
    reason: str
    digest: str


def _checked_render(plan, kind, today, *, base_url, planned, reason, without_garuda) -> _Checked:
    """The document as it would be published, or PublishRefused saying in Thai why it may not be."""
    try:
        rendered = document_render(
            plan=plan, kind=kind, today=today, extra={"base_url": base_url.rstrip("/")}, planned=planned
        )
    except context.DocumentUnavailable as exc:
        raise PublishRefused(str(exc)) from None
    check = selectors.publish_check(plan, kind, rendered.document)
    if check.blockers:
        raise PublishRefused(check.blockers)
    if check.garuda_missing and not without_garuda:
        raise PublishRefused(check.garuda_missing)
    if check.discrepancies and not reason:
        raise PublishRefused(
            ["ข้อมูลยังมีความคลาดเคลื่อน ต้องแก้ไขก่อน หรือระบุเหตุผลที่เผยแพร่แม้พบความคลาดเคลื่อน", *check.discrepancies]
        )
    digest = documents.digest(rendered.html)
    latest = PublishedDocument.objects.filter(plan=plan, kind=kind).order_by("-version").first()
    if latest is not None and latest.source_digest == digest and not latest.is_withdrawn:
        if not latest.is_public:  # a memo or an announcement waiting for its signed copy
            raise PublishRefused(f"ฉบับที่ {latest.version} สำหรับลงนามตรงกับข้อมูลปัจจุบันแล้ว ไม่ต้องสร้างใหม่")
        raise PublishRefused(f"ฉบับที่ {latest.version} ที่เผยแพร่ไว้ตรงกับข้อมูลปัจจุบันแล้ว ไม่ต้องเผยแพร่ซ้ำ")
    return _Checked(rendered, check.discrepancies, reason if check.discrepancies else "", digest)


def _store_version(plan, kind, user, data: bytes, checked: _Checked, evidence) -> PublishedDocument:
    """The next version's row and read-only file, with its evidence files, all or nothing."""
    storage = published_storage()
    stored = ""
    copies: list[str] = []
    try:
        with transaction.atomic():
            # One publisher at a time per plan, so two clicks cannot make the same version twice.
            MeasurePlan.objects.select_for_update().filter(pk=plan.pk).first()
            now = timezone.now()
            last = PublishedDocument.objects.filter(plan=plan, kind=kind).aggregate(v=Max("version"))["v"]
            published = PublishedDocument(
                organisation=plan.organisation,
                plan=plan,
                kind=kind,
                version=(last or 0) + 1,
                size=len(data),
                sha256=documents.digest(data),
                thai_digits=checked.rendered.thai_digits,
                source=records_state(checked.rendered.document),
                source_digest=checked.digest,
                published_at=now,
                published_by=user,
                public_at=None if kind in SIGNED_KINDS else now,
                override_reason=checked.reason,
                overridden_findings=checked.discrepancies,
            )
            folder = f"{plan.organisation.pk}/{plan.plan_year}"
            name = f"{folder}/{kind}-v{published.version}-{published.public_id.hex}.pdf"
            stored = storage.save(name, ContentFile(data))
            published.file.name = stored
            published.full_clean()
            published.save()
            published.evidence_files.set(
                [_publish_evidence(e, public_id, user, storage, copies) for e, public_id in evidence]
            )
            if kind == DocumentKind.ANALYSIS and plan.status == PlanStatus.APPROVED:
                # The analysis report carries the plan: publishing it publishes the plan, in one
                # step (the plan page had a second "เผยแพร่" that was easy to miss).
                plan_publish(
                    plan=plan,
                    user=user,
                    comment=f"เผยแพร่พร้อม{published.get_kind_display()} ฉบับที่ {published.version}",
                )
    except Exception:
        # The rows and the files stand or fall together.
        for name in [stored, *copies]:
            if name:
                storage.delete(name)
        raise
    return published


def _publish_evidence(evidence: Evidence, public_id, user, storage, copies: list[str]) -> PublishedEvidence:
    """The evidence file's frozen public copy: the one made before, or a new one under ``public_id``."""
    existing = PublishedEvidence.objects.filter(evidence=evidence).first()
    if existing is not None:
        return existing
    with evidence.file.open("rb") as handle:
        data = handle.read()
    organisation = evidence.update.measure.plan.organisation
    row = PublishedEvidence(
        public_id=public_id,
        organisation=organisation,
        evidence=evidence,
        original_name=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
        size=len(data),
        sha256=documents.digest(data),
        published_at=timezone.now(),
        published_by=user,
    )
    suffix = evidence.file.name.rsplit(".", 1)[-1].lower() if "." in evidence.file.name else "bin"
    name = storage.save(f"{organisation.pk}/evidence/{public_id.hex}.{suffix}", ContentFile(data))
    copies.append(name)
    row.file.name = name
    row.full_clean()
    row.save()
    return row


class TamperedFile(Exception):
    """A published file no longer matches the SHA-256 recorded when it was published."""


def published_bytes(published: PublishedDocument | PublishedEvidence | SignedCopy) -> bytes:
    """The published file's bytes, checked against its SHA-256 before anyone gets them."""
    with published.file.open("rb") as handle:
        data = handle.read()
    if documents.digest(data) != published.sha256:
        logger.error("published %s %s does not match its SHA-256", type(published).__name__, published.pk)
        raise TamperedFile(published.pk)
    return data


def public_file(document: PublishedDocument) -> PublishedDocument | SignedCopy:
    """What a public version's URLs serve: the signed copy of a memo or an announcement, else the
    frozen PDF itself (also for a memo published before signed copies existed)."""
    signed = getattr(document, "signed_copy", None) if document.kind in SIGNED_KINDS else None
    return signed or document
