"""The filter rule of the pages about many organisations (home, the plans overview, the overseers'
dashboard; the forms are in ``measures.forms`` and ``insights.forms``).

Each filter is a condition the database evaluates on stored columns (the organisation's
fields, the assessment's stored level, the plan's status and ``overdue_from``), so a list of
8,300 organisations is filtered, sorted and paged without loading it into Python. The same
``OrganisationFilter`` works from an organisation (home) or from a plan (the overview): the
caller names the path from its rows to the organisation, the assessment and the plan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    "size_class": "size",
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
    size_class: str = ""  # a SizeClass value
    level: str = ""  # a level code of the list's year
    plan_status: str = ""  # a PlanStatus value, or NO_PLAN
    late: str = ""  # LATE or ON_TIME

    @classmethod
    def from_form(cls, form) -> OrganisationFilter:
        """The valid fields of the form (``forms.OrganisationFilterForm``; a field with a bad value
        is dropped, not the form)."""
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
            ("size_class", self.size_class),
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
