"""Measure plans, their measures and the plan's review events.

A plan belongs to one assessment of year N and holds the measures for year N+1.
Its measures name the indicator and the question codes of the assessment's year;
every figure in their texts was filled from the records when the plan was
generated, and ``measures.checks`` flags any figure an edit made wrong."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Indicator, Organisation, Question
from ita_portal.thai import quarter_bounds

from ..checks import codes_not_in_year
from ..choices import (
    CLOSED_STATUSES,
    EDITABLE_STATUSES,
    MeasureKind,
    MeasureStatus,
    PlanAction,
    PlanStatus,
)
from ..texts import split_codes
from .templates import MeasureFields, MeasureTemplate


class MeasurePlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasurePlanQuerySet:
        """Plans of the organisations the user belongs to."""
        return self.filter(Organisation.objects.visible_to(user).as_filter("assessment__organisation"))


# The plan's counters (see ``MeasurePlan.measure_count``), left out of its audit history.
COUNTER_FIELDS = ["measure_count", "done_count", "progress", "overdue_from"]


class MeasurePlan(models.Model):
    """The measures an organisation plans for year N+1 from its assessment of year N."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="plan")
    plan_year = models.PositiveSmallIntegerField(_("ปีงบประมาณของแผน"))
    status = models.CharField(_("สถานะ"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    meeting_number = models.CharField(_("การประชุมครั้งที่"), max_length=64, blank=True)
    meeting_date = models.DateField(_("วันที่ประชุม"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Counted from the measures by ``measures.services.counters`` after every write of one, so
    # that the overview pages, filters and sorts thousands of plans in the database.
    measure_count = models.PositiveIntegerField(_("จำนวนมาตรการ"), default=0, editable=False)
    done_count = models.PositiveIntegerField(_("ดำเนินการแล้วเสร็จ"), default=0, editable=False)
    progress = models.PositiveSmallIntegerField(_("ความก้าวหน้าเฉลี่ย (%)"), default=0, editable=False)
    # The earliest planned end among the measures still open: late from the day after it.
    overdue_from = models.DateField(_("ล่าช้าตั้งแต่"), null=True, blank=True, editable=False)

    objects = MeasurePlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=COUNTER_FIELDS)

    class Meta:
        verbose_name = _("แผนมาตรการ")
        verbose_name_plural = _("แผนมาตรการ")
        ordering = ["-plan_year"]
        indexes = [
            models.Index(fields=["plan_year", "status"], name="plan_year_status"),
            models.Index(fields=["plan_year", "progress"], name="plan_year_progress"),
            models.Index(fields=["plan_year", "overdue_from"], name="plan_year_overdue"),
        ]

    def __str__(self) -> str:
        return f"มาตรการปี {self.plan_year} – {self.assessment.organisation}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def editable_by(self, user) -> bool:
        """Whether ``user`` may change the measures now: while drafted or returned, whoever may edit
        plans; while submitted, the working group reviewing it — changes made in place, each in
        the measures' history under its author, listed for staff when the plan comes back or is
        approved (``measures.selectors.review_changes``)."""
        from ita_portal.permissions import Action, can

        if self.status in EDITABLE_STATUSES:
            return can(user, self.organisation, Action.PLAN_EDIT)
        return self.status == PlanStatus.SUBMITTED and can(user, self.organisation, Action.PLAN_REVIEW)

    @property
    def organisation(self) -> Organisation:
        return self.assessment.organisation


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasureQuerySet:
        return self.filter(Organisation.objects.visible_to(user).as_filter("plan__assessment__organisation"))


class Measure(MeasureFields):
    """One measure of a plan, tied to an indicator and, where it has them, its weak questions."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("ตัวชี้วัด")
    )
    kind = models.CharField(
        _("ประเภท"), max_length=16, choices=MeasureKind.choices, default=MeasureKind.IMPROVE
    )
    urgent = models.BooleanField(_("เร่งด่วน"), default=False)
    question_codes = models.CharField(
        _("ข้อที่มาตรการนี้แก้ไข"),
        max_length=255,
        blank=True,
        help_text=_("รหัสข้อคำถาม/ข้อ OIT ของปีที่ประเมิน คั่นด้วยจุลภาค"),
    )
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    budget = models.DecimalField(
        _("งบประมาณ (บาท)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("เว้นว่างถ้าไม่ใช้งบประมาณ"),
    )
    template = models.ForeignKey(
        MeasureTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set for generated measures: regeneration finds its own measures by it.
    generated_key = models.CharField(max_length=100, blank=True)
    proposal_digest = models.CharField(max_length=64, blank=True, editable=False)
    edited_at = models.DateTimeField(_("แก้ไขโดยคณะทำงานเมื่อ"), null=True, blank=True)
    outdated = models.BooleanField(
        _("ผลการประเมินเปลี่ยนหลังแก้ไข"),
        default=False,
        help_text=_("การสร้างร่างใหม่เสนอข้อความต่างไปจากนี้ แต่ไม่ได้เขียนทับเพราะมีการแก้ไขแล้ว"),
    )

    # Carrying it out: who, when, and where it stands after the latest progress update.
    owner_person = models.CharField(_("ผู้รับผิดชอบ (บุคคล)"), max_length=255, blank=True)
    start_date = models.DateField(
        _("วันเริ่ม"), null=True, blank=True, help_text=_("เว้นว่างเพื่อใช้วันแรกของไตรมาสที่เริ่ม")
    )
    end_date = models.DateField(
        _("วันสิ้นสุด"), null=True, blank=True, help_text=_("เว้นว่างเพื่อใช้วันสุดท้ายของไตรมาสที่สิ้นสุด")
    )
    status = models.CharField(
        _("สถานะการดำเนินการ"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(
        _("ความก้าวหน้า (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    cancel_reason = models.TextField(_("เหตุผลที่ยกเลิก"), blank=True)
    last_update_on = models.DateField(_("รายงานความก้าวหน้าล่าสุด"), null=True, blank=True)
    # Raised by every save through a service; a form that carries an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # planned_end kept as a column (end_date, else the last day of period_end's quarter in the plan's
    # year), so lists count late measures in the database; save() keeps it in step.
    planned_end_on = models.DateField(null=True, editable=False, db_index=True)

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("มาตรการ")
        verbose_name_plural = _("มาตรการ")
        ordering = ["plan", "order", "pk"]
        indexes = [models.Index(fields=["plan", "status"], name="measure_plan_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="measure_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.plan_id and self.period_end:
            self.planned_end_on = self.planned_end
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "planned_end_on"}
        super().save(*args, **kwargs)

    @property
    def question_code_list(self) -> list[str]:
        return split_codes(self.question_codes)

    @property
    def planned_start(self) -> datetime.date:
        return self.start_date or quarter_bounds(self.plan.plan_year, self.period_start)[0]

    @property
    def planned_end(self) -> datetime.date:
        return self.end_date or quarter_bounds(self.plan.plan_year, self.period_end)[1]

    def is_late(self, today: datetime.date) -> bool:
        """Late: past its planned end and neither done nor cancelled."""
        return self.status not in CLOSED_STATUSES and today > self.planned_end

    def clean(self) -> None:
        errors: dict = {}
        self._clean_period(errors)
        if self.plan_id and self.indicator_id:
            fiscal_year_id = self.plan.assessment.fiscal_year_id
            if self.indicator.fiscal_year_id != fiscal_year_id:
                errors["indicator"] = _("ตัวชี้วัดต้องอยู่ในกรอบการประเมินของปีที่ประเมิน")
            codes = self.question_code_list + self.relies_on_codes
            if codes:
                known = dict(
                    Question.objects.filter(fiscal_year_id=fiscal_year_id).values_list("code", "indicator_id")
                )
                if message := codes_not_in_year(codes, known, self.plan.assessment.fiscal_year.year):
                    errors.setdefault("question_codes", []).append(message)
                elsewhere = [
                    c for c in self.question_code_list if c in known and known[c] != self.indicator_id
                ]
                if elsewhere:
                    errors.setdefault("question_codes", []).append(
                        _("ข้อ %(codes)s ไม่ได้อยู่ในตัวชี้วัดที่ %(number)s")
                        % {"codes": ", ".join(elsewhere), "number": self.indicator.number}
                    )
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")
        if self.status == MeasureStatus.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("กรุณาระบุเหตุผลที่ยกเลิก")
        if errors:
            raise ValidationError(errors)


class PlanEvent(models.Model):
    """One step of a plan's review: who did what, when, with which comment or meeting."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("การดำเนินการ"), max_length=16, choices=PlanAction.choices)
    from_status = models.CharField(_("จากสถานะ"), max_length=16, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(_("เป็นสถานะ"), max_length=16, choices=PlanStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)
    comment = models.TextField(_("ความเห็น"), blank=True)
    meeting_number = models.CharField(_("การประชุมครั้งที่"), max_length=64, blank=True)
    meeting_date = models.DateField(_("วันที่ประชุม"), null=True, blank=True)

    class Meta:
        verbose_name = _("ขั้นตอนการพิจารณาแผน")
        verbose_name_plural = _("ขั้นตอนการพิจารณาแผน")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d})"
