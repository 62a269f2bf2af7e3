"""A person's own account: forgotten password by e-mail (rate-limited, the same answer whether the
address has an account or not), change password, name and e-mail, and their organisations."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from assessments.models import Membership
from ita_portal.forms import LoginForm
from ita_portal.mixins import OrganisationScopedMixin

from . import oidc
from .models import ResetRequest

PER_ADDRESS_PER_HOUR = 3  # more are not sent (the page says the same)
PER_IP_PER_HOUR = 10  # more are refused with a Thai message


def provider_name() -> str:
    """The identity provider's button label, or "" when none is configured."""
    return settings.OIDC_NAME if oidc.configured() else ""


class LoginView(auth_views.LoginView):
    """The password form, and the identity provider's button when one is configured."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(provider_name=provider_name(), **kwargs)


class ThaiResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=gettext_lazy("อีเมลที่ใช้กับบัญชี"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThaiResetForm
    template_name = "members/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        since = timezone.now() - datetime.timedelta(hours=1)
        ip = self.request.META.get("REMOTE_ADDR")
        ResetRequest.objects.filter(created_at__lt=since).delete()
        if ResetRequest.objects.filter(ip=ip, created_at__gte=since).count() >= PER_IP_PER_HOUR:
            form.add_error(None, _("ขอตั้งรหัสผ่านใหม่บ่อยเกินไป กรุณารอประมาณ 1 ชั่วโมงแล้วลองอีกครั้ง"))
            return self.form_invalid(form)
        email = form.cleaned_data["email"].lower()
        recent = ResetRequest.objects.filter(email=email, created_at__gte=since).count()
        ResetRequest.objects.create(ip=ip, email=email)
        if recent >= PER_ADDRESS_PER_HOUR:
            return redirect(self.success_url)  # the same answer, nothing more sent
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "members/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "members/password_reset_complete.html"


class PasswordChangeView(OrganisationScopedMixin, auth_views.PasswordChangeView):
    template_name = "members/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        messages.success(self.request, _("เปลี่ยนรหัสผ่านแล้ว"))
        return super().form_valid(form)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("ชื่อ"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("นามสกุล"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("อีเมล"))


class AccountView(OrganisationScopedMixin, TemplateView):
    """The person's name and e-mail, and the organisations and roles they hold."""

    template_name = "members/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            form=kwargs.pop("form", None)
            or ProfileForm(
                initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
            ),
            memberships=Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name"),
            oversights=user.oversights.all(),
            identities=user.identities.all(),
            provider_name=provider_name(),
            **kwargs,
        )

    def post(self, request):
        form = ProfileForm(request.POST)
        if form.is_valid():
            from django.contrib.auth import get_user_model

            email = form.cleaned_data["email"].lower()
            if get_user_model().objects.exclude(pk=request.user.pk).filter(email__iexact=email).exists():
                form.add_error("email", _("อีเมลนี้เป็นของบัญชีอื่นแล้ว"))
            else:
                user = request.user
                user.first_name, user.last_name, user.email = (
                    form.cleaned_data["first_name"],
                    form.cleaned_data["last_name"],
                    email,
                )
                user.save(update_fields=["first_name", "last_name", "email"])
                messages.success(request, _("บันทึกข้อมูลของท่านแล้ว"))
                return redirect("account")
        return render(request, self.template_name, self.get_context_data(form=form))
