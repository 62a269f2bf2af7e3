"""The overseers' pages across organisations: the dashboard with its tables as workbooks, and
"did the measures work?"."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from assessments import analytics
from assessments.models import Organisation
from ita_portal.delivery import deliver
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action as Permission

from . import dashboard, files, selectors
from .forms import dashboard_choices
from .tables import TABLE_SLUGS, dashboard_tables


class DashboardMixin(OrganisationScopedMixin):
    """The year and organisations a dashboard page is about, from its GET form; 403 for a user who
    follows no organisation (``overview.view``)."""

    across_action = Permission.OVERVIEW_VIEW
    refusal = gettext_lazy("หน้านี้สำหรับผู้ที่ติดตามหลายหน่วยงาน")
    grouping = True
    year_label = None

    def years(self) -> list[int]:
        return dashboard.dashboard_years(self.request.user)

    def load(self, request, *args, **kwargs):
        self.form, self.year, self.filters = dashboard_choices(
            request.GET,
            Organisation.objects.permitting(request.user, Permission.OVERVIEW_VIEW),
            years=self.years(),
            grouping=self.grouping,
            year_label=self.year_label,
        )

    def get_context_data(self, **kwargs):
        """The filter form and the year; a page adds its statistics with ``statistics`` when there is
        a year to show."""
        context = super().get_context_data(
            form=self.form, year=self.year, filtered=bool(self.filters.q()), **kwargs
        )
        if self.year is not None:
            context.update(self.statistics())
        return context

    def statistics(self) -> dict:
        return {}

    def deliver(self, maker, *args, title: str):
        """A table of the page as a workbook: now, or in the background for many organisations."""
        if self.year is None:
            raise Http404
        filters = dataclasses.asdict(self.filters)
        count = dashboard.organisations_in_scope(self.request.user, self.filters).count()
        return deliver(self.request, maker, self.year, filters, *args, rows=count, title=title)


class DashboardView(DashboardMixin, TemplateView):
    """For an overseer: one fiscal year across the organisations followed — overall scores and
    levels against the year before, indicator means by province (or type, or size) and over the
    years, what is most often below target, who rose and fell most, and the share meeting each
    target; every table downloadable."""

    template_name = "insights/dashboard.html"

    def statistics(self) -> dict:
        from reports import charts

        found = dashboard.dashboard(self.request.user, self.year, self.filters)
        tables = dashboard_tables(found)
        query = self.request.GET.urlencode()
        downloads = {slug: f"{reverse('insights:dashboard-table', args=[slug])}?{query}" for slug in tables}
        return {
            "board": found,
            "tables": tables,
            "downloads": downloads,
            "charts": dashboard_charts(found, charts),
        }


def dashboard_charts(found, charts) -> dict[str, str]:
    """The dashboard's SVG charts (``reports.charts``) from its frames; a chart without data is ""."""
    drawn = {}
    years = [found.previous, found.year]
    if found.summary["count"].sum():
        drawn["bands"] = charts.bands_chart(
            list(found.bands.index), {year: [int(v) for v in found.bands[year]] for year in years}
        )
        drawn["levels"] = charts.levels_chart(
            {
                year: [
                    (r.level, int(r.count)) for r in found.levels[found.levels["year"] == year].itertuples()
                ]
                for year in years
                if (found.levels["year"] == year).any()
            }
        )
    numbers = [c for c in found.heat.columns if c != "organisations"]
    if len(found.heat):
        names = dashboard.GROUP_NAMES.get(found.heat.index.name, {})
        drawn["heat"] = charts.heat_map(
            [names.get(name, name) for name in found.heat.index],
            numbers,
            found.heat[numbers].to_numpy().tolist(),
            found.target,
        )
    if len(found.trend):
        drawn["trend"] = charts.indicator_trend_chart(
            list(found.trend.columns), {int(n): row.tolist() for n, row in found.trend.iterrows()}
        )
    return drawn


class DashboardTableExportView(DashboardMixin, View):
    """One of the dashboard's tables, with the same year and filters, as an .xlsx file."""

    def get(self, request, slug):
        if slug not in TABLE_SLUGS:
            raise Http404
        return self.deliver(files.dashboard_table, slug, title=f"ตารางภาพรวมปี {self.year}")


class MeasureEffectView(DashboardMixin, TemplateView):
    """Did the measures work? For the organisations an overseer follows, each indicator's change in
    score by what the plan did about it (done, not done, none), as an association."""

    template_name = "insights/measure_effect.html"
    grouping = False
    year_label = gettext_lazy("ปีที่ดำเนินมาตรการ (เทียบกับผลปีก่อนหน้า)")

    def years(self) -> list[int]:
        years = super().years()
        return [year for year in years if year - 1 in years]

    def statistics(self) -> dict:
        from reports import charts

        effect = selectors.measure_effect(
            self.request.user, self.year, self.filters, min_group=settings.ANALYTICS_MIN_GROUP
        )
        return {
            "effect": effect,
            "table": selectors.measure_effect_table(effect),
            "download": f"{reverse('insights:measure-effect-export')}?{self.request.GET.urlencode()}",
            "chart": effect_chart(effect, charts),
            "association_note": analytics.ASSOCIATION_NOTE,
        }


def effect_chart(effect, charts) -> str:
    """Each indicator's groups as points with their interval (only groups large enough)."""

    shown = effect.table[effect.table["shown"]]
    if shown.empty:
        return ""
    indicators = sorted(int(i) for i in effect.table["indicator"].unique())
    groups = {}
    for group in (analytics.DONE, analytics.NOT_DONE, analytics.NONE):
        own = shown[shown["group"] == group].set_index("indicator")
        if own.empty:
            continue
        groups[group] = [
            (float(own.at[i, "mean"]), float(own.at[i, "low"]), float(own.at[i, "high"]))
            if i in own.index
            else None
            for i in indicators
        ]
    return charts.effect_chart(indicators, groups, analytics.GROUP_LABELS)


class MeasureEffectExportView(MeasureEffectView):
    """The same table, with the same year and filters, as an .xlsx file."""

    def get(self, request, *args, **kwargs):
        return self.deliver(files.measure_effect_table, title=f"ผลของมาตรการปี {self.year}")
