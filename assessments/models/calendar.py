"""NACC's calendar of a fiscal year's assessment (framework data, ``assessments.calendar``)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .frameworks import FiscalYear, FrameworkEntry


class WindowKind(models.TextChoices):
    IIT = "iit", _("ช่วงเก็บแบบวัด IIT")
    EIT = "eit", _("ช่วงเก็บแบบวัด EIT")
    OIT = "oit", _("ช่วงเผยแพร่และตรวจ OIT")
    RESULTS = "results", _("ประกาศผลการประเมิน")


class AssessmentWindow(FrameworkEntry):
    """One window of a year's assessment (the surveys, the OIT items online and checked, the
    results), from its data file or the admin; ``unconfirmed`` until a source gives its days."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="windows")
    kind = models.CharField(_("ช่วง"), max_length=16, choices=WindowKind.choices)
    starts = models.DateField(_("วันเริ่ม"))
    ends = models.DateField(_("วันสิ้นสุด"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ปฏิทินการประเมิน")
        verbose_name_plural = _("ปฏิทินการประเมิน")
        ordering = ["fiscal_year", "starts", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "kind"], name="window_unique_kind_per_year"),
            models.CheckConstraint(
                condition=Q(ends__gte=F("starts")),
                name="window_ends_after_it_starts",
                violation_error_message=_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ปี {self.fiscal_year.year}"
