"""Across plans: the administrators' overview and an organisation's history."""

from __future__ import annotations

import dataclasses

from django.utils import timezone
from django.views.generic import TemplateView

from assessments.models import Organisation
from ita_portal.delivery import deliver
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action
from ita_portal.thai import parse_int

from .. import files, selectors
from ..forms import filter_choices


class ProgressOverviewView(OrganisationScopedMixin, TemplateView):
    """For those who follow several organisations: every plan of a year, paged, filtered and
    sorted by the database, with completion and late counts."""

    template_name = "measures/progress_overview.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        found = selectors.plan_years(user)
        choices = filter_choices(
            self.request.GET,
            Organisation.objects.permitting(user, Action.OVERVIEW_VIEW),
            years=selectors.overview_years(user, today, found),
            default_year=selectors.overview_default_year(user, today, found),
            sorts=selectors.OVERVIEW_SORTS,
            level_year_offset=1,
            no_plan=False,
        )
        self.filters, self.sort = choices.filter, choices.sort
        page = selectors.overview_page(
            user,
            choices.year,
            today,
            filters=choices.filter,
            sort=choices.sort,
            page=parse_int(self.request.GET.get("page", ""), low=1, high=100_000) or 1,
        )
        return super().get_context_data(
            year=page.year,
            rows=page.rows,
            page_obj=page.page,
            filter_form=choices.form,
            filtered=bool(choices.filter),
            without_plan=selectors.organisations_without_plan(user, page.year),
            **kwargs,
        )


class ProgressOverviewExportView(ProgressOverviewView):
    """The overview, with the same filters and order, as an .xlsx file (in the background when long)."""

    def render_to_response(self, context, **response_kwargs):
        count, year = context["page_obj"].paginator.count, context["year"]
        title = f"ภาพรวมมาตรการปี {year} · {count:,} แผน"
        filters = dataclasses.asdict(self.filters)  # every row, not the page's
        return deliver(self.request, files.overview, year, filters, self.sort, rows=count, title=title)


class OrganisationHistoryView(OrganisationScopedMixin, TemplateView):
    """The audit history of one organisation, for its administrators (other members get a 403)."""

    template_name = "measures/organisation_history.html"
    action = Action.HISTORY_VIEW

    def load(self, request, *args, **kwargs):
        self.organisation = self.get_scoped_or_404(Organisation, "visible_to", pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        return super().get_context_data(
            organisation=organisation, changes=selectors.organisation_changes(organisation), **kwargs
        )
