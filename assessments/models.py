"""Organisations, fiscal years, the yearly ITA framework, and assessments.

The framework (tools, indicators, sub-indicators, questions, rating levels) is
data, one set per fiscal year, loaded from ``fixtures/frameworks/<year>.json``
by ``manage.py load_framework`` and editable in the admin. No year is special
in code.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita_portal.permissions import Action, roles_for
from ita_portal.thai import fiscal_year_bounds

from .choices import (
    FrameworkStatus,
    ImportStatus,
    OrganisationType,
    QuestionKind,
    Role,
    SizeClass,
)

SCORE_VALIDATORS = [
    MinValueValidator(Decimal("0"), message=_("คะแนนต้องไม่ต่ำกว่า 0")),
    MaxValueValidator(Decimal("100"), message=_("คะแนนต้องไม่เกิน 100")),
]


def score_field(**kwargs) -> models.DecimalField:
    """A 0–100 score with two decimals, as NACC publishes it."""
    return models.DecimalField(max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


def score_range_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
    )


# --- Organisations and membership -------------------------------------------------------------


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations the user is a member of (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user).distinct()

    def permitting(self, user, action: Action) -> OrganisationQuerySet:
        """Organisations where the user may take ``action`` (``ita_portal.permissions``)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user, memberships__role__in=roles_for(action)).distinct()


class Organisation(models.Model):
    """A public agency taking part in the ITA, usually a local government."""

    code = models.CharField(
        _("รหัสหน่วยงาน"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        help_text=_("รหัสที่ไม่เปลี่ยนแปลง ใช้จับคู่เมื่อนำเข้าข้อมูล (ถ้ามี)"),
    )
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=255)
    org_type = models.CharField(_("ประเภท"), max_length=32, choices=OrganisationType.choices)
    size_class = models.CharField(_("ขนาด"), max_length=1, choices=SizeClass.choices, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100)
    province = models.CharField(_("จังหวัด"), max_length=100)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    # The emblem printed on the memo: a small PNG or JPEG kept in the database, so a document
    # never depends on a media folder and is embedded in the PDF as a data: URL.
    emblem = models.BinaryField(_("ตราหน่วยงาน"), blank=True, null=True, editable=False)
    emblem_type = models.CharField(_("ชนิดไฟล์ตรา"), max_length=16, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["province", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "district", "province"], name="organisation_unique_name_place"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        """The organisation as documents and workbooks name it: "… อำเภอ… จังหวัด…"."""
        return f"{self.name} อำเภอ{self.district} จังหวัด{self.province}"


class Membership(models.Model):
    """A user's role in one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("สมาชิกของหน่วยงาน")
        verbose_name_plural = _("สมาชิกของหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


# --- The yearly framework ---------------------------------------------------------------------


class FrameworkEntry(models.Model):
    """Common fields of every piece of a year's framework."""

    unconfirmed = models.BooleanField(
        _("ยังไม่ยืนยัน"),
        default=False,
        help_text=_("ข้อมูลที่ยังไม่ได้ตรวจสอบกับคู่มือการประเมินของสำนักงาน ป.ป.ช."),
    )
    source_note = models.TextField(_("หมายเหตุ/ที่มา"), blank=True)

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

    class Meta:
        verbose_name = _("ข้อคำถาม")
        verbose_name_plural = _("ข้อคำถาม")
        ordering = ["fiscal_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="question_unique_code_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

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


# --- Assessments ------------------------------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Assessments of the organisations the user belongs to."""
        return self.filter(organisation__in=Organisation.objects.visible_to(user))

    def permitting(self, user, action: Action) -> AssessmentQuerySet:
        return self.filter(organisation__in=Organisation.objects.permitting(user, action))

    def for_year(self, year: int) -> AssessmentQuerySet:
        return self.filter(fiscal_year__year=year)

    def with_scores(self) -> AssessmentQuerySet:
        """Everything needed to compute results without a query per row."""
        return self.select_related("organisation", "fiscal_year").prefetch_related(
            "indicator_scores__indicator", "published_tool_scores__tool"
        )


class Assessment(models.Model):
    """One organisation's ITA result for one fiscal year, as entered by its staff."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="assessments")
    published_overall = score_field(verbose_name=_("คะแนนภาพรวมที่ประกาศ"), null=True, blank=True)
    published_level = models.CharField(_("ระดับที่ประกาศ"), max_length=64, blank=True)
    # NACC's published EIT part scores (years whose EIT has parts): the level floors apply to them.
    eit_part1 = score_field(verbose_name=_("คะแนน EIT ส่วนที่ 1"), null=True, blank=True)
    eit_part2 = score_field(verbose_name=_("คะแนน EIT ส่วนที่ 2"), null=True, blank=True)
    # Raised by every save that changes anything; a form that showed an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")
        ordering = ["organisation", "-fiscal_year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="assessment_unique_org_year"
            ),
            score_range_constraint("published_overall", "assessment_published_overall_range"),
            score_range_constraint("eit_part1", "assessment_eit_part1_range"),
            score_range_constraint("eit_part2", "assessment_eit_part2_range"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.fiscal_year.year}"

    @property
    def eit_parts(self) -> tuple[Decimal, Decimal] | None:
        """Both published EIT part scores, or None while either is missing."""
        if self.eit_part1 is None or self.eit_part2 is None:
            return None
        return (self.eit_part1, self.eit_part2)


class IndicatorScore(models.Model):
    """The score of one indicator in one assessment, with the assessor's recommendation."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="indicator_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = score_field(verbose_name=_("คะแนน"))
    recommendation = models.TextField(_("ข้อเสนอแนะของผู้ตรวจประเมิน"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คะแนนตัวชี้วัด")
        verbose_name_plural = _("คะแนนตัวชี้วัด")
        ordering = ["indicator__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="indicatorscore_unique_per_assessment"
            ),
            score_range_constraint("score", "indicatorscore_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"

    def clean(self) -> None:
        if (
            self.assessment_id
            and self.indicator_id
            and (self.indicator.fiscal_year_id != self.assessment.fiscal_year_id)
        ):
            raise ValidationError(_("ตัวชี้วัดไม่ได้อยู่ในกรอบการประเมินของปีนี้"))


class QuestionScore(models.Model):
    """The score of one question or OIT item, and/or the assessor's recommendation on it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="question_scores")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    score = score_field(verbose_name=_("คะแนน"), null=True, blank=True)
    recommendation = models.TextField(_("ข้อเสนอแนะของผู้ตรวจประเมิน"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คะแนนรายข้อ")
        verbose_name_plural = _("คะแนนรายข้อ")
        ordering = ["question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="questionscore_unique_per_assessment"
            ),
            score_range_constraint("score", "questionscore_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.score}"

    def clean(self) -> None:
        if (
            self.assessment_id
            and self.question_id
            and (self.question.fiscal_year_id != self.assessment.fiscal_year_id)
        ):
            raise ValidationError(_("ข้อคำถามไม่ได้อยู่ในกรอบการประเมินของปีนี้"))


class PublishedToolScore(models.Model):
    """A tool score as NACC printed it, kept to check against the recomputed one."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="published_tool_scores")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+")
    score = score_field(verbose_name=_("คะแนนที่ประกาศ"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คะแนนรายเครื่องมือที่ประกาศ")
        verbose_name_plural = _("คะแนนรายเครื่องมือที่ประกาศ")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "tool"], name="publishedtoolscore_unique_per_assessment"
            ),
            score_range_constraint("score", "publishedtoolscore_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.tool.code}: {self.score}"


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
