"""The documents of a plan (HTML, PDF, options, memo, publishing) and the public pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView, TemplateView

from assessments.models import Organisation
from ita_portal import jobs, permissions
from ita_portal.logs import bind_organisation
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.models import JobKind
from ita_portal.permissions import Action
from ita_portal.stale import StaleEdit, refuse_stale
from ita_portal.thai import parse_be_year, parse_int

from . import context, forms, rendering, selectors, services, tasks
from .choices import DocumentKind
from .models import Memo, PublishedDocument, PublishedEvidence


def _documents_url(plan) -> str:
    return reverse("reports:plan-documents", kwargs={"pk": plan.pk})


def _kind_or_404(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise Http404
    return kind


def _site(request) -> str:
    """This portal's address (scheme and host), put before public paths in a PDF's links."""
    return request.build_absolute_uri("/").rstrip("/")


def _pdf_response(data: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PlanDocumentMixin(OrganisationScopedMixin):
    """The plan in the URL with what its documents print; 404 outside the user's organisations,
    403 for a member whose role may not take the view's ``action``."""

    action: Action | None = None

    def load(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        if self.action is not None:
            permissions.require(request.user, self.plan.organisation, self.action)

    def get_plan(self):
        plan = get_object_or_404(
            context.plans_for_documents().visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        bind_organisation(plan)
        return plan

    def today(self):
        return timezone.localdate()


class PlanDocumentsView(PlanDocumentMixin, TemplateView):
    """The three documents of a plan: view, download, options, memo details, publishing, versions."""

    template_name = "reports/plan_documents.html"

    def get_context_data(self, **kwargs):
        plan = self.plan
        allowed = permissions.allowed(
            self.request.user, plan.organisation, Action.DOCUMENT_EDIT, Action.DOCUMENT_PUBLISH
        )
        entries = selectors.document_entries(plan, self.today())
        garuda = context.garuda_data_url(plan.organisation)
        # Each document's forms, with ids of their own (three on one page).
        rows = [
            (
                entry,
                forms.DocumentOptionsForm(
                    initial={"thai_digits": "1" if entry.thai_digits else "0"}, auto_id=f"id_%s_{entry.kind}"
                ),
                forms.PublishForm(
                    discrepancies=bool(entry.check.discrepancies),
                    evidence_files=entry.evidence_files,
                    auto_id=f"id_%s_{entry.kind}",
                    # The reason given last time, offered again rather than retyped on each republish.
                    initial={"override_reason": last_reason(entry)},
                ),
            )
            for entry in entries
        ]
        return super().get_context_data(
            plan=plan,
            rows=rows,
            can_edit=allowed["document_edit"],
            can_publish=allowed["document_publish"],
            garuda_form=forms.GarudaForm(has_garuda=bool(garuda)),
            garuda=garuda,
            **kwargs,
        )


def last_reason(entry) -> str:
    """The discrepancy reason of the latest version of this document that gave one, or ""."""
    return next((version.override_reason for version in entry.versions if version.override_reason), "")


class DocumentHtmlView(PlanDocumentMixin, View):
    """The document as a print-friendly page of the portal."""

    def get(self, request, pk, kind):
        kind = _kind_or_404(kind)
        plan = self.plan
        extra = {
            "back_url": _documents_url(plan),
            "pdf_url": reverse("reports:document-pdf", kwargs={"pk": plan.pk, "kind": kind}),
        }
        try:
            rendered = services.document_render(
                plan=plan, kind=kind, today=self.today(), for_pdf=False, extra=extra
            )
        except context.DocumentUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(_documents_url(plan))
        return HttpResponse(rendered.html)


class DocumentPdfView(PlanDocumentMixin, View):
    """The document as a PDF of the records as they are now (a draft until published).

    Served at once when the same HTML was rendered before (``reports.rendering``); otherwise a
    background task renders it and the person follows its progress on the job's page, which
    leads back here when it is done. No web request waits for a render.
    """

    def get(self, request, pk, kind):
        kind = _kind_or_404(kind)
        plan = self.plan
        try:
            rendered = services.document_render(
                plan=plan, kind=kind, today=self.today(), extra={"base_url": _site(request)}
            )
        except context.DocumentUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(_documents_url(plan))
        name = rendering.cache_name(plan.pk, kind, rendered.html)
        data = rendering.cached(name)
        if data is not None:
            return _pdf_response(data, f"ita-{kind}-{plan.plan_year}-{self.today():%Y%m%d}.pdf", inline=False)
        job, new = jobs.start_or_join(
            kind=JobKind.DOCUMENT,
            key=name,
            user=request.user,
            title=f"{DocumentKind(kind).label} · {plan.organisation.name} · ปี {plan.plan_year}",
            next_url=request.get_full_path(),
        )
        if new:
            jobs.enqueue(job, tasks.render_document, rendered.html, name)
        return redirect(job)


class DocumentOptionsView(PlanDocumentMixin, View):
    http_method_names = ["post"]
    action = Action.DOCUMENT_EDIT

    def post(self, request, pk, kind):
        kind = _kind_or_404(kind)
        plan = self.plan
        form = forms.DocumentOptionsForm(request.POST)
        if not form.is_valid():
            messages.error(request, "กรุณาเลือกชนิดตัวเลข")
            return redirect(_documents_url(plan))
        services.document_options_set(
            plan=plan, kind=kind, thai_digits=form.cleaned_data["thai_digits"], user=request.user
        )
        messages.success(request, "บันทึกการตั้งค่าตัวเลขของเอกสารแล้ว")
        return redirect(_documents_url(plan))


class DocumentPublishView(PlanDocumentMixin, View):
    http_method_names = ["post"]
    action = Action.DOCUMENT_PUBLISH

    def post(self, request, pk, kind):
        kind = _kind_or_404(kind)
        plan = self.plan
        form = forms.PublishForm(request.POST, discrepancies=True)  # the reason, whenever one was typed
        form.is_valid()
        evidence_ids = [
            pk for pk in (parse_int(v, low=1, high=2**31 - 1) for v in request.POST.getlist("evidence")) if pk
        ]
        try:
            published = services.document_publish(
                plan=plan,
                kind=kind,
                user=request.user,
                today=self.today(),
                override_reason=form.cleaned_data.get("override_reason", ""),
                evidence_ids=evidence_ids,
                base_url=_site(request),
            )
        except services.PublishRefused as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(_documents_url(plan))
        messages.success(
            request,
            f"เผยแพร่ {published.get_kind_display()} ฉบับที่ {published.version} แล้ว "
            f"ลิงก์สาธารณะ: {request.build_absolute_uri(public_latest_url(published))}",
        )
        return redirect(_documents_url(plan))


class MemoUpdateView(PlanDocumentMixin, TemplateView):
    """The memo's number, date, addressee and signatories, kept with the plan."""

    template_name = "reports/memo_form.html"
    action = Action.DOCUMENT_EDIT

    def get_forms(self, data=None):
        memo = getattr(self.plan, "memo", None)
        if memo is None:
            form = forms.MemoForm(data, initial=services.memo_defaults(self.plan))
            initial = []
        else:
            form = forms.MemoForm(data, instance=memo)
            initial = [
                {
                    "addressed_to": s.addressed_to,
                    "opinion": s.opinion,
                    "name": s.name,
                    "position": s.position,
                    "ORDER": number,
                }
                for number, s in enumerate(memo.signatories.all(), start=1)
            ]
        return form, forms.SignatoryFormSet(data, initial=initial, prefix="signers")

    def get(self, request, *args, **kwargs):
        form, formset = self.get_forms()
        return self.render_to_response(self.get_context_data(plan=self.plan, form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        if "add_row" in request.POST:
            # The same form again with what was typed and one more empty signatory row; nothing saved.
            memo, rows = forms.typed_so_far(request.POST, [*forms.MemoForm.Meta.fields, "version"], "signers")
            form = forms.MemoForm(initial=memo)
            formset = forms.SignatoryFormSet(initial=rows, prefix="signers")
            return self.render_to_response(self.get_context_data(plan=self.plan, form=form, formset=formset))
        form, formset = self.get_forms(request.POST)
        if form.is_valid() and formset.is_valid():
            signers = formset.signers()
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.memo_save(
                    plan=self.plan,
                    user=request.user,
                    fields=fields,
                    signers=signers,
                    expected_version=form.cleaned_data.get("version"),
                )
            except StaleEdit as exc:
                current = Memo.objects.filter(plan=self.plan).values_list("version", flat=True).first()
                refuse_stale(form, exc, current or 0)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "บันทึกรายละเอียดบันทึกข้อความแล้ว")
                return redirect(_documents_url(self.plan))
        return self.render_to_response(self.get_context_data(plan=self.plan, form=form, formset=formset))


class OrganisationGarudaView(PlanDocumentMixin, View):
    """Upload or remove the organisation's garuda, from one of its plans' documents page."""

    http_method_names = ["post"]
    action = Action.DOCUMENT_EDIT

    def post(self, request, pk):
        plan = self.plan
        form = forms.GarudaForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(_documents_url(plan))
        data = None if form.cleaned_data.get("remove") else form.cleaned_data["content"]
        services.organisation_garuda_set(organisation=plan.organisation, data=data, user=request.user)
        messages.success(request, "ลบภาพครุฑแล้ว" if data is None else "บันทึกภาพครุฑแล้ว")
        return redirect(_documents_url(plan))


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
            _site(self.request),
        )
        return redirect(job)


# --- Public: no login -------------------------------------------------------------------------


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


def _serve_published(published: PublishedDocument, *, cache: str) -> HttpResponse:
    try:
        data = services.published_bytes(published)
    except (services.TamperedFile, FileNotFoundError):
        return HttpResponse("ไฟล์นี้ไม่ตรงกับที่เผยแพร่ไว้ โปรดแจ้งผู้ดูแลระบบ", status=500, content_type="text/plain")
    response = _pdf_response(data, published.filename, inline=True)
    response["ETag"] = f'"{published.sha256}"'
    response["Cache-Control"] = cache
    return response


class PublishedFileView(View):
    """One published version, by its permanent id. Its bytes never change."""

    def get(self, request, public_id):
        published = get_object_or_404(PublishedDocument.objects.select_related("plan"), public_id=public_id)
        return _serve_published(published, cache="public, max-age=31536000, immutable")


class PublishedEvidenceView(View):
    """An evidence file published with an implementation report, by its permanent id; its bytes
    never change. PDFs and pictures open in the browser, office files download."""

    INLINE = ("application/pdf", "image/png", "image/jpeg")

    def get(self, request, public_id):
        published = get_object_or_404(PublishedEvidence, public_id=public_id)
        try:
            data = services.published_bytes(published)
        except (services.TamperedFile, FileNotFoundError):
            return HttpResponse("ไฟล์นี้ไม่ตรงกับที่เผยแพร่ไว้ โปรดแจ้งผู้ดูแลระบบ", status=500, content_type="text/plain")
        inline = published.content_type in self.INLINE
        response = HttpResponse(data, content_type=published.content_type)
        response["Content-Disposition"] = content_disposition_header(not inline, published.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["ETag"] = f'"{published.sha256}"'
        response["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


class PublishedLatestView(View):
    """The newest version of an organisation's document for a plan year: the stable link for OIT."""

    def get(self, request, org, year, kind):
        published = selectors.latest_published(org, year, _kind_or_404(kind))
        if published is None:
            raise Http404
        return _serve_published(published, cache="public, max-age=300")
