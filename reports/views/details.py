"""What the documents print that the records cannot tell: the memo's details and signatories,
the announcement's date and signer, the organisation's ครุฑ."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from ita_portal.permissions import Action

from .. import forms, services
from .common import PlanDocumentMixin, documents_url


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
        self.form, self.formset = self.get_forms(request.POST)
        form = self.form
        if form.is_valid() and self.formset.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.memo_save(
                    plan=self.plan,
                    user=request.user,
                    fields=fields,
                    signers=self.formset.signers(),
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "บันทึกรายละเอียดบันทึกข้อความแล้ว")
                return redirect(documents_url(self.plan))
        return self.form_invalid(form)

    def form_invalid(self, form):
        """The form again with what was typed (a stale save's refusal too: ita_portal.mixins)."""
        return self.render_to_response(self.get_context_data(plan=self.plan, form=form, formset=self.formset))


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
            return redirect(documents_url(plan))
        data = None if form.cleaned_data.get("remove") else form.cleaned_data["content"]
        services.organisation_garuda_set(organisation=plan.organisation, data=data, user=request.user)
        messages.success(request, "ลบภาพครุฑแล้ว" if data is None else "บันทึกภาพครุฑแล้ว")
        return redirect(documents_url(plan))


class AnnouncementUpdateView(PlanDocumentMixin, TemplateView):
    """The announcement's date and signer, kept with the plan."""

    template_name = "reports/announcement_form.html"
    action = Action.DOCUMENT_EDIT

    def get(self, request, *args, **kwargs):
        announcement = getattr(self.plan, "announcement", None)
        if announcement is None:
            form = forms.AnnouncementForm(initial=services.announcement_defaults(self.plan))
        else:
            form = forms.AnnouncementForm(instance=announcement)
        return self.render_to_response(self.get_context_data(plan=self.plan, form=form))

    def post(self, request, *args, **kwargs):
        self.form = form = forms.AnnouncementForm(
            request.POST, instance=getattr(self.plan, "announcement", None)
        )
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.announcement_save(
                    plan=self.plan,
                    user=request.user,
                    fields=fields,
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "บันทึกรายละเอียดประกาศแล้ว")
                return redirect(documents_url(self.plan))
        return self.form_invalid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(plan=self.plan, form=form))
