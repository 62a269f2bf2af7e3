"""Fiscal years and their ITA framework, and the analysis rule of each year.

The framework (tools, indicators, sub-indicators, questions, rating levels) is
data, one set per fiscal year, loaded from ``fixtures/frameworks/<year>.json``
by ``manage.py load_framework`` and editable in the admin. No year is special
in code.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita_portal.thai import fiscal_year_bounds

from ..choices import (
    FrameworkStatus,
    QuestionKind,
)
from .fields import score_field, score_range_constraint

# --- The yearly framework ---------------------------------------------------------------------


class FrameworkEntry(models.Model):
    """Common fields of every piece of a year's framework."""

    unconfirmed = models.BooleanField(
        _("ยังไม่ยืนยัน"),
        default=False,
        help_text=_("ข้อมูลที่ยังไม่ได้ตรวจสอบกับคู่มือการประเมินของสำนักงาน ป.ป.ช."),
    )
    # What users may read about the entry (the score form's tooltip); never a source or a file name.
    note = models.TextField(
        _("หมายเหตุสำหรับผู้ใช้"),
        blank=True,
        help_text=_("แสดงแก่ผู้ใช้ เช่น “ถ้อยคำอาจเปลี่ยนเมื่อสำนักงาน ป.ป.ช. ประกาศคู่มือ” ห้ามอ้างชื่อไฟล์หรือแหล่งข้อมูล"),
    )
    # Where the entry comes from, for whoever maintains the framework data; shown only in the admin.
    source_note = models.TextField(_("ที่มาของข้อมูล (สำหรับผู้ดูแลระบบ)"), blank=True)

    class Meta:
        abstract = True


class FiscalYear(FrameworkEntry):
    """A Buddhist-era fiscal year (1 October – 30 September) and its assessment framework."""

    year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), unique=True)
    start_date = models.DateField(_("วันเริ่มต้น"))
    end_date = models.DateField(_("วันสิ้นสุด"))
    status = models.CharField(
        _("สถานะกรอบการประเมิน"),
        max_length=16,
        choices=FrameworkStatus.choices,
        default=FrameworkStatus.CONFIRMED,
    )
    target_overall = score_field(verbose_name=_("ค่าเป้าหมายคะแนนภาพรวม"), default=Decimal("85"))
    target_tool = score_field(verbose_name=_("ค่าเป้าหมายคะแนนรายเครื่องมือ"), null=True, blank=True)
    eit_parts = models.BooleanField(
        _("EIT แยกคะแนนสองส่วน"),
        default=False,
        help_text=_(
            "ตั้งแต่ปี 2567: ส่วนที่ 1 ผู้รับบริการตอบเอง ส่วนที่ 2 ผู้ประเมินจัดเก็บข้อมูล "
            "เกณฑ์คะแนนขั้นต่ำของระดับและค่าเป้าหมายรายเครื่องมือใช้กับ IIT, EIT ส่วนที่ 1, "
            "EIT ส่วนที่ 2 และ OIT"
        ),
    )
    oit_weights_confirmed = models.BooleanField(
        _("น้ำหนักรายการ OIT ยืนยันแล้ว"),
        default=False,
        help_text=_("น้ำหนักของข้อและตัวชี้วัดย่อย OIT ตรงกับคู่มือการประเมินของปีนี้"),
    )
    # What was computed from a year is cached under these counters (assessments/revisions.py), each
    # counting one more change in its own transaction, so nothing is served stale after a write:
    # any framework's change (a document's PDF keys on it), this year's results, scores or
    # organisations (the dashboards), this year's assessments' plans ("did the measures work?").
    revision = models.PositiveIntegerField(default=0, editable=False)
    results_revision = models.PositiveIntegerField(default=0, editable=False)
    plans_revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("ปีงบประมาณ")
        verbose_name_plural = _("ปีงบประมาณ")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lt=models.F("end_date")), name="fiscalyear_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.year}"

    def clean(self) -> None:
        if self.year and (self.year < 2500 or self.year > 2700):
            raise ValidationError({"year": _("กรุณาระบุปีเป็นพุทธศักราช เช่น 2568")})

    def fill_dates(self) -> None:
        """Set the 1 October – 30 September dates from the year."""
        self.start_date, self.end_date = fiscal_year_bounds(self.year)


class Tool(FrameworkEntry):
    """One of the year's assessment tools (IIT, EIT, OIT) and its weight in the overall score."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="tools")
    code = models.CharField(_("รหัส"), max_length=8)
    name = models.CharField(_("ชื่อเครื่องมือ"), max_length=255)
    weight = models.DecimalField(
        _("น้ำหนัก"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("เครื่องมือการประเมิน")
        verbose_name_plural = _("เครื่องมือการประเมิน")
        ordering = ["fiscal_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="tool_unique_code_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.fiscal_year.year})"


class Indicator(FrameworkEntry):
    """One of the year's ten indicators (ตัวชี้วัด), under one tool."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="indicators")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"))
    name = models.CharField(_("ชื่อตัวชี้วัด"), max_length=255)

    class Meta:
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="indicator_unique_number_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        if self.tool_id and self.fiscal_year_id and self.tool.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError({"tool": _("เครื่องมือต้องอยู่ในปีงบประมาณเดียวกับตัวชี้วัด")})


class SubIndicator(FrameworkEntry):
    """A sub-indicator of an OIT indicator, such as 9.1 ข้อมูลพื้นฐาน."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sub_indicators")
    code = models.CharField(_("รหัส"), max_length=8)
    name = models.CharField(_("ชื่อตัวชี้วัดย่อย"), max_length=255)

    weight = models.DecimalField(
        _("น้ำหนักในตัวชี้วัด"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("ว่างไว้ = ตัวชี้วัดย่อยทุกตัวมีน้ำหนักเท่ากัน ใช้ประมาณคะแนน OIT เท่านั้น"),
    )

    class Meta:
        verbose_name = _("ตัวชี้วัดย่อย")
        verbose_name_plural = _("ตัวชี้วัดย่อย")
        ordering = ["indicator", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "code"], name="subindicator_unique_code_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Question(FrameworkEntry):
    """A question (IIT/EIT) or item (OIT) of one year's catalogue.

    Codes are only unique within a year: o10 meant different things in 2566 and 2568.
    """

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="questions")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="questions")
    sub_indicator = models.ForeignKey(
        SubIndicator,
        on_delete=models.PROTECT,
        related_name="questions",
        null=True,
        blank=True,
    )
    code = models.CharField(_("รหัสข้อ"), max_length=8)
    text = models.TextField(_("ข้อคำถาม/รายการ"))
    kind = models.CharField(_("ลักษณะการให้คะแนน"), max_length=16, choices=QuestionKind.choices)
    part = models.PositiveSmallIntegerField(
        _("ส่วนที่"),
        null=True,
        blank=True,
        help_text=_("EIT ตั้งแต่ปี 2567: 1 = ผู้รับบริการตอบเอง, 2 = ผู้ประเมินจัดเก็บข้อมูล"),
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    # OIT items: what stays the same item from one year to the next whatever its code (o10 in
    # 2566 is not o10 in 2568), what it asks the agency to publish, and the fiscal years its
    # content may be of, relative to the assessment's (0 this year, -1 the year before).
    key = models.SlugField(_("รหัสเรื่อง (ใช้จับคู่ข้ามปี)"), max_length=40, blank=True)
    requirement = models.TextField(_("สิ่งที่ต้องเผยแพร่"), blank=True)
    years = models.JSONField(_("ปีของเนื้อหาที่ยอมรับ (เทียบกับปีที่ประเมิน)"), default=list, blank=True)
    weight = models.DecimalField(
        _("น้ำหนักในตัวชี้วัดย่อย"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("รายการ OIT: ว่างไว้ = ทุกข้อในตัวชี้วัดย่อยมีน้ำหนักเท่ากัน ใช้ประมาณคะแนน OIT เท่านั้น"),
    )

    class Meta:
        verbose_name = _("ข้อคำถาม")
        verbose_name_plural = _("ข้อคำถาม")
        ordering = ["fiscal_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="question_unique_code_per_year"),
            models.UniqueConstraint(
                fields=["fiscal_year", "key"], condition=~Q(key=""), name="question_unique_key_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def accepted_years(self) -> list[int]:
        """The BE years the item's content may be of (the assessment's year unless the data says)."""
        offsets = self.years or [0]
        return sorted((self.fiscal_year.year + offset for offset in offsets), reverse=True)

    def clean(self) -> None:
        if self.indicator_id and self.fiscal_year_id and self.indicator.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError({"indicator": _("ตัวชี้วัดต้องอยู่ในปีงบประมาณเดียวกับข้อคำถาม")})


class RatingLevel(FrameworkEntry):
    """One level of the year's rating scale, tried best first.

    An assessment gets the first level whose minimum overall score it reaches and,
    where the level sets one, whose minimum it reaches in every tool.
    """

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField(_("ลำดับ (1 = ดีที่สุด)"))
    code = models.CharField(_("รหัส"), max_length=32)
    label = models.CharField(_("ชื่อระดับ"), max_length=64)
    min_overall = score_field(verbose_name=_("คะแนนภาพรวมขั้นต่ำ"))
    min_tool = score_field(verbose_name=_("คะแนนขั้นต่ำทุกเครื่องมือ"), null=True, blank=True)
    is_pass = models.BooleanField(_("ถือว่าผ่าน"), default=False)

    class Meta:
        verbose_name = _("ระดับผลการประเมิน")
        verbose_name_plural = _("ระดับผลการประเมิน")
        ordering = ["fiscal_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "order"], name="level_unique_order_per_year"),
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="level_unique_code_per_year"),
        ]

    def __str__(self) -> str:
        return self.label


class AnalysisRule(models.Model):
    """How the analysis classifies a year's indicators (see ``assessments.analysis``).

    One per fiscal year; a year without one uses the defaults below, which the
    analysis page states together with the year's targets.
    """

    # Named as the package, so django-simple-history puts its history model there too.
    __module__ = "assessments.models"

    fiscal_year = models.OneToOneField(FiscalYear, on_delete=models.CASCADE, related_name="analysis_rule")
    improve_below = score_field(
        verbose_name=_("ต้องปรับปรุงเมื่อคะแนนตัวชี้วัดต่ำกว่า"),
        default=Decimal("95"),
        help_text=_("ตัวชี้วัดที่ได้ตั้งแต่คะแนนนี้ขึ้นไปเป็นตัวชี้วัดที่ต้องคงมาตรฐาน"),
    )
    urgent_below = score_field(
        verbose_name=_("เร่งด่วนเมื่อคะแนนตัวชี้วัดต่ำกว่า"),
        default=Decimal("85"),
        help_text=_("ปกติเท่ากับค่าเป้าหมายของปี"),
    )
    urgent_lowest = models.PositiveSmallIntegerField(
        _("จำนวนตัวชี้วัดคะแนนต่ำสุดที่ถือว่าเร่งด่วน"),
        default=2,
        validators=[MaxValueValidator(10)],
    )
    full_marks = score_field(
        verbose_name=_("คะแนนเต็มของข้อคำถาม"),
        default=Decimal("100"),
        help_text=_("ข้อที่ได้ต่ำกว่านี้เป็นจุดที่ควรพัฒนา"),
    )
    question_below_full_marks_improves = models.BooleanField(
        _("ข้อคำถามที่ได้ต่ำกว่าคะแนนเต็มทำให้ตัวชี้วัดต้องปรับปรุง"), default=False
    )
    recommendation_improves = models.BooleanField(
        _("ข้อเสนอแนะของผู้ตรวจประเมินทำให้ตัวชี้วัดต้องปรับปรุง"), default=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("เกณฑ์การวิเคราะห์ผล")
        verbose_name_plural = _("เกณฑ์การวิเคราะห์ผล")
        constraints = [
            score_range_constraint("improve_below", "analysisrule_improve_below_range"),
            score_range_constraint("urgent_below", "analysisrule_urgent_below_range"),
            score_range_constraint("full_marks", "analysisrule_full_marks_range"),
        ]

    def __str__(self) -> str:
        return f"เกณฑ์การวิเคราะห์ปี {self.fiscal_year.year}"

    def clean(self) -> None:
        if (
            self.urgent_below is not None
            and self.improve_below is not None
            and self.urgent_below > self.improve_below
        ):
            raise ValidationError({"urgent_below": _("เกณฑ์เร่งด่วนต้องไม่สูงกว่าเกณฑ์ต้องปรับปรุง")})
