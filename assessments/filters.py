"""The filters of the lists of many organisations (home, the plans overview): one form, one rule.

Each filter is a condition the database evaluates on stored columns (the organisation's
fields, the assessment's stored level, the plan's status and ``overdue_from``), so a list of
8,300 organisations is filtered, sorted and paged without loading it into Python. The same
``OrganisationFilter`` works from an organisation (home) or from a plan (the overview): the
caller names the path from its rows to the organisation, the assessment and the plan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import parse_be_year
from measures.choices import PlanStatus

from .choices import OrganisationType, SizeClass

NO_PLAN = "none"
LATE = "late"
ON_TIME = "on_time"
LATENESS = [("", _("ทั้งหมด")), (LATE, _("มีมาตรการล่าช้า")), (ON_TIME, _("ไม่มีมาตรการล่าช้า"))]


# OrganisationFilter's fields and the form's (GET parameter) names for them.
FORM_FIELDS = {
    "search": "q",
    "province": "province",
    "district": "district",
    "org_type": "type",
    "level": "level",
    "plan_status": "plan",
    "late": "late",
}


@dataclass(frozen=True)
class OrganisationFilter:
    """What the user asked for; empty strings ask for nothing."""

    search: str = ""
    province: str = ""
    district: str = ""
    org_type: str = ""
    level: str = ""  # a level code of the list's year
    plan_status: str = ""  # a PlanStatus value, or NO_PLAN
    late: str = ""  # LATE or ON_TIME

    @classmethod
    def from_form(cls, form: OrganisationFilterForm) -> OrganisationFilter:
        """The valid fields of the form (a field with a bad value is dropped, not the form)."""
        return cls(**{name: form.value(key) for name, key in FORM_FIELDS.items()})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def on_results(self) -> bool:
        """Whether a filter concerns the year's assessment or plan (not only the organisation)."""
        return bool(self.level or self.plan_status or self.late)

    def organisation_q(self, path: str = "") -> Q:
        """The conditions on the organisation, reached from the rows by ``path`` ("" from itself)."""
        q = Q()
        if self.search.strip():
            term = self.search.strip()
            q &= Q(**{f"{path}name__icontains": term}) | Q(**{f"{path}code__iexact": term})
        for name, value in (
            ("province", self.province),
            ("district", self.district),
            ("org_type", self.org_type),
        ):
            if value:
                q &= Q(**{f"{path}{name}": value})
        return q

    def result_q(self, today: datetime.date, *, assessment: str, plan: str) -> Q:
        """The conditions on the year's assessment (its stored level) and its plan (status,
        lateness), reached from the rows by ``assessment`` and ``plan``."""
        q = Q()
        if self.level:
            q &= Q(**{f"{assessment}level__code": self.level})
        if self.plan_status == NO_PLAN:
            q &= Q(**{f"{plan}isnull": True}) if plan else Q(pk__in=[])
        elif self.plan_status:
            q &= Q(**{f"{plan}status": self.plan_status})
        if self.late == LATE:
            q &= Q(**{f"{plan}overdue_from__lt": today})
        elif self.late == ON_TIME:
            if plan:
                q &= Q(**{f"{plan}isnull": False})
            q &= Q(**{f"{plan}overdue_from__isnull": True}) | Q(**{f"{plan}overdue_from__gte": today})
        return q


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
    from .models import RatingLevel

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
    from .dashboard import DashboardFilter

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
    filters = DashboardFilter(
        province=form.value("province"),
        org_type=form.value("type"),
        size_class=form.value("size"),
        by=form.value("by", "province"),
    )
    return form, year, filters
