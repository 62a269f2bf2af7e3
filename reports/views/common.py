"""What the documents' views share: the plan in the URL, its documents page's address, responses."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from ita_portal.logs import bind_organisation
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action
from measures.models import MeasurePlan

from .. import context
from ..choices import DocumentKind


def documents_url(plan) -> str:
    return reverse("reports:plan-documents", kwargs={"pk": plan.pk})


def kind_or_404(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise Http404
    return kind


def site(request) -> str:
    """This portal's address (scheme and host), put before public paths in a PDF's links."""
    return request.build_absolute_uri("/").rstrip("/")


def pdf_response(data: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PlanDocumentMixin(OrganisationScopedMixin):
    """The plan in the URL with what its documents print; 404 outside the user's organisations,
    403 for a member whose role may not take the view's ``action``."""

    action: Action | None = None
    # A view that builds no document (a download of a PDF already made) loads the plan alone.
    plan_alone = False

    def load(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        self.organisation = self.plan.organisation

    def get_plan(self):
        plans = (
            MeasurePlan.objects.select_related("assessment__organisation", "assessment__fiscal_year")
            if self.plan_alone
            else context.plans_for_documents()
        )
        plan = get_object_or_404(plans.visible_to(self.request.user), pk=self.kwargs["pk"])
        bind_organisation(plan)
        return plan

    def today(self):
        return timezone.localdate()
