"""Documents of many organisations at once, for administrators of several."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from ita_portal import jobs, permissions
from ita_portal.models import JobKind
from ita_portal.permissions import Action
from ita_portal.thai import parse_be_year

from .. import forms, selectors, tasks
from ..choices import DocumentKind
from .common import site


class DocumentBatchView(LoginRequiredMixin, FormView):
    """For administrators of many organisations: one kind of document for the plans of a year,
    rendered (and, if asked, published) in the background, with a result per organisation."""

    template_name = "reports/document_batch.html"
    form_class = forms.BatchForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.anywhere(request.user, Action.DOCUMENT_EDIT):
            raise PermissionDenied(permissions.REFUSALS[Action.DOCUMENT_EDIT])
        return super().dispatch(request, *args, **kwargs)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.years = selectors.batch_years(request.user) if request.user.is_authenticated else []
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
