"""The GET form of the overseer's dashboard and of "did the measures work?"."""

from __future__ import annotations

import dataclasses

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.choices import OrganisationType, SizeClass
from ita_portal.thai import parse_be_year
from measures.forms import GetFilterForm

from .dashboard import DashboardFilter


class DashboardFilterForm(GetFilterForm):
    """The GET form of the overseer's dashboard and of "did the measures work?": the year and which
    organisations (province, type, size); a field with a bad value is dropped, not the form."""

    year = forms.TypedChoiceField(label=_("ปีงบประมาณ"), coerce=int, required=False)
    province = forms.ChoiceField(label=_("จังหวัด"), required=False)
    type = forms.ChoiceField(
        label=_("ประเภท"), required=False, choices=[("", _("ทุกประเภท")), *OrganisationType.choices]
    )
    size = forms.ChoiceField(label=_("ขนาด"), required=False, choices=[("", _("ทุกขนาด")), *SizeClass.choices])
    by = forms.ChoiceField(
        label=_("เทียบรายตัวชี้วัดแยกตาม"),
        required=False,
        choices=[("province", _("จังหวัด")), ("org_type", _("ประเภทหน่วยงาน")), ("size_class", _("ขนาด"))],
    )

    def __init__(self, *args, years, provinces, year_label=None, grouping=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        if year_label:
            self.fields["year"].label = year_label
        self.fields["province"].choices = [("", _("ทุกจังหวัด")), *((p, p) for p in provinces)]
        if not grouping:
            del self.fields["by"]


def dashboard_choices(query, organisations, *, years: list[int], grouping: bool = True, year_label=None):
    """The dashboard's form from the GET ``query`` (Thai digits accepted in the year), the year it
    asks for (the newest of ``years`` when it asks for none or another) and its filter."""

    year = parse_be_year(query.get("year", ""))
    year = year if year in years else (years[0] if years else None)
    provinces = list(organisations.order_by("province").values_list("province", flat=True).distinct())
    data = query.copy() if query else None
    if data is not None and year is not None:
        data["year"] = str(year)  # ๒๕๖๘ arrives as 2568
    form = DashboardFilterForm(
        data,
        initial={"year": year, "by": "province"},
        years=years,
        provinces=provinces,
        grouping=grouping,
        year_label=year_label,
    )
    filters = dataclasses.replace(DashboardFilter.from_form(form), by=form.value("by", "province"))
    return form, year, filters
