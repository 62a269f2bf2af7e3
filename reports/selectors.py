"""Reads for the documents: their options, whether they may be published, what was published."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from assessments.models import Organisation
from ita_portal.permissions import Action
from measures import selectors as measure_selectors
from measures.models import Evidence, MeasurePlan

from . import context, documents
from .choices import SHORT_LABELS, SIGNED_KINDS, DocumentKind
from .models import DocumentOptions, PublishedDocument, PublishedEvidence


def plan_evidence_files(plan: MeasurePlan):
    """The uploaded evidence files of the plan's measures (not links), with their public copy if any."""
    return (
        Evidence.objects.filter(update__measure__plan=plan)
        .files()
        .select_related("published", "update__measure")
        .order_by("update__measure__order", "update__reported_on", "pk")
    )


def copy_withdrawn(evidence) -> bool:
    """Whether the evidence file's published copy was withdrawn (it is then never published again)."""
    published = getattr(evidence, "published", None)
    return published is not None and published.is_withdrawn


def publishable_evidence(plan: MeasurePlan) -> list:
    """The plan's evidence files that may go with its implementation report."""
    return [evidence for evidence in plan_evidence_files(plan) if not copy_withdrawn(evidence)]


def published_evidence(plan: MeasurePlan):
    """The evidence files published with the plan's implementation report, withdrawn ones too."""
    return (
        PublishedEvidence.objects.filter(documents__plan=plan)
        .distinct()
        .select_related("withdrawn_by", "published_by")
        .order_by("published_at", "pk")
    )


def thai_digits_for(plan: MeasurePlan, kind: str) -> bool:
    """Whether the document prints Thai digits: the plan's choice for it, Thai by default."""
    options = DocumentOptions.objects.filter(plan=plan, kind=kind).first()
    return options.thai_digits if options else True


@dataclass(frozen=True)
class PublishCheck:
    """Why a document cannot be published now.

    ``blockers`` stop publishing outright; ``discrepancies`` are what the consistency checks
    found in the records, which an administrator may override with a written reason.
    """

    blockers: list[str] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)
    garuda_missing: str = ""  # a memo or an announcement without the ครุฑ: a warning to confirm

    @property
    def clean(self) -> bool:
        return not self.blockers and not self.discrepancies and not self.garuda_missing


@dataclass(frozen=True)
class MeasureFindings:
    """What the checks found in a plan's measure texts, as Thai lines naming the measure and field."""

    placeholders: list[str]  # unfinished text: blocks publishing outright
    discrepancies: list[str]  # figures or names the records do not hold: may be overridden


def measure_findings(plan: MeasurePlan, found=None) -> MeasureFindings:
    """What the plan's measures say that the records do not hold (``found``: the analysis of the
    plan's assessment, when the caller has it already)."""
    placeholders, discrepancies = [], []
    for measure, finding in measure_selectors.plan_findings(plan, found):
        line = f"มาตรการ “{measure.title[:80]}” ({finding.field}): {finding.message}"
        (placeholders if finding.placeholder else discrepancies).append(line)
    return MeasureFindings(placeholders=placeholders, discrepancies=discrepancies)


def publish_check(
    plan: MeasurePlan,
    kind: str,
    document: context.Document | None,
    unavailable: str = "",
    measures_found: MeasureFindings | None = None,
) -> PublishCheck:
    """What stands between the document and publication (the plan loaded with ``plans_for_documents``).

    ``measures_found`` is ``measure_findings(plan)`` when the caller has it already.
    """
    blockers, discrepancies = [], []
    if unavailable:
        blockers.append(unavailable)
    if plan.status not in context.FINAL_STATUSES:
        blockers.append("แผนมาตรการยังไม่ผ่านความเห็นชอบของคณะทำงาน จึงยังเผยแพร่เอกสารไม่ได้")
    if kind == DocumentKind.MEMO and document is not None:
        memo = document.memo
        if not memo.number.strip() or memo.date is None:
            blockers.append("บันทึกข้อความยังไม่มีเลขที่หรือวันที่")
    if kind == DocumentKind.ANNOUNCEMENT and document is not None and document.announcement.date is None:
        blockers.append("ประกาศยังไม่มีวันที่ประกาศ")
    garuda_missing = ""
    if kind in SIGNED_KINDS and not plan.organisation.garuda:
        garuda_missing = (
            f"{SHORT_LABELS[kind]}ยังไม่มีภาพครุฑที่หัวกระดาษ ตามระเบียบงานสารบรรณ{SHORT_LABELS[kind]}ต้องมีครุฑ "
            "อัปโหลดภาพครุฑท้ายหน้านี้ก่อน หรือยืนยันว่าจะออกฉบับโดยไม่มีครุฑ"
        )
    if document is not None:
        found = measure_findings(plan) if measures_found is None else measures_found
        blockers.extend(found.placeholders)
        discrepancies.extend(finding.message for finding in document.findings)
        discrepancies.extend(found.discrepancies)
    return PublishCheck(blockers=blockers, discrepancies=discrepancies, garuda_missing=garuda_missing)


@dataclass(frozen=True)
class DocumentEntry:
    """One document on the plan's documents page."""

    kind: str
    document: context.Document | None
    unavailable: str
    thai_digits: bool
    check: PublishCheck
    versions: list[PublishedDocument]
    evidence_files: list = field(default_factory=list)  # implementation report: files it may publish
    # The SHA-256 of the HTML publishing it now would freeze; "" if it cannot be built or there is no
    # standing version to compare it with.
    digest: str = ""

    @property
    def label(self) -> str:
        return DocumentKind(self.kind).label

    @property
    def signed(self) -> bool:
        """The executive signs it: its public copy is the signed scan."""
        return self.kind in SIGNED_KINDS

    @property
    def latest(self) -> PublishedDocument | None:
        return self.versions[0] if self.versions else None

    @property
    def up_to_date(self) -> bool:
        """The latest version was made from the records as they are now and still stands: nothing
        to publish again."""
        latest = self.latest
        current = bool(latest and self.digest and latest.source_digest == self.digest)
        return current and not latest.is_withdrawn

    @property
    def has_public(self) -> bool:
        return any(version.is_public and not version.is_withdrawn for version in self.versions)

    @property
    def awaiting_signature(self) -> PublishedDocument | None:
        """The latest version of a memo or an announcement, frozen for signing and not yet public."""
        latest = self.latest
        return latest if self.signed and latest is not None and not latest.is_public else None

    @property
    def short_label(self) -> str:
        return SHORT_LABELS[self.kind]


def build_document(
    plan: MeasurePlan, kind: str, today: datetime.date, found=None
) -> tuple[context.Document | None, str]:
    """The document, or None and the reason it cannot be built yet."""
    try:
        return context.build(kind, plan, today, found), ""
    except context.DocumentUnavailable as exc:
        return None, str(exc)


def document_entries(plan: MeasurePlan, today: datetime.date, base_url: str = "") -> list[DocumentEntry]:
    """The documents of a plan with their options, publication check and versions, and whether the
    latest version is the document as it would be published now (``base_url``: the portal's address)."""
    options = {o.kind: o.thai_digits for o in DocumentOptions.objects.filter(plan=plan)}
    versions: dict[str, list[PublishedDocument]] = {}
    for published in (
        PublishedDocument.objects.filter(plan=plan)
        .select_related("published_by", "signed_copy__uploaded_by")
        .order_by("-version")
    ):
        versions.setdefault(published.kind, []).append(published)
    found = context.plan_analysis(plan)
    measures_found = measure_findings(plan, found)
    entries = []
    for kind in DocumentKind.values:
        document, unavailable = build_document(plan, kind, today, found)
        thai_digits = options.get(kind, True)
        # The HTML is made only to compare it with a standing version: with none (most plans, most
        # of the year), whether the document is up to date is not asked, and its HTML is not made.
        standing = versions.get(kind) and not versions[kind][0].is_withdrawn
        html = (
            documents.render_html(
                document, thai_digits=thai_digits, for_pdf=True, extra={"base_url": base_url}
            )
            if document is not None and standing
            else ""
        )
        entries.append(
            DocumentEntry(
                kind=kind,
                document=document,
                unavailable=unavailable,
                thai_digits=thai_digits,
                check=publish_check(plan, kind, document, unavailable, measures_found),
                versions=versions.get(kind, []),
                evidence_files=publishable_evidence(plan) if kind == DocumentKind.IMPLEMENTATION else [],
                digest=documents.digest(html) if html else "",
            )
        )
    return entries


@dataclass(frozen=True)
class PublicDocument:
    """One document of a plan year on the public page: its stable address, then every version."""

    kind: str
    versions: list[PublishedDocument]  # newest first

    @property
    def label(self) -> str:
        return DocumentKind(self.kind).label

    @property
    def latest(self) -> PublishedDocument:
        return self.versions[0]


@dataclass(frozen=True)
class PublishedYear:
    plan_year: int
    assessment_year: int
    documents: list[PublicDocument]  # in the order of DocumentKind


def published_by_year(organisation) -> list[PublishedYear]:
    """The organisation's public documents, newest plan year first, each kind with its versions."""
    rows = (
        PublishedDocument.objects.public()
        .filter(organisation=organisation)
        .select_related("plan__assessment__fiscal_year", "signed_copy")
        .latest_first()
    )
    by_year: dict[int, tuple[int, dict[str, list[PublishedDocument]]]] = {}
    for row in rows:
        _assessment_year, kinds = by_year.setdefault(
            row.plan.plan_year, (row.plan.assessment.fiscal_year.year, {})
        )
        kinds.setdefault(row.kind, []).append(row)
    return [
        PublishedYear(
            plan_year,
            assessment_year,
            [PublicDocument(kind, kinds[kind]) for kind in DocumentKind.values if kind in kinds],
        )
        for plan_year, (assessment_year, kinds) in by_year.items()
    ]


def latest_published(
    organisation_id: int, plan_year: int, kind: str, *, withdrawn: bool = False
) -> PublishedDocument | None:
    """The newest public version still readable: what the stable address serves. With
    ``withdrawn``, the newest public version withdrawn or not (the address answers 410 with it when
    every version was withdrawn)."""
    versions = PublishedDocument.objects.public() if withdrawn else PublishedDocument.objects.readable()
    return (
        versions.filter(organisation_id=organisation_id, plan__plan_year=plan_year, kind=kind)
        .select_related("plan", "signed_copy")
        .order_by("-version")
        .first()
    )


def batch_plans(user, plan_year: int) -> list[MeasurePlan]:
    """The plans of ``plan_year`` whose documents the user may render, by province and name."""
    organisations = Organisation.objects.permitting(user, Action.DOCUMENT_EDIT)
    return list(
        MeasurePlan.objects.filter(organisations.as_filter("assessment__organisation"), plan_year=plan_year)
        .select_related("assessment__organisation")
        .order_by("assessment__organisation__province", "assessment__organisation__name")
    )


def batch_years(user) -> list[int]:
    organisations = Organisation.objects.permitting(user, Action.DOCUMENT_EDIT)
    return sorted(
        set(
            MeasurePlan.objects.filter(organisations.as_filter("assessment__organisation")).values_list(
                "plan_year", flat=True
            )
        ),
        reverse=True,
    )
