"""Documents of many organisations at once, for administrators of several."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from ita_portal import jobs
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.models import JobKind
from ita_portal.permissions import Action
from ita_portal.thai import parse_be_year

from .. import forms, selectors, tasks
from ..choices import DocumentKind
from .common import site


class DocumentBatchView(OrganisationScopedMixin, FormView):
    """For administrators of many organisations: one kind of document for the plans of a year,
    rendered (and, if asked, published) in the background, with a result per organisation."""

    template_name = "reports/document_batch.html"
    form_class = forms.BatchForm
    across_action = Action.DOCUMENT_EDIT

    def load(self, request, *args, **kwargs):
        self.years = selectors.batch_years(request.user)
        asked = parse_be_year(request.GET.get("year", ""))
        self.year = asked if asked in self.years else (self.years[0] if self.years else None)
        self.plans = selectors.batch_plans(request.user, self.year) if self.year else []

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plans": self.plans}

    def get_context_data(self, **kwargs):
        year_form = forms.BatchYearForm(initial={"year": self.year}, years=self.years)
        return super().get_context_data(years=self.years, year_form=year_form, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        job = jobs.start(
            kind=JobKind.BATCH,
            title=f"{DocumentKind(data['kind']).label} ปี {self.year} · {len(data['plan_ids'])} หน่วยงาน"
            + (" (เผยแพร่)" if data["publish"] else ""),
            user=self.request.user,
            total=len(data["plan_ids"]),
        )
        jobs.enqueue(
            job,
            tasks.document_batch,
            data["plan_ids"],
            data["kind"],
            data["publish"],
            self.request.user.pk,
            timezone.localdate().isoformat(),
            site(self.request),
        )
        return redirect(job)
