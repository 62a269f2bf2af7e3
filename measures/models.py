"""Measure templates, measure plans and their review.

A plan belongs to one assessment of year N and holds the measures for year N+1.
Its measures name the indicator and the question codes of the assessment's year;
every figure in their texts was filled from the records when the plan was
generated, and ``measures.checks`` flags any figure an edit made wrong.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, FiscalYear, Indicator, Organisation, Question
from ita_portal.storage import named_storage
from ita_portal.thai import fiscal_year_bounds, quarter_bounds

from .checks import codes_not_in_year
from .choices import (
    CLOSED_STATUSES,
    EDITABLE_STATUSES,
    QUARTER_CHOICES,
    MeasureKind,
    MeasureStatus,
    PlanAction,
    PlanStatus,
)
from .texts import PLACEHOLDERS, check_optional_segments, period_label, placeholders_in, split_codes


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
        for name in ("title", "analysis", "steps"):
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


# --- Plans ------------------------------------------------------------------------------------


class MeasurePlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasurePlanQuerySet:
        """Plans of the organisations the user belongs to."""
        return self.filter(assessment__organisation__in=Organisation.objects.visible_to(user))


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

    @property
    def organisation(self) -> Organisation:
        return self.assessment.organisation


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasureQuerySet:
        return self.filter(plan__assessment__organisation__in=Organisation.objects.visible_to(user))


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


# --- Progress ---------------------------------------------------------------------------------


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
            update__measure__plan__assessment__organisation__in=Organisation.objects.visible_to(user)
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
