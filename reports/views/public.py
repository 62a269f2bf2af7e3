"""Public pages and files, without login: an organisation's documents page, each public version,
the stable address of a document's newest public version, published evidence; what was withdrawn
answers 410 with when and why."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from assessments.models import Organisation

from .. import selectors, services
from ..models import PublishedDocument, PublishedEvidence
from .common import kind_or_404, pdf_response


def public_latest_url(published: PublishedDocument) -> str:
    return reverse(
        "reports:public-latest",
        kwargs={"org": published.organisation_id, "year": published.plan.plan_year, "kind": published.kind},
    )


class PublicOrganisationView(TemplateView):
    """An organisation's published documents by year: the page its website links for OIT."""

    template_name = "reports/public_organisation.html"

    def get_context_data(self, **kwargs):
        organisation = get_object_or_404(Organisation, pk=self.kwargs["org"])
        return super().get_context_data(
            organisation=organisation, years=selectors.published_by_year(organisation), **kwargs
        )


# A published file never changes, but it can be withdrawn: browsers and proxies keep it an hour at
# most, so a withdrawal reaches them within the hour.
FILE_CACHE = "public, max-age=3600"


def withdrawn_page(request, row: PublishedDocument | PublishedEvidence) -> HttpResponse:
    """410 Gone, with when and why (never the file's name: it may be the very personal data)."""
    if isinstance(row, PublishedDocument):
        what = f"{row.get_kind_display()} ปี {row.plan.plan_year} ฉบับที่ {row.version}"
        newest = selectors.latest_published(row.organisation_id, row.plan.plan_year, row.kind)
        current = public_latest_url(newest) if newest else ""
    else:
        what, current = "ไฟล์หลักฐานประกอบรายงานผลการดำเนินงาน", ""
    context = {"what": what, "organisation": row.organisation, "withdrawn": row, "current": current}
    response = render(request, "reports/withdrawn.html", context, status=410)
    response["Cache-Control"] = "public, max-age=300"
    return response


def _serve_published(published: PublishedDocument, *, cache: str) -> HttpResponse:
    """A public version's file (a memo's or an announcement's signed copy), checked against its SHA-256."""
    served = services.public_file(published)
    try:
        data = services.published_bytes(served)
    except (services.TamperedFile, FileNotFoundError):
        return HttpResponse("ไฟล์นี้ไม่ตรงกับที่เผยแพร่ไว้ โปรดแจ้งผู้ดูแลระบบ", status=500, content_type="text/plain")
    response = pdf_response(data, published.filename, inline=True)
    response["ETag"] = f'"{served.sha256}"'
    response["Cache-Control"] = cache
    return response


class PublishedFileView(View):
    """One public version, by its permanent id. Its bytes never change; a version still waiting for
    its signed copy is not public (404)."""

    def get(self, request, public_id):
        published = get_object_or_404(
            PublishedDocument.objects.public().select_related("plan", "signed_copy", "organisation"),
            public_id=public_id,
        )
        if published.is_withdrawn:
            return withdrawn_page(request, published)
        return _serve_published(published, cache=FILE_CACHE)


class PublishedEvidenceView(View):
    """An evidence file published with an implementation report, by its permanent id; its bytes
    never change. PDFs and pictures open in the browser, office files download."""

    INLINE = ("application/pdf", "image/png", "image/jpeg")

    def get(self, request, public_id):
        evidence = PublishedEvidence.objects.select_related("organisation")
        published = get_object_or_404(evidence, public_id=public_id)
        if published.is_withdrawn:
            return withdrawn_page(request, published)
        try:
            data = services.published_bytes(published)
        except (services.TamperedFile, FileNotFoundError):
            return HttpResponse("ไฟล์นี้ไม่ตรงกับที่เผยแพร่ไว้ โปรดแจ้งผู้ดูแลระบบ", status=500, content_type="text/plain")
        inline = published.content_type in self.INLINE
        response = HttpResponse(data, content_type=published.content_type)
        response["Content-Disposition"] = content_disposition_header(not inline, published.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["ETag"] = f'"{published.sha256}"'
        response["Cache-Control"] = FILE_CACHE
        return response


class PublishedLatestView(View):
    """The newest public version of an organisation's document for a plan year: the stable link for OIT."""

    def get(self, request, org, year, kind):
        published = selectors.latest_published(org, year, kind_or_404(kind))
        if published is None:
            withdrawn = selectors.latest_published(org, year, kind, withdrawn=True)
            if withdrawn is None:
                raise Http404
            return withdrawn_page(request, withdrawn)
        return _serve_published(published, cache="public, max-age=300")
