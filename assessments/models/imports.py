"""A results file kept between its check and its confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    ImportStatus,
)
from .frameworks import FiscalYear

# --- Imports ----------------------------------------------------------------------------------


class ScoreImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScoreImportQuerySet:
        """A user sees the imports they uploaded, and nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(uploaded_by=user)


class ScoreImport(models.Model):
    """A results file checked and waiting for confirmation, then kept as the record of the import.

    ``sheet`` holds the cells as read from the file (see ``assessments.importing.Sheet``), so
    confirming does not read the file again; ``digest`` fingerprints the changes the preview
    showed, and confirming refuses if the records have changed since.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    file_size = models.PositiveIntegerField(_("ขนาดไฟล์ (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    sheet = models.JSONField(_("ข้อมูลที่อ่านจากไฟล์"))
    create_organisations = models.BooleanField(_("สร้างหน่วยงานที่ยังไม่มีในระบบ"), default=False)
    digest = models.CharField(max_length=64)
    summary = models.JSONField(_("สรุปผลการตรวจสอบ"))
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ScoreImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("การนำเข้าผลการประเมิน")
        verbose_name_plural = _("การนำเข้าผลการประเมิน")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.fiscal_year.year})"
