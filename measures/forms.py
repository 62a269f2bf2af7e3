"""Forms: a measure, and the review steps of a plan. Validation only; services do the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Indicator
from ita_portal.forms import ThaiDateField

from .choices import QUARTER_CHOICES, PlanAction
from .models import Measure, split_codes


class MeasureForm(forms.ModelForm):
    """A measure of a plan; indicators and codes are those of the plan's assessment year."""

    period_start = forms.TypedChoiceField(label=_("เริ่มไตรมาส"), choices=QUARTER_CHOICES, coerce=int)
    period_end = forms.TypedChoiceField(label=_("ถึงไตรมาส"), choices=QUARTER_CHOICES, coerce=int)

    class Meta:
        model = Measure
        fields = [
            "indicator",
            "title",
            "analysis",
            "steps",
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

    def _clean_codes(self, name: str) -> str:
        codes = split_codes(self.cleaned_data.get(name, ""))
        missing = [c for c in codes if c not in self.known_codes]
        if missing:
            raise forms.ValidationError(
                _("ปี %(year)s ไม่มีข้อ %(codes)s")
                % {"year": self.plan.assessment.fiscal_year.year, "codes": ", ".join(missing)}
            )
        return ", ".join(codes)

    def clean_question_codes(self) -> str:
        return self._clean_codes("question_codes")

    def clean_relies_on(self) -> str:
        return self._clean_codes("relies_on")

    def values(self) -> dict:
        """The cleaned fields as model values, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlanActionForm(forms.Form):
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
