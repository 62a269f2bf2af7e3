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

from . import dashboard, files, kept, selectors
from .charts import dashboard_charts, effect_chart  # noqa: F401 (benchmarks/dashboard.py)
from .forms import dashboard_choices
from .tables import TABLE_SLUGS


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
        found = kept.dashboard_statistics(self.request.user, self.year, self.filters)
        query = self.request.GET.urlencode()
        downloads = {
            slug: f"{reverse('insights:dashboard-table', args=[slug])}?{query}" for slug in found["tables"]
        }
        return {**found, "downloads": downloads}


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

        user, year, filters = self.request.user, self.year, self.filters

        def compute() -> dict:
            effect = selectors.measure_effect(user, year, filters, min_group=settings.ANALYTICS_MIN_GROUP)
            table = selectors.measure_effect_table(effect)
            return {"effect": effect, "table": table, "chart": effect_chart(effect, charts)}

        return {
            **kept.measure_effect(user, year, filters, compute),
            "download": f"{reverse('insights:measure-effect-export')}?{self.request.GET.urlencode()}",
            "association_note": analytics.ASSOCIATION_NOTE,
        }


class MeasureEffectExportView(MeasureEffectView):
    """The same table, with the same year and filters, as an .xlsx file."""

    def get(self, request, *args, **kwargs):
        return self.deliver(files.measure_effect_table, title=f"ผลของมาตรการปี {self.year}")
