"""Withdrawing, with a reason, a public version of a document or a published evidence file
(administrators): a page saying what will happen, then the withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from ita_portal.permissions import Action

from .. import forms, services
from ..models import PublishedDocument, PublishedEvidence
from .common import PlanDocumentMixin, documents_url, kind_or_404, site


class WithdrawView(PlanDocumentMixin, TemplateView):
    """GET: what will be withdrawn and the reason's field; POST: the withdrawal."""

    template_name = "reports/withdraw_form.html"
    action = Action.DOCUMENT_PUBLISH

    def target(self):
        raise NotImplementedError

    def withdraw(self, target, reason: str) -> None:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.page(forms.WithdrawForm()))

    def post(self, request, *args, **kwargs):
        form = forms.WithdrawForm(request.POST)
        target = self.target()
        if form.is_valid():
            try:
                self.withdraw(target, form.cleaned_data["reason"])
            except services.WithdrawRefused as exc:
                form.add_error(None, exc)
            else:
                return redirect(documents_url(self.plan))
        return self.render_to_response(self.page(form))

    def page(self, form) -> dict:
        return self.get_context_data(plan=self.plan, form=form, target=self.target())


class DocumentWithdrawView(WithdrawView):
    def target(self) -> PublishedDocument:
        return get_object_or_404(
            PublishedDocument.objects.public().filter(withdrawn_at__isnull=True),
            plan=self.plan,
            kind=kind_or_404(self.kwargs["kind"]),
            version=self.kwargs["version"],
        )

    def withdraw(self, target: PublishedDocument, reason: str) -> None:
        services.document_withdraw(document=target, user=self.request.user, reason=reason)
        messages.success(
            self.request,
            f"ถอนการเผยแพร่{target.get_kind_display()} ฉบับที่ {target.version} แล้ว "
            "ลิงก์ของฉบับนี้จะแจ้งผู้เปิดว่าถอนแล้วพร้อมเหตุผล",
        )


class EvidenceWithdrawView(WithdrawView):
    def target(self) -> PublishedEvidence:
        return get_object_or_404(
            PublishedEvidence.objects.filter(documents__plan=self.plan, withdrawn_at__isnull=True).distinct(),
            public_id=self.kwargs["public_id"],
        )

    def withdraw(self, target: PublishedEvidence, reason: str) -> None:
        request = self.request
        outcome = services.evidence_withdraw(
            evidence=target, user=request.user, reason=reason, today=self.today(), base_url=site(request)
        )
        messages.success(self.request, f"ถอนการเผยแพร่ไฟล์ “{target.original_name}” แล้ว")
        for report in outcome.republished:
            messages.success(
                self.request, f"เผยแพร่{report.get_kind_display()} ฉบับที่ {report.version} ใหม่แล้ว โดยไม่มีไฟล์ที่ถอน"
            )
        for note in outcome.not_republished:
            messages.warning(self.request, note)
        if outcome.still_naming:
            versions = ", ".join(f"ฉบับที่ {report.version}" for report in outcome.still_naming)
            messages.warning(
                self.request,
                f"รายงานที่เผยแพร่ไว้ก่อนหน้า ({versions}) ยังระบุชื่อไฟล์นี้ แต่เปิดไฟล์ไม่ได้แล้ว "
                "หากชื่อไฟล์เองเป็นข้อมูลส่วนบุคคล ให้ถอนการเผยแพร่ฉบับนั้นด้วย",
            )
