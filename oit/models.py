"""The OIT register: each OIT item of a fiscal year with the links an organisation will submit
for it, who is responsible, and what the link checker found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import FiscalYear, Organisation, Question

from .choices import LinkVerdict, RegisterStatus

MAX_LINKS = 5


class RegisterItem(models.Model):
    """One OIT item in one organisation's register for the item's fiscal year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="register_items")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("รายการ")
    )
    urls = models.TextField(_("ลิงก์ที่จะส่ง (บรรทัดละหนึ่งลิงก์)"), blank=True)
    responsible = models.CharField(_("ผู้รับผิดชอบ"), max_length=255, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=RegisterStatus.choices, default=RegisterStatus.MISSING
    )
    note = models.CharField(_("หมายเหตุ"), max_length=500, blank=True)
    # Set when the row was copied from the year before and the item changed wording or was new.
    carried_warning = models.CharField(_("คำเตือนจากการคัดลอกปีก่อน"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The tables keep the names they had in assessments (the models moved, the rows did not).
    history = HistoricalRecords(
        excluded_fields=["carried_warning"], table_name="assessments_historicalregisteritem"
    )

    class Meta:
        db_table = "assessments_registeritem"
        verbose_name = _("รายการในทะเบียน OIT")
        verbose_name_plural = _("ทะเบียน OIT")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "question"], name="register_unique_item"),
        ]
        indexes = [models.Index(fields=["organisation", "fiscal_year"], name="register_org_year")]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.question.code}"

    @property
    def url_list(self) -> list[str]:
        return [line.strip() for line in self.urls.splitlines() if line.strip()]


class LinkCheck(models.Model):
    """What the checker found at one link of a register item, once; every check is kept, the
    newest of each link marked ``latest``."""

    item = models.ForeignKey(RegisterItem, on_delete=models.CASCADE, related_name="checks")
    url = models.URLField(max_length=2000)
    latest = models.BooleanField(default=True)
    checked_at = models.DateTimeField()
    verdict = models.CharField(_("ผลการตรวจ"), max_length=8, choices=LinkVerdict.choices)
    code = models.CharField(max_length=16)  # linkcheck.Verdict.code: ok, outdated, login, not_found, …
    reason = models.CharField(_("เหตุผล"), max_length=255)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=255, blank=True)
    years = models.CharField(_("ปีที่พบ"), max_length=64, blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "assessments_linkcheck"
        verbose_name = _("ผลการตรวจลิงก์")
        verbose_name_plural = _("ผลการตรวจลิงก์")
        indexes = [models.Index(fields=["item", "latest"], name="linkcheck_item_latest")]

    def __str__(self) -> str:
        return f"{self.url} {self.verdict}"
