"""An organisation's assessment of one year and its scores: indicators, questions, published tools."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita_portal.permissions import Action

from .. import scoring
from .fields import score_field, score_range_constraint
from .frameworks import FiscalYear, Indicator, Question, RatingLevel, Tool
from .organisations import Organisation

# --- Assessments ------------------------------------------------------------------------------


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Assessments of the organisations the user belongs to."""
        return self.filter(Organisation.objects.visible_to(user).as_filter("organisation"))

    def permitting(self, user, action: Action) -> AssessmentQuerySet:
        return self.filter(Organisation.objects.permitting(user, action).as_filter("organisation"))

    def for_year(self, year: int) -> AssessmentQuerySet:
        return self.filter(fiscal_year__year=year)

    def with_scores(self) -> AssessmentQuerySet:
        """Everything needed to compute results without a query per row."""
        return self.select_related("organisation", "fiscal_year").prefetch_related(
            "indicator_scores__indicator", "published_tool_scores__tool"
        )


# The stored result (see ``Assessment.overall``): left out of the audit history, which records
# what people typed.
RESULT_FIELDS = ["overall", "level", "level_provisional", "targets_met", "mismatches"]


class Assessment(models.Model):
    """One organisation's ITA result for one fiscal year, as entered by its staff."""

    # Named as the package, so django-simple-history puts its history model there too.
    __module__ = "assessments.models"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="assessments")
    published_overall = score_field(verbose_name=_("คะแนนภาพรวมที่ประกาศ"), null=True, blank=True)
    published_level = models.CharField(_("ระดับที่ประกาศ"), max_length=64, blank=True)
    # NACC's published EIT part scores (years whose EIT has parts): the level floors apply to them.
    eit_part1 = score_field(verbose_name=_("คะแนน EIT ส่วนที่ 1"), null=True, blank=True)
    eit_part2 = score_field(verbose_name=_("คะแนน EIT ส่วนที่ 2"), null=True, blank=True)
    # The result the year's rules give these scores, stored so that lists filter and sort on it in
    # the database: written only by ``assessments.services.results`` after every change to the
    # scores or the year's framework, never typed. The scores stay the record; these follow them.
    overall = score_field(verbose_name=_("คะแนนรวม (คำนวณ)"), null=True, blank=True, editable=False)
    level = models.ForeignKey(
        RatingLevel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("ระดับ (คำนวณ)"),
    )
    level_provisional = models.BooleanField(_("ระดับเบื้องต้น"), default=False, editable=False)
    targets_met = models.BooleanField(_("บรรลุค่าเป้าหมาย"), null=True, editable=False)
    # Published numbers that disagree with the computed ones; None while nothing was published.
    mismatches = models.PositiveSmallIntegerField(_("ไม่ตรงกับผลที่ประกาศ"), null=True, editable=False)
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
    history = HistoricalRecords(excluded_fields=RESULT_FIELDS)

    class Meta:
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")
        # No default ordering: it joined the fiscal year into every query; lists order explicitly.
        indexes = [
            models.Index(fields=["fiscal_year", "organisation"], name="assessment_year_org"),
            models.Index(fields=["fiscal_year", "level"], name="assessment_year_level"),
            models.Index(fields=["fiscal_year", "overall"], name="assessment_year_overall"),
        ]
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
    def provisional_note(self) -> str:
        """Printed beside a provisional stored level (see ``scoring.Result.provisional_note``)."""
        return scoring.PROVISIONAL_NOTE if self.level_provisional else ""

    @property
    def eit_parts(self) -> tuple[Decimal, Decimal] | None:
        """Both published EIT part scores, or None while either is missing."""
        if self.eit_part1 is None or self.eit_part2 is None:
            return None
        return (self.eit_part1, self.eit_part2)


class IndicatorScore(models.Model):
    """The score of one indicator in one assessment, with the assessor's recommendation."""

    # Named as the package, so django-simple-history puts its history model there too.
    __module__ = "assessments.models"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="indicator_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = score_field(verbose_name=_("คะแนน"))
    recommendation = models.TextField(_("ข้อเสนอแนะของผู้ตรวจประเมิน"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คะแนนตัวชี้วัด")
        verbose_name_plural = _("คะแนนตัวชี้วัด")
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

    # Named as the package, so django-simple-history puts its history model there too.
    __module__ = "assessments.models"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="question_scores")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    score = score_field(verbose_name=_("คะแนน"), null=True, blank=True)
    recommendation = models.TextField(_("ข้อเสนอแนะของผู้ตรวจประเมิน"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คะแนนรายข้อ")
        verbose_name_plural = _("คะแนนรายข้อ")
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

    # Named as the package, so django-simple-history puts its history model there too.
    __module__ = "assessments.models"

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
