"""The executive's signed copies of a memo or an announcement.

A version frozen for signing (``document_publish`` of a ``SIGNED_KINDS`` document) is printed,
signed, scanned and uploaded here; publishing it then makes the version public with the signed
copy as the file its public URLs serve. A scan is accepted only for the latest version, and only
while that version is still the document the records give: a signature on an outdated draft
never reaches the public.
"""

from __future__ import annotations

import datetime
import io
import logging

import img2pdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ita_portal import permissions
from ita_portal.permissions import Action
from measures.models import MeasurePlan

from .. import context, documents
from ..choices import SHORT_LABELS, SIGNED_KINDS
from ..models import PublishedDocument, SignedCopy, published_storage
from .publishing import PublishRefused, document_render

logger = logging.getLogger(__name__)

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SCAN_MAX_PIXELS = 12000  # the long side of a scanned page at 1,200 dpi
KIND_WORDS = "รับเฉพาะไฟล์ PDF, JPEG หรือ PNG ของเอกสารที่ลงนามแล้ว"


def check_scan(data: bytes) -> tuple[str, bytes]:
    """What an uploaded scan is, by its content, and the PDF to keep: a PDF as it is, a picture put
    unchanged on an A4 page. A ValidationError in Thai for anything else."""
    if not data:
        raise ValidationError("ไฟล์ว่างเปล่า")
    if len(data) > settings.SIGNED_COPY_MAX_BYTES:
        raise ValidationError(
            "ไฟล์ใหญ่เกินไป (ไม่เกิน %(mb)s MB)", params={"mb": settings.SIGNED_COPY_MAX_BYTES // 1024 // 1024}
        )
    if data.startswith(b"%PDF-"):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise ValidationError("ไฟล์ PDF ถูกตั้งรหัสผ่านไว้ กรุณาสแกนหรือบันทึกใหม่โดยไม่ตั้งรหัสผ่าน")
            pages = len(reader.pages)
        except (PyPdfError, ValueError, KeyError, TypeError, OSError):
            raise ValidationError(f"เปิดไฟล์ PDF ไม่ได้ {KIND_WORDS}") from None
        if pages == 0:
            raise ValidationError("ไฟล์ PDF ไม่มีหน้าเอกสาร")
        return PDF, data
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(KIND_WORDS) from None
    if kind not in ("JPEG", "PNG"):
        raise ValidationError(KIND_WORDS)
    if max(size) > SCAN_MAX_PIXELS:
        raise ValidationError("ภาพใหญ่เกินไป (ด้านยาวไม่เกิน %(px)s พิกเซล)", params={"px": SCAN_MAX_PIXELS})
    a4 = img2pdf.get_layout_fun((img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)))
    try:
        pdf_bytes = img2pdf.convert(data, layout_fun=a4, rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError, OSError):
        raise ValidationError(f"อ่านภาพนี้ไม่ได้ {KIND_WORDS}") from None
    return (JPEG if kind == "JPEG" else PNG), pdf_bytes


def _current_digest(plan: MeasurePlan, kind: str, today: datetime.date, base_url: str) -> str:
    """The SHA-256 of the HTML publishing the document now would freeze."""
    plan = context.plans_for_documents().get(pk=plan.pk)
    try:
        extra = {"base_url": base_url.rstrip("/")}
        rendered = document_render(plan=plan, kind=kind, today=today, extra=extra)
    except context.DocumentUnavailable as exc:
        raise PublishRefused(str(exc)) from None
    return documents.digest(rendered.html)


def _require_signable(document: PublishedDocument, today: datetime.date, base_url: str) -> None:
    """Refuse, in Thai, a version that is not the latest of its document, is already public, or no
    longer matches the records (called with the plan locked)."""
    label = SHORT_LABELS[document.kind]
    if document.kind not in SIGNED_KINDS:
        raise PublishRefused(f"{label}ไม่ต้องมีฉบับลงนาม")
    versions = PublishedDocument.objects.filter(plan=document.plan_id, kind=document.kind)
    latest = versions.order_by("-version").first()
    if latest.pk != document.pk:
        raise PublishRefused(
            f"ฉบับที่ {document.version} ไม่ใช่ฉบับล่าสุดของ{label} (ฉบับล่าสุดคือฉบับที่ {latest.version}) "
            "กรุณาพิมพ์ฉบับล่าสุดให้ผู้บริหารลงนาม"
        )
    if document.is_public:
        raise PublishRefused(f"ฉบับที่ {document.version} เผยแพร่แล้ว")
    if _current_digest(document.plan, document.kind, today, base_url) != document.source_digest:
        raise PublishRefused(
            f"ข้อมูลของ{label}เปลี่ยนไปหลังจากสร้างฉบับที่ {document.version} ฉบับนี้จึงเป็นฉบับเก่า "
            "กรุณาสร้างฉบับใหม่ พิมพ์ให้ผู้บริหารลงนาม แล้วอัปโหลดฉบับที่ลงนามของฉบับใหม่"
        )


def signed_copy_upload(
    *, document: PublishedDocument, name: str, data: bytes, user, today: datetime.date, base_url: str = ""
) -> SignedCopy:
    """Keep the signed scan of ``document`` (a version awaiting signature), replacing an earlier
    scan of the same version. The file is checked by content before anything is written."""
    permissions.require(user, document.organisation, Action.DOCUMENT_PUBLISH)
    uploaded_type, pdf_bytes = check_scan(data)
    storage = published_storage()
    stored = ""
    try:
        with transaction.atomic():
            MeasurePlan.objects.select_for_update().filter(pk=document.plan_id).first()
            document = PublishedDocument.objects.select_related("plan").get(pk=document.pk)
            _require_signable(document, today, base_url)
            previous = SignedCopy.objects.filter(document=document).first()
            copy = SignedCopy(
                document=document,
                original_name=name[:255],
                uploaded_type=uploaded_type,
                size=len(pdf_bytes),
                sha256=documents.digest(pdf_bytes),
                uploaded_at=timezone.now(),
                uploaded_by=user,
            )
            folder = f"{document.organisation_id}/{document.plan.plan_year}"
            file_name = f"{folder}/{document.kind}-v{document.version}-signed-{copy.sha256[:16]}.pdf"
            stored = storage.save(file_name, ContentFile(pdf_bytes))
            copy.file.name = stored
            if previous is not None:
                old_file = previous.file.name
                previous.delete()
                transaction.on_commit(lambda: storage.delete(old_file))
            copy.full_clean()
            copy.save()
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    logger.info("signed copy of %s v%s uploaded by %s", document.kind, document.version, user.pk)
    return copy


def signed_copy_publish(
    *, document: PublishedDocument, user, today: datetime.date, base_url: str = ""
) -> PublishedDocument:
    """Make a version public with its signed copy, once it has one and still matches the records."""
    permissions.require(user, document.organisation, Action.DOCUMENT_PUBLISH)
    with transaction.atomic():
        MeasurePlan.objects.select_for_update().filter(pk=document.plan_id).first()
        document = PublishedDocument.objects.select_related("plan").get(pk=document.pk)
        _require_signable(document, today, base_url)
        if not SignedCopy.objects.filter(document=document).exists():
            raise PublishRefused(
                f"ฉบับที่ {document.version} ยังไม่มีฉบับที่ลงนาม กรุณาอัปโหลดไฟล์สแกนของฉบับที่ผู้บริหารลงนามแล้วก่อน"
            )
        document.public_at = timezone.now()
        document.save(update_fields=["public_at"])
    logger.info("signed %s v%s published by %s", document.kind, document.version, user.pk)
    return document
