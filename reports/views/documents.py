"""The documents of a plan: the page listing them, each as HTML and PDF, the digits option,
publishing, and the executive's signed copies of the memo and the announcement."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from ita_portal import jobs, permissions
from ita_portal.models import JobKind
from ita_portal.permissions import Action
from ita_portal.thai import parse_int

from .. import context, fingerprint, forms, rendering, selectors, services, tasks
from ..choices import DocumentKind
from ..models import PublishedDocument
from .common import PlanDocumentMixin, documents_url, kind_or_404, pdf_response, site
from .public import public_latest_url


class PlanDocumentsView(PlanDocumentMixin, TemplateView):
    """The documents of a plan: view, download, options, details, publishing, versions, signed copies."""

    template_name = "reports/plan_documents.html"

    def get_context_data(self, **kwargs):
        plan = self.plan
        allowed = permissions.allowed(
            self.request.user, plan.organisation, Action.DOCUMENT_EDIT, Action.DOCUMENT_PUBLISH
        )
        entries = selectors.document_entries(plan, self.today(), site(self.request))
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
                    garuda_missing=bool(entry.check.garuda_missing),
                    auto_id=f"id_%s_{entry.kind}",
                    # The reason given last time, offered again rather than retyped on each republish.
                    initial={"override_reason": last_reason(entry)},
                ),
                forms.SignedCopyForm(auto_id=f"id_%s_{entry.kind}") if entry.awaiting_signature else None,
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
            published_evidence=selectors.published_evidence(plan),
            **kwargs,
        )


def last_reason(entry) -> str:
    """The discrepancy reason of the latest version of this document that gave one, or ""."""
    return next((version.override_reason for version in entry.versions if version.override_reason), "")


class DocumentHtmlView(PlanDocumentMixin, View):
    """The document as a print-friendly page of the portal."""

    def get(self, request, pk, kind):
        kind = kind_or_404(kind)
        plan = self.plan
        extra = {
            "back_url": documents_url(plan),
            "pdf_url": reverse("reports:document-pdf", kwargs={"pk": plan.pk, "kind": kind}),
        }
        try:
            rendered = services.document_render(
                plan=plan, kind=kind, today=self.today(), for_pdf=False, extra=extra
            )
        except context.DocumentUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(documents_url(plan))
        return HttpResponse(rendered.html)


class DocumentPdfView(PlanDocumentMixin, View):
    """The document as a PDF of the records as they are now (a draft until published).

    Served at once when the same records were rendered before (``reports.rendering``, keyed by
    ``reports.fingerprint`` without building the document); otherwise a background task renders
    it and the person follows its progress on the job's page, which leads back here when it is
    done. No web request waits for a render.
    """

    plan_alone = True  # the key needs no document built; a render reloads the plan fully

    def get(self, request, pk, kind):
        kind = kind_or_404(kind)
        plan = self.plan
        key = fingerprint.document_key(plan, kind, today=self.today(), site=site(request))
        name = rendering.cache_name(plan.pk, kind, key)
        data = rendering.cached(name)
        if data is not None:
            return pdf_response(data, f"ita-{kind}-{plan.plan_year}-{self.today():%Y%m%d}.pdf", inline=False)
        try:  # not made yet: can it be made at all?
            context.build(kind, context.plans_for_documents().get(pk=plan.pk), self.today())
        except context.DocumentUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(documents_url(plan))
        job, new = jobs.start_or_join(
            kind=JobKind.DOCUMENT,
            key=name,
            user=request.user,
            title=f"{DocumentKind(kind).label} · {plan.organisation.name} · ปี {plan.plan_year}",
            next_url=request.get_full_path(),
        )
        if new:
            jobs.enqueue(
                job, tasks.render_document, plan.pk, kind, self.today().isoformat(), site(request), name
            )
        return redirect(job)


class DocumentDocxView(PlanDocumentMixin, View):
    """The document as a Word working copy of the records as they are now (``reports.docx``):
    for staff used to fixing a wording in Word; the published document stays the PDF."""

    def get(self, request, pk, kind):
        from ..docx import docx_bytes

        kind = kind_or_404(kind)
        plan = self.plan
        try:
            rendered = services.document_render(plan=plan, kind=kind, today=self.today())
        except context.DocumentUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(documents_url(plan))
        response = HttpResponse(
            docx_bytes(rendered.html),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        name = f"ita-{kind}-{plan.plan_year}-working-copy.docx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DocumentOptionsView(PlanDocumentMixin, View):
    http_method_names = ["post"]
    action = Action.DOCUMENT_EDIT

    def post(self, request, pk, kind):
        kind = kind_or_404(kind)
        plan = self.plan
        form = forms.DocumentOptionsForm(request.POST)
        if not form.is_valid():
            messages.error(request, "กรุณาเลือกชนิดตัวเลข")
            return redirect(documents_url(plan))
        services.document_options_set(
            plan=plan, kind=kind, thai_digits=form.cleaned_data["thai_digits"], user=request.user
        )
        messages.success(request, "บันทึกการตั้งค่าตัวเลขของเอกสารแล้ว")
        return redirect(documents_url(plan))


class DocumentPublishView(PlanDocumentMixin, View):
    http_method_names = ["post"]
    action = Action.DOCUMENT_PUBLISH

    def post(self, request, pk, kind):
        kind = kind_or_404(kind)
        plan = self.plan
        # The reason whenever one was typed; the ครุฑ confirmation whenever it was ticked.
        form = forms.PublishForm(request.POST, discrepancies=True, garuda_missing=True)
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
                base_url=site(request),
                without_garuda=bool(form.cleaned_data.get("without_garuda")),
            )
        except services.PublishRefused as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(documents_url(plan))
        if published.is_public:
            messages.success(
                request,
                f"เผยแพร่ {published.get_kind_display()} ฉบับที่ {published.version} แล้ว "
                f"ลิงก์สาธารณะ: {request.build_absolute_uri(public_latest_url(published))}",
            )
        else:
            messages.success(
                request,
                f"สร้าง{published.get_kind_display()} ฉบับที่ {published.version} สำหรับลงนามแล้ว "
                "ดาวน์โหลดไปพิมพ์ให้ผู้บริหารลงนาม แล้วอัปโหลดไฟล์สแกนเพื่อเผยแพร่ ฉบับที่ยังไม่ลงนามจะไม่เผยแพร่ต่อสาธารณะ",
            )
        return redirect(documents_url(plan))


class SignedVersionMixin(PlanDocumentMixin):
    """A version of one of the plan's documents, by its number in the URL (404 outside the plan)."""

    def load(self, request, *args, **kwargs):
        super().load(request, *args, **kwargs)
        self.document = get_object_or_404(
            PublishedDocument.objects.select_related("plan", "signed_copy"),
            plan=self.plan,
            kind=kind_or_404(kwargs["kind"]),
            version=kwargs["version"],
        )


class DocumentVersionView(SignedVersionMixin, View):
    """The frozen PDF of one version, for the organisation's members: what is printed for the
    executive to sign (a version awaiting signature is not public)."""

    def get(self, request, pk, kind, version):
        if self.document.is_withdrawn:
            messages.error(request, f"ฉบับที่ {version} ถอนการเผยแพร่แล้ว ไม่มีไฟล์ให้ดาวน์โหลด")
            return redirect(documents_url(self.plan))
        try:
            data = services.published_bytes(self.document)
        except (services.TamperedFile, FileNotFoundError):
            messages.error(request, "ไฟล์ของฉบับนี้ไม่ตรงกับที่บันทึกไว้ โปรดแจ้งผู้ดูแลระบบ")
            return redirect(documents_url(self.plan))
        return pdf_response(data, self.document.filename, inline=False)


class SignedCopyUploadView(SignedVersionMixin, View):
    """The scan of a version as the executive signed it (administrators)."""

    http_method_names = ["post"]
    action = Action.DOCUMENT_PUBLISH

    def post(self, request, pk, kind, version):
        form = forms.SignedCopyForm(request.POST, request.FILES)
        if form.is_valid():
            name, content = form.cleaned_data["scan"]
            try:
                services.signed_copy_upload(
                    document=self.document,
                    name=name,
                    data=content,
                    user=request.user,
                    today=self.today(),
                    base_url=site(request),
                )
            except services.PublishRefused as exc:
                form.add_error("scan", exc)
        if not form.is_valid():
            for error in form.errors.get("scan", []):
                messages.error(request, f"ยังไม่ได้บันทึกฉบับที่ลงนาม: {error}")
            return redirect(documents_url(self.plan))
        messages.success(request, f"บันทึกฉบับที่ลงนามของฉบับที่ {version} แล้ว ตรวจดูไฟล์แล้วกด “เผยแพร่ฉบับที่ลงนาม”")
        return redirect(documents_url(self.plan))


class SignedCopyPublishView(SignedVersionMixin, View):
    """Make a version public with its signed copy (administrators)."""

    http_method_names = ["post"]
    action = Action.DOCUMENT_PUBLISH

    def post(self, request, pk, kind, version):
        try:
            document = services.signed_copy_publish(
                document=self.document, user=request.user, today=self.today(), base_url=site(request)
            )
        except services.PublishRefused as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(documents_url(self.plan))
        messages.success(
            request,
            f"เผยแพร่{document.get_kind_display()} ฉบับที่ {document.version} (ฉบับที่ลงนาม) แล้ว "
            f"ลิงก์สาธารณะ: {request.build_absolute_uri(public_latest_url(document))}",
        )
        return redirect(documents_url(self.plan))
