"""What was done: progress reports and their evidence files."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Organisation
from ita_portal.storage import named_storage
from ita_portal.thai import fiscal_year_bounds

from ..choices import (
    MeasureStatus,
)
from .plans import Measure


class ProgressUpdate(models.Model):
    """One report of progress on a measure; the latest one (by date, then entry) sets its status."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(_("วันที่รายงาน"))
    status = models.CharField(_("สถานะ"), max_length=16, choices=MeasureStatus.choices)
    percent = models.PositiveSmallIntegerField(_("ความก้าวหน้า (%)"), validators=[MaxValueValidator(100)])
    result = models.TextField(_("ผลการดำเนินการ"))
    recommendation = models.TextField(_("ข้อเสนอแนะ"), blank=True)
    cancel_reason = models.TextField(_("เหตุผลที่ยกเลิก"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("รายงานความก้าวหน้า")
        verbose_name_plural = _("รายงานความก้าวหน้า")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progressupdate_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} – {self.reported_on}"

    def clean(self) -> None:
        errors = {}
        if self.status == MeasureStatus.DONE and self.percent != 100:
            errors["percent"] = _("มาตรการที่แล้วเสร็จต้องมีความก้าวหน้า 100%")
        if self.status == MeasureStatus.NOT_STARTED and self.percent:
            errors["percent"] = _("มาตรการที่ยังไม่เริ่มต้องมีความก้าวหน้า 0%")
        if self.status == MeasureStatus.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("กรุณาระบุเหตุผลที่ยกเลิก")
        if self.reported_on and self.measure_id:
            earliest, latest = self.allowed_dates(self.measure.plan.plan_year)
            if not earliest <= self.reported_on <= latest:
                errors["reported_on"] = _(
                    "วันที่รายงานต้องอยู่ระหว่าง %(start)s ถึง %(end)s (ช่วงปีงบประมาณ %(year)s ของแผน "
                    "และไม่เกินวันนี้) กรุณาตรวจสอบว่ากรอกปีเป็น พ.ศ."
                ) % {
                    "start": f"{earliest.day}/{earliest.month}/{earliest.year + 543}",
                    "end": f"{latest.day}/{latest.month}/{latest.year + 543}",
                    "year": self.measure.plan.plan_year,
                }
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def allowed_dates(plan_year: int) -> tuple[datetime.date, datetime.date]:
        """When a progress report on a plan of ``plan_year`` may be dated: from three months before
        its fiscal year (preparations) to six months after it (the last reports), never later than
        today, so a mistyped future date cannot decide the measure's status."""
        start, end = fiscal_year_bounds(plan_year)
        return start - datetime.timedelta(days=92), min(
            end + datetime.timedelta(days=183), timezone.localdate()
        )


def evidence_storage():
    """settings.STORAGES["evidence"]: a private folder, or a private bucket."""
    return named_storage("evidence")


def evidence_path(instance, filename: str) -> str:
    # A random name: the original is kept in the row, never trusted as a path.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.update.measure.plan_id}/{uuid.uuid4().hex}.{suffix}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> EvidenceQuerySet:
        """Evidence of the plans of the organisations the user belongs to."""
        return self.filter(
            Organisation.objects.visible_to(user).as_filter("update__measure__plan__assessment__organisation")
        )

    def files(self) -> EvidenceQuerySet:
        return self.exclude(file="")


class Evidence(models.Model):
    """A link or an uploaded file that shows what a progress update says was done."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(_("ลิงก์หลักฐาน"), blank=True, max_length=500)
    file = models.FileField(_("ไฟล์หลักฐาน"), storage=evidence_storage, upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")), name="evidence_link_or_file"
            ),
        ]

    def __str__(self) -> str:
        return self.url or self.original_name
