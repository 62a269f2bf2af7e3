"""The overseers' tables as ``@file_maker``s (``ita_portal.delivery``): one of the dashboard's
tables and the "did the measures work?" table, for the year and filters of the page."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from assessments.choices import OrganisationType, SizeClass
from ita_portal.delivery import FileMade, file_maker
from ita_portal.thai import thai_date

from . import dashboard, kept, selectors
from .exports import table_workbook


def subtitle(year: int, filters: dashboard.DashboardFilter, organisations: int) -> str:
    """What a table covers, for the top of its .xlsx."""
    parts = [f"ปีงบประมาณ พ.ศ. {year}"]
    if filters.province:
        parts.append(f"จังหวัด{filters.province}")
    if filters.org_type:
        parts.append(dict(OrganisationType.choices)[filters.org_type])
    if filters.size_class:
        parts.append(dict(SizeClass.choices)[filters.size_class])
    parts.append(f"{organisations:,} หน่วยงาน")
    parts.append(f"ข้อมูล ณ {thai_date(timezone.localdate())}")
    return " · ".join(parts)


@file_maker
def dashboard_table(user, year: int, filters: dict, slug: str, *, on_progress=None) -> FileMade:
    """The dashboard's table ``slug`` (one of ``tables.TABLE_SLUGS``) for the organisations the
    user follows."""
    chosen = dashboard.DashboardFilter(**filters)
    found = kept.dashboard_statistics(user, year, chosen)  # the page's own entry: computed once per change
    table = found["tables"][slug]
    content = table_workbook(table, subtitle(year, chosen, found["board"].organisations))
    return FileMade(content, f"ita-dashboard-{year}-{slug}.xlsx", table.title)


@file_maker
def measure_effect_table(user, year: int, filters: dict, *, on_progress=None) -> FileMade:
    """Each indicator's change in score by what the plans did about it."""
    chosen = dashboard.DashboardFilter(**filters)
    effect = selectors.measure_effect(user, year, chosen, min_group=settings.ANALYTICS_MIN_GROUP)
    covers = subtitle(year, chosen, effect.organisations)
    content = table_workbook(selectors.measure_effect_table(effect), covers)
    return FileMade(content, f"ita-measure-effect-{year}.xlsx")
