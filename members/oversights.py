"""Overseers granted in the portal: a superuser — or a national overseer a superuser let grant it
(``Oversight.may_grant``) — chooses a person and a province from the list of 77 (or the whole
country), never typing it; and takes the right back. Only a superuser gives or takes the right to
grant. Every change in the history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from assessments.models import Oversight
from assessments.provinces import PROVINCE_CHOICES
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action


class GrantForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("ชื่อผู้ใช้หรืออีเมล"), max_length=254)
    province = forms.ChoiceField(
        label=gettext_lazy("จังหวัดที่กำกับติดตาม"),
        choices=[("", gettext_lazy("ทุกหน่วยงานทั่วประเทศ")), *PROVINCE_CHOICES],
        required=False,
    )

    may_grant = forms.BooleanField(
        label=gettext_lazy("ให้มอบสิทธิ์ผู้กำกับติดตามแก่ผู้อื่นต่อได้ (เฉพาะทั่วประเทศ)"), required=False
    )

    def __init__(self, *args, superuser: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not superuser:
            del self.fields["may_grant"]

    def clean(self):
        data = super().clean()
        if data.get("may_grant") and data.get("province"):
            self.add_error("may_grant", _("สิทธิ์มอบต่อให้ได้เฉพาะผู้กำกับติดตามทั่วประเทศ"))
        return data

    def clean_person(self):
        text = self.cleaned_data["person"].strip()
        found = get_user_model().objects.filter(Q(username__iexact=text) | Q(email__iexact=text)).first()
        if found is None:
            raise forms.ValidationError(_("ไม่พบผู้ใช้ชื่อหรืออีเมลนี้ ให้ผู้นั้นมีบัญชีก่อน (เช่น รับคำเชิญของหน่วยงาน)"))
        return found


class OversightsMixin(OrganisationScopedMixin):
    across_action = Action.OVERSIGHT_GRANT


class OversightsView(OversightsMixin, TemplateView):
    template_name = "members/oversights.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            oversights=Oversight.objects.select_related("user").order_by("province", "user__username"),
            form=kwargs.pop("form", None) or GrantForm(superuser=self.request.user.is_superuser),
            **kwargs,
        )

    def post(self, request):
        form = GrantForm(request.POST, superuser=request.user.is_superuser)
        if form.is_valid():
            person, province = form.cleaned_data["person"], form.cleaned_data["province"]
            may_grant = form.cleaned_data.get("may_grant", False)
            if Oversight.objects.filter(user=person, province=province).exists():
                form.add_error(None, _("ผู้นี้กำกับติดตามพื้นที่นี้อยู่แล้ว"))
            else:
                row = Oversight(user=person, province=province, may_grant=may_grant)
                row._history_user = request.user
                row.save()
                where = f"จังหวัด{province}" if province else "ทุกหน่วยงานทั่วประเทศ"
                messages.success(
                    request,
                    _("มอบสิทธิ์กำกับติดตาม%(where)s แก่ %(who)s แล้ว")
                    % {"where": where, "who": person.get_username()},
                )
                return redirect("oversights")
        return self.render_to_response(self.get_context_data(form=form))


class OversightRevokeView(OversightsMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        row = get_object_or_404(Oversight, pk=pk)
        if row.may_grant and not request.user.is_superuser:
            raise PermissionDenied(_("เฉพาะผู้ดูแลระบบเท่านั้นที่ถอนสิทธิ์ของผู้ที่มอบสิทธิ์ต่อได้"))
        row._history_user = request.user
        row.delete()
        messages.success(request, _("ถอนสิทธิ์กำกับติดตามของ %(who)s แล้ว") % {"who": row.user.get_username()})
        return redirect("oversights")
