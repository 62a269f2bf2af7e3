"""The fields a measure and a measure template share, and the templates themselves."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import FiscalYear, Question

from ..checks import codes_not_in_year
from ..choices import (
    QUARTER_CHOICES,
    MeasureKind,
)
from ..texts import PLACEHOLDERS, check_optional_segments, period_label, placeholders_in, split_codes


def quarter_field(verbose_name, default):
    return models.PositiveSmallIntegerField(
        verbose_name,
        choices=QUARTER_CHOICES,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )


class MeasureFields(models.Model):
    """What a measure and the template it comes from have in common."""

    title = models.CharField(_("มาตรการ"), max_length=255)
    analysis = models.TextField(_("ผลการวิเคราะห์"))
    steps = models.TextField(_("ขั้นตอนดำเนินการ"), help_text=_("บรรทัดละหนึ่งขั้นตอน ไม่ต้องใส่เลขข้อ"))
    period_start = quarter_field(_("เริ่มไตรมาส"), 1)
    period_end = quarter_field(_("ถึงไตรมาส"), 4)
    responsible_unit = models.CharField(_("ผู้รับผิดชอบ"), max_length=255, default="คณะทำงาน ITA")
    relies_on = models.CharField(
        _("อ้างอิงข้อ OIT"),
        max_length=255,
        blank=True,
        help_text=_("รหัสข้อ OIT ที่มาตรการนี้ใช้เป็นหลักฐาน คั่นด้วยจุลภาค เช่น o8, o9"),
    )
    target = models.CharField(
        _("ตัวชี้วัด/ค่าเป้าหมาย"),
        max_length=500,
        blank=True,
        help_text=_("สิ่งที่วัดได้เมื่อสิ้นสุดมาตรการ เช่น “ร้อยละ 100 ของรายการ OIT เผยแพร่ภายใน 31 มี.ค.”"),
    )

    class Meta:
        abstract = True

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def relies_on_codes(self) -> list[str]:
        return split_codes(self.relies_on)

    def _clean_period(self, errors: dict) -> None:
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_end"] = _("ไตรมาสสิ้นสุดต้องไม่ก่อนไตรมาสเริ่มต้น")


class MeasureTemplate(MeasureFields):
    """A measure to propose for a weak question or OIT item, or for an indicator.

    A template with a question is proposed when that question of that year is a
    point to develop; one without a question is the indicator's fallback (``improve``)
    or its keep-at-standard measure (``keep``). A template without a fiscal year
    serves every year that has no template of its own for the indicator.
    """

    key = models.SlugField(_("รหัสแม่แบบ"), max_length=64)
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measure_templates",
        help_text=_("เว้นว่างเพื่อใช้ได้ทุกปี (เฉพาะแม่แบบระดับตัวชี้วัด)"),
    )
    indicator_number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"))
    # A question dropped from its year's framework file takes its templates with it.
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measure_templates",
        verbose_name=_("ข้อคำถาม/รายการ"),
    )
    kind = models.CharField(
        _("ประเภท"), max_length=16, choices=MeasureKind.choices, default=MeasureKind.IMPROVE
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    active = models.BooleanField(_("ใช้งาน"), default=True)
    # Set by load_framework when the item this template answers or relies on changed meaning.
    needs_review = models.BooleanField(
        _("ต้องทบทวน"),
        default=False,
        help_text=_("ข้อคำถามหรือรายการ OIT ที่แม่แบบนี้อ้างถึงเปลี่ยนความหมาย ตรวจข้อความแล้วยกเลิกเครื่องหมายนี้"),
    )
    review_note = models.TextField(_("เหตุที่ต้องทบทวน"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("แม่แบบมาตรการ")
        verbose_name_plural = _("แม่แบบมาตรการ")
        ordering = ["fiscal_year", "indicator_number", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "key"], name="measuretemplate_unique_key_per_year"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(fiscal_year__isnull=True),
                name="measuretemplate_unique_key_any_year",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="measuretemplate_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        year = self.fiscal_year.year if self.fiscal_year_id else "ทุกปี"
        return f"{self.key} ({year}): {self.title}"

    def clean(self) -> None:
        errors: dict = {}
        self._clean_period(errors)
        if self.question_id:
            if self.fiscal_year_id != self.question.fiscal_year_id:
                errors["question"] = _("ข้อคำถามต้องอยู่ในปีงบประมาณเดียวกับแม่แบบ")
            elif self.question.indicator.number != self.indicator_number:
                errors["indicator_number"] = _("ข้อ %(code)s อยู่ในตัวชี้วัดที่ %(number)s") % {
                    "code": self.question.code,
                    "number": self.question.indicator.number,
                }
            if self.kind != MeasureKind.IMPROVE:
                errors["kind"] = _("แม่แบบรายข้อต้องเป็นประเภทปรับปรุง/พัฒนา")
        for name in ("title", "analysis", "steps", "target"):
            try:
                check_optional_segments(getattr(self, name))
                unknown = placeholders_in(getattr(self, name)) - set(PLACEHOLDERS)
            except ValidationError as exc:
                errors[name] = exc.messages
                continue
            if unknown:
                errors[name] = _("ไม่รู้จักช่องข้อมูล: %(names)s (ใช้ได้: %(known)s)") % {
                    "names": ", ".join(sorted(unknown)),
                    "known": ", ".join(PLACEHOLDERS),
                }
        codes = self.relies_on_codes
        if codes:
            if not self.fiscal_year_id:
                errors["relies_on"] = _("แม่แบบที่ใช้ได้ทุกปีอ้างอิงข้อ OIT ไม่ได้ เพราะรหัสข้อเปลี่ยนทุกปี")
            else:
                known = set(self.fiscal_year.questions.values_list("code", flat=True))
                if message := codes_not_in_year(codes, known, self.fiscal_year.year):
                    errors["relies_on"] = message
        if errors:
            raise ValidationError(errors)
