"""Forms: a measure, and the review steps of a plan. Validation only; services do the rest."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from assessments.choices import OrganisationType
from assessments.models import Indicator
from ita_portal.forms import BahtField, PortalForm, ThaiDateField, columns, form_helper
from ita_portal.thai import parse_be_year, parse_int, to_arabic_digits

from .checks import codes_not_in_year
from .choices import QUARTER_CHOICES, MeasureStatus, PlanAction, PlanStatus
from .filters import LATENESS, NO_PLAN, OrganisationFilter
from .models import Measure
from .texts import split_codes


class MeasureForm(PortalForm, forms.ModelForm):
    """A measure of a plan; indicators and codes are those of the plan's assessment year."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    period_start = forms.TypedChoiceField(label=_("เริ่มไตรมาส"), choices=QUARTER_CHOICES, coerce=int)
    period_end = forms.TypedChoiceField(label=_("ถึงไตรมาส"), choices=QUARTER_CHOICES, coerce=int)
    budget = BahtField(
        label=_("งบประมาณ (บาท)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("เว้นว่างถ้าไม่ใช้งบประมาณ"),
    )

    class Meta:
        model = Measure
        fields = [
            "indicator",
            "title",
            "analysis",
            "steps",
            "target",
            "budget",
            "period_start",
            "period_end",
            "responsible_unit",
            "question_codes",
            "relies_on",
            "urgent",
        ]
        widgets = {
            "analysis": forms.Textarea(attrs={"rows": 4}),
            "steps": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        fiscal_year = plan.assessment.fiscal_year
        self.fields["indicator"].queryset = Indicator.objects.filter(fiscal_year=fiscal_year).order_by(
            "number"
        )
        self.fields["indicator"].label_from_instance = lambda ind: f"ตัวชี้วัดที่ {ind.number} {ind.name}"
        self.known_codes = set(fiscal_year.questions.values_list("code", flat=True))
        self.version_required = bool(self.instance.pk)  # a new measure collides with no one's
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
        self.helper = form_helper(
            "indicator",
            "title",
            "analysis",
            "steps",
            columns(("target", "col-md-8"), ("budget", "col-md-4")),
            columns(
                ("period_start", "col-md-3"), ("period_end", "col-md-3"), ("responsible_unit", "col-md-6")
            ),
            columns(("question_codes", "col-md-6"), ("relies_on", "col-md-6")),
            "urgent",
        )

    def _clean_codes(self, name: str) -> str:
        codes = split_codes(self.cleaned_data.get(name, ""))
        if message := codes_not_in_year(codes, self.known_codes, self.plan.assessment.fiscal_year.year):
            raise forms.ValidationError(message)
        return ", ".join(codes)

    def clean_question_codes(self) -> str:
        return self._clean_codes("question_codes")

    def clean_relies_on(self) -> str:
        return self._clean_codes("relies_on")

    def values(self) -> dict:
        """The cleaned fields as model values, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlanActionForm(PortalForm, forms.Form):
    """A review step: a comment (required to return or reopen) and, to approve, the meeting."""

    comment = forms.CharField(
        label=_("ความเห็น/เหตุผล"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting_number = forms.CharField(
        label=_("การประชุมครั้งที่"), required=False, max_length=64, help_text=_("เช่น 1/2569")
    )
    meeting_date = ThaiDateField(
        label=_("วันที่ประชุม"), required=False, help_text=_("วัน/เดือน/ปี พ.ศ. เช่น 15/10/2568")
    )

    def __init__(self, *args, action: str, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action != PlanAction.APPROVE:
            del self.fields["meeting_number"]
            del self.fields["meeting_date"]
        if transition.needs_comment:
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = _("กรุณาระบุเหตุผล")
        meeting = [("meeting_number", "col-md-6"), ("meeting_date", "col-md-6")]
        self.helper = form_helper("comment", *([columns(*meeting)] if "meeting_date" in self.fields else []))

    def clean_meeting_number(self) -> str:
        """Kept in Arabic digits like every stored number: pages then print "3/2568" beside a date in
        the same digits, and a document set to Thai digits turns both into Thai ("๓/๒๕๖๘")."""
        return to_arabic_digits(self.cleaned_data["meeting_number"].strip())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class VersionedForm(PortalForm, forms.Form):
    """Carries the version of the measure the user saw, so a save over someone else's is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.layout)

    layout: tuple = ()


class MeasureTrackForm(VersionedForm):
    """Who carries the measure out and when (the plan's quarters unless dates are given)."""

    layout = (
        "responsible_unit",
        "owner_person",
        columns(("start_date", "col-sm-6"), ("end_date", "col-sm-6")),
    )

    responsible_unit = forms.CharField(label=_("หน่วยงานที่รับผิดชอบ"), max_length=255)
    owner_person = forms.CharField(label=_("ผู้รับผิดชอบ (บุคคล)"), max_length=255, required=False)
    start_date = ThaiDateField(
        label=_("วันเริ่ม"), required=False, help_text=_("วัน/เดือน/ปี พ.ศ. เว้นว่าง = ต้นไตรมาส")
    )
    end_date = ThaiDateField(
        label=_("วันสิ้นสุด"), required=False, help_text=_("วัน/เดือน/ปี พ.ศ. เว้นว่าง = สิ้นไตรมาส")
    )

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["start_date"] > data["end_date"]:
            self.add_error("end_date", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        return data


class ProgressForm(VersionedForm):
    """One progress report: date, status, percentage, what was done, evidence, recommendations."""

    layout = (
        columns(("reported_on", "col-sm-4"), ("status", "col-sm-4"), ("percent", "col-sm-4")),
        "result",
        "recommendation",
        "cancel_reason",
        columns(("links", "col-md-6"), ("files", "col-md-6")),
    )

    reported_on = ThaiDateField(label=_("วันที่รายงาน"), help_text=_("วัน/เดือน/ปี พ.ศ. เช่น 15/1/2569"))
    status = forms.ChoiceField(label=_("สถานะ"), choices=MeasureStatus.choices)
    percent = forms.CharField(label=_("ความก้าวหน้า (%)"), help_text=_("0–100 พิมพ์เลขไทยได้"))
    result = forms.CharField(label=_("ผลการดำเนินการ"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendation = forms.CharField(
        label=_("ข้อเสนอแนะ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    cancel_reason = forms.CharField(
        label=_("เหตุผลที่ยกเลิก"),
        required=False,
        # Shown only while the status is "cancelled" (static/js/portal.js; always without JavaScript).
        widget=forms.Textarea(attrs={"rows": 2, "data-shown-when": f"status={MeasureStatus.CANCELLED}"}),
    )
    links = forms.CharField(
        label=_("ลิงก์หลักฐาน"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("บรรทัดละหนึ่งลิงก์ เช่น หน้าเว็บไซต์ที่เผยแพร่ข้อมูล"),
    )
    files = MultipleFileField(
        label=_("ไฟล์หลักฐาน"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX หรือ XLSX ไฟล์ละไม่เกิน 10 MB"),
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        total = sum(upload.size for upload in files)
        if total > settings.EVIDENCE_MAX_TOTAL_BYTES:
            raise forms.ValidationError(
                _("ไฟล์หลักฐานรวมกัน %(size).1f MB เกินที่รับได้ต่อหนึ่งรายงาน %(limit)d MB กรุณาแบ่งส่งในรายงานถัดไป")
                % {"size": total / 1024 / 1024, "limit": settings.EVIDENCE_MAX_TOTAL_BYTES // 1024 // 1024}
            )
        return files

    def clean_percent(self) -> int:
        text = to_arabic_digits(self.cleaned_data["percent"]).strip().rstrip("%").strip()
        percent = parse_int(text, low=0, high=100)
        if percent is None:
            raise forms.ValidationError(_("ความก้าวหน้าต้องเป็นจำนวนเต็ม 0 ถึง 100"))
        return percent

    def clean_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except forms.ValidationError:
                raise forms.ValidationError(_("ลิงก์ “%(link)s” ไม่ถูกต้อง") % {"link": link}) from None
        return links


class GetFilterForm(forms.Form):
    """A GET form of filters whose bad values are dropped field by field, not the whole form."""

    def value(self, name: str, default=""):
        """A field's valid value, or ``default`` when it is absent, missing or not one of the choices."""
        if name not in self.fields:
            return default
        if not self.is_bound:
            return self.initial.get(name, default)
        self.is_valid()
        return self.cleaned_data.get(name) or default


class OrganisationFilterForm(GetFilterForm):
    """The GET form of a list of many organisations. Choices come from what the user sees; laid out
    by ``templates/includes/list_filters.html`` (the search first, the rest folded on a phone)."""

    q = forms.CharField(label=_("ค้นหาชื่อหรือรหัสหน่วยงาน"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("จังหวัด"), required=False)
    district = forms.ChoiceField(label=_("อำเภอ"), required=False)
    type = forms.ChoiceField(
        label=_("ประเภท"), required=False, choices=[("", _("ทุกประเภท")), *OrganisationType.choices]
    )
    year = forms.TypedChoiceField(label=_("ปีงบประมาณ"), coerce=int, required=False)
    level = forms.ChoiceField(label=_("ระดับผลการประเมิน"), required=False)
    plan = forms.ChoiceField(label=_("สถานะแผนมาตรการ"), required=False)
    late = forms.ChoiceField(label=_("ความล่าช้า"), required=False, choices=LATENESS)
    sort = forms.ChoiceField(label=_("เรียงตาม"), required=False)

    def __init__(self, *args, years, provinces, districts, levels, sorts, no_plan=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["province"].choices = [("", _("ทุกจังหวัด")), *((p, p) for p in provinces)]
        self.fields["district"].choices = [
            ("", _("ทุกอำเภอ") if districts else _("เลือกจังหวัดก่อน")),
            *((d, d) for d in districts),
        ]
        self.fields["level"].choices = [("", _("ทุกระดับ")), *levels]
        plans = [("", _("ทุกสถานะ")), *PlanStatus.choices]
        if no_plan:
            plans.append((NO_PLAN, _("ยังไม่มีแผน")))
        self.fields["plan"].choices = plans
        self.fields["sort"].choices = sorts


@dataclass(frozen=True)
class FilterChoices:
    """A list's filter form, the filter it asks for, and the year it is about."""

    form: OrganisationFilterForm
    filter: OrganisationFilter
    year: int | None
    sort: str


def filter_choices(
    query,
    organisations,
    *,
    years: list[int],
    default_year: int | None,
    sorts,
    level_year_offset: int = 0,
    no_plan: bool = True,
) -> FilterChoices:
    """Build the filter form of a list over ``organisations`` from the GET ``query``: the year asked
    (when it is one of ``years``, else ``default_year``), the provinces of the organisations,
    the districts of the province asked, and the rating levels of the year (``level_year_offset``
    years before it: the overview lists plan years, rated on the assessment of the year before).
    Three to four queries, whatever the number of organisations."""
    from assessments.models import RatingLevel

    year = parse_be_year(query.get("year", ""))
    year = year if year in years else default_year
    provinces = list(organisations.order_by("province").values_list("province", flat=True).distinct())
    province = query.get("province", "")
    districts = (
        list(
            organisations.filter(province=province)
            .order_by("district")
            .values_list("district", flat=True)
            .distinct()
        )
        if province in provinces
        else []
    )
    levels = (
        list(
            RatingLevel.objects.filter(fiscal_year__year=year - level_year_offset)
            .order_by("order")
            .values_list("code", "label")
        )
        if year
        else []
    )
    form = OrganisationFilterForm(
        query or None,
        initial={"year": year, "sort": sorts[0][0]},
        years=years,
        provinces=provinces,
        districts=[d for d in districts if d],
        levels=levels,
        sorts=sorts,
        no_plan=no_plan,
    )
    return FilterChoices(
        form=form, filter=OrganisationFilter.from_form(form), year=year, sort=form.value("sort", sorts[0][0])
    )
