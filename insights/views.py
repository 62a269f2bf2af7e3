"""The overseers' pages across organisations: the dashboard with its tables as workbooks, and
"did the measures work?"."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from assessments import analytics
from assessments.choices import OrganisationType, SizeClass
from assessments.models import Organisation
from ita_portal.permissions import Action as Permission
from ita_portal.responses import xlsx_response
from ita_portal.thai import thai_date

from . import dashboard, exports, selectors
from .forms import dashboard_choices
from .tables import TABLE_SLUGS, dashboard_tables


class DashboardMixin(LoginRequiredMixin):
    """The year and organisations a dashboard page is about, from its GET form; 403 for a user who
    follows no organisation (``overview.view``)."""

    grouping = True
    year_label = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.followed = Organisation.objects.permitting(request.user, Permission.OVERVIEW_VIEW)
            if not self.followed.exists():
                raise PermissionDenied(_("หน้านี้สำหรับผู้ที่ติดตามหลายหน่วยงาน"))
        return super().dispatch(request, *args, **kwargs)

    def years(self) -> list[int]:
        return dashboard.dashboard_years(self.request.user)

    def load(self):
        self.form, self.year, self.filters = dashboard_choices(
            self.request.GET,
            self.followed,
            years=self.years(),
            grouping=self.grouping,
            year_label=self.year_label,
        )

    def get_context_data(self, **kwargs):
        """The filter form and the year; a page adds its statistics with ``statistics`` when there is
        a year to show."""
        self.load()
        context = super().get_context_data(
            form=self.form, year=self.year, filtered=bool(self.filters.q()), **kwargs
        )
        if self.year is not None:
            context.update(self.statistics())
        return context

    def statistics(self) -> dict:
        return {}

    def subtitle(self, organisations: int) -> str:
        """What a table covers, for the top of its .xlsx."""
        parts = [f"ปีงบประมาณ พ.ศ. {self.year}"]
        if self.filters.province:
            parts.append(f"จังหวัด{self.filters.province}")
        if self.filters.org_type:
            parts.append(dict(OrganisationType.choices)[self.filters.org_type])
        if self.filters.size_class:
            parts.append(dict(SizeClass.choices)[self.filters.size_class])
        parts.append(f"{organisations:,} หน่วยงาน")
        parts.append(f"ข้อมูล ณ {thai_date(timezone.localdate())}")
        return " · ".join(parts)


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
        self.load()
        if self.year is None or slug not in TABLE_SLUGS:
            raise Http404
        found = dashboard.dashboard(request.user, self.year, self.filters)
        table = dashboard_tables(found).get(slug)
        if table is None:
            raise Http404
        content = exports.table_workbook(table, self.subtitle(found.organisations))
        return xlsx_response(content, f"ita-dashboard-{self.year}-{slug}.xlsx")


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
        self.load()
        if self.year is None:
            raise Http404
        effect = selectors.measure_effect(
            request.user, self.year, self.filters, min_group=settings.ANALYTICS_MIN_GROUP
        )
        content = exports.table_workbook(
            selectors.measure_effect_table(effect), self.subtitle(effect.organisations)
        )
        return xlsx_response(content, f"ita-measure-effect-{self.year}.xlsx")
