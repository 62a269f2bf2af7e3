"""The documents' settings, the memo's details and the published (frozen) PDFs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Organisation
from ita_portal.storage import named_storage
from measures.models import Evidence, MeasurePlan

from .choices import DocumentKind


class DocumentOptions(models.Model):
    """How one document of a plan is printed; today only whether its digits are Thai."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="document_options")
    kind = models.CharField(_("เอกสาร"), max_length=16, choices=DocumentKind.choices)
    thai_digits = models.BooleanField(_("ใช้เลขไทย"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("การตั้งค่าเอกสาร")
        verbose_name_plural = _("การตั้งค่าเอกสาร")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="documentoptions_unique_plan_kind")
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.get_kind_display()}"


class SharedDetails(models.Model):
    """A record several people edit (the memo's details, the announcement's): its version is raised
    by every save, and a form that showed an older one is refused (ita_portal.stale)."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        abstract = True


class Memo(SharedDetails):
    """What the memo forwarding the analysis report says that the records cannot tell."""

    plan = models.OneToOneField(MeasurePlan, on_delete=models.CASCADE, related_name="memo")
    department = models.CharField(_("ส่วนราชการ"), max_length=255)
    number = models.CharField(_("ที่"), max_length=64, blank=True, help_text=_("เช่น ลย ๗๒๒๐๑/๑๒๓"))
    date = models.DateField(_("วันที่"), null=True, blank=True)
    subject = models.CharField(
        _("เรื่อง"), max_length=500, blank=True, help_text=_("เว้นว่างไว้เพื่อใช้ชื่อเรื่องที่ระบบสร้างให้")
    )
    addressee = models.CharField(_("เรียน"), max_length=255)
    author_name = models.CharField(_("ผู้เสนอ (ชื่อ-สกุล)"), max_length=255)
    author_position = models.CharField(_("ตำแหน่งผู้เสนอ"), max_length=255)
    decision_name = models.CharField(_("ผู้พิจารณา (ชื่อ-สกุล)"), max_length=255)
    decision_position = models.CharField(_("ตำแหน่งผู้พิจารณา"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("บันทึกข้อความ")
        verbose_name_plural = _("บันทึกข้อความ")

    def __str__(self) -> str:
        return f"{self.plan} – {self.number or _('ยังไม่มีเลขที่')}"


class MemoSignatory(models.Model):
    """One step up the chain: "เรียน <addressed_to> – <opinion>", signed by name and position."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="signatories")
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    addressed_to = models.CharField(_("เรียน"), max_length=255)
    opinion = models.CharField(_("ความเห็น"), max_length=255, default="ทราบ/เพื่อโปรดพิจารณา")
    name = models.CharField(_("ชื่อ-สกุล"), max_length=255)
    position = models.CharField(_("ตำแหน่ง"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผู้ลงนามเสนอ")
        verbose_name_plural = _("ผู้ลงนามเสนอ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Announcement(SharedDetails):
    """What the executive's announcement of the plan's measures says that the records cannot tell:
    the day it is announced and who signs it."""

    plan = models.OneToOneField(MeasurePlan, on_delete=models.CASCADE, related_name="announcement")
    date = models.DateField(_("ประกาศ ณ วันที่"), null=True, blank=True)
    signer_name = models.CharField(_("ผู้ลงนาม (ชื่อ-สกุล)"), max_length=255)
    signer_position = models.CharField(_("ตำแหน่งผู้ลงนาม"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ประกาศมาตรการ")
        verbose_name_plural = _("ประกาศมาตรการ")

    def __str__(self) -> str:
        return f"{self.plan} – {_('ประกาศมาตรการ')}"


def published_storage():
    """settings.STORAGES["published"]: outside static/ and media/, only the public views serve it;
    on disk, files are written read-only (0444): nothing in the portal rewrites a published file."""
    return named_storage("published")


class Withdrawable(models.Model):
    """Something published that an administrator can withdraw (a wrong version, someone's personal
    data): its public URLs then answer 410 with when and why, its bytes leave the public store, and
    the row — who published what, when, and its SHA-256 — stays."""

    withdrawn_at = models.DateTimeField(_("ถอนการเผยแพร่เมื่อ"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("ผู้ถอนการเผยแพร่"),
    )
    withdrawal_reason = models.TextField(_("เหตุผลที่ถอนการเผยแพร่"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class PublishedEvidence(Withdrawable):
    """An evidence file published with an implementation report: a frozen copy with a permanent,
    public URL. One per evidence file, kept for every later version of the report that lists it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="published_evidence"
    )
    # The private original may be removed later; the published copy stays where the report links it.
    evidence = models.OneToOneField(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="published"
    )
    file = models.FileField(_("ไฟล์"), storage=published_storage, max_length=255)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ผู้เผยแพร่")
    )

    class Meta:
        verbose_name = _("หลักฐานที่เผยแพร่")
        verbose_name_plural = _("หลักฐานที่เผยแพร่")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.original_name}"


class PublishedDocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> PublishedDocumentQuerySet:
        return self.filter(Organisation.objects.visible_to(user).as_filter("organisation"))

    def public(self) -> PublishedDocumentQuerySet:
        """The versions that were made public (not those still waiting for their signed copy),
        withdrawn ones included: their URLs say when and why they were withdrawn."""
        return self.filter(public_at__isnull=False)

    def readable(self) -> PublishedDocumentQuerySet:
        """The public versions anyone may still read."""
        return self.public().filter(withdrawn_at__isnull=True)

    def latest_first(self) -> PublishedDocumentQuerySet:
        return self.order_by("-plan__plan_year", "kind", "-version")


class PublishedDocument(Withdrawable):
    """A frozen PDF: its bytes never change once written. Publishing again adds a version.

    A document the executive signs (``SIGNED_KINDS``) is frozen first for signing and stays
    private (``public_at`` empty) until its signed scan is uploaded (``SignedCopy``) and published:
    then the signed copy is what its public URLs serve.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="published_documents"
    )
    plan = models.ForeignKey(MeasurePlan, on_delete=models.PROTECT, related_name="published_documents")
    kind = models.CharField(_("เอกสาร"), max_length=16, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("ฉบับที่"))
    file = models.FileField(_("ไฟล์"), storage=published_storage, max_length=255)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    thai_digits = models.BooleanField(_("ใช้เลขไทย"))
    source = models.JSONField(_("สถานะข้อมูลที่ใช้สร้าง"))
    source_digest = models.CharField(_("SHA-256 ของ HTML ที่ใช้สร้าง"), max_length=64)
    published_at = models.DateTimeField(_("สร้างฉบับเมื่อ"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ผู้สร้างฉบับ")
    )
    # When anyone could first read it: at once for a report, when its signed copy is published for
    # a memo or an announcement; empty until then.
    public_at = models.DateTimeField(_("เผยแพร่ต่อสาธารณะเมื่อ"), null=True, blank=True)
    override_reason = models.TextField(_("เหตุผลที่เผยแพร่แม้พบความคลาดเคลื่อน"), blank=True)
    overridden_findings = models.JSONField(_("ความคลาดเคลื่อนที่พบขณะเผยแพร่"), default=list, blank=True)
    evidence_files = models.ManyToManyField(
        PublishedEvidence, blank=True, related_name="documents", verbose_name=_("หลักฐานที่เผยแพร่พร้อมเอกสาร")
    )

    objects = PublishedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("เอกสารที่เผยแพร่")
        verbose_name_plural = _("เอกสารที่เผยแพร่")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "version"], name="publisheddocument_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_kind_display()} {self.plan.plan_year} ฉบับที่ {self.version}"

    @property
    def filename(self) -> str:
        """The name offered on download: ascii, so every browser keeps it."""
        return f"ita-{self.kind}-{self.plan.plan_year}-v{self.version}.pdf"

    @property
    def is_public(self) -> bool:
        return self.public_at is not None


class SignedCopy(models.Model):
    """The scan of one version of a memo or an announcement as the executive signed it. Uploaded
    once per version, kept as a PDF (a picture is put on an A4 page unchanged); published, it is
    what the version's public URLs serve, checked against its SHA-256."""

    document = models.OneToOneField(PublishedDocument, on_delete=models.PROTECT, related_name="signed_copy")
    file = models.FileField(_("ไฟล์"), storage=published_storage, max_length=255)
    original_name = models.CharField(_("ชื่อไฟล์ที่อัปโหลด"), max_length=255)
    uploaded_type = models.CharField(_("ชนิดไฟล์ที่อัปโหลด"), max_length=50)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ผู้อัปโหลด")
    )

    class Meta:
        verbose_name = _("ฉบับลงนาม")
        verbose_name_plural = _("ฉบับลงนาม")

    def __str__(self) -> str:
        return f"{self.document} – {self.original_name}"
