"""Two-factor sign-in: a TOTP app (with ten single-use recovery codes) for everyone who may publish
an agency's documents, manage its members or oversee — asked before any page, enrolled on the
first sign-in after such a role is given — and offered to everyone else on their account page."""

from __future__ import annotations

import secrets

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import Membership
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action, oversight_of, roles_for

RECOVERY_CODES = 10
# Where a signed-in person without the second factor may still go.
OPEN_PATHS = ("/account/two-factor/", "/logout/", "/static/", "/healthz", "/help/", "/favicon.ico")


def needs_second_factor(user) -> bool:
    """Superusers, overseers, and members whose role may publish documents or manage members (one
    query: the oversight is read once per request, and the page's permission checks reuse it)."""
    if user.is_superuser or oversight_of(user):
        return True
    roles = roles_for(Action.DOCUMENT_PUBLISH) | roles_for(Action.MEMBER_MANAGE)
    return Membership.objects.filter(user=user, role__in=roles).exists()


def has_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.SECOND_FACTOR_REQUIRED
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
            and needs_second_factor(user)
        ):
            return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("รหัสจากแอปยืนยันตัวตน หรือรหัสกู้คืน"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


class TwoFactorView(OrganisationScopedMixin, View):
    """Enrol (a new TOTP device shown as a QR code, confirmed by its first code) or verify."""

    template_name = "members/two_factor.html"

    def device(self):
        confirmed = TOTPDevice.objects.devices_for_user(self.request.user, confirmed=True).first()
        if confirmed:
            return confirmed, False
        pending = TOTPDevice.objects.devices_for_user(self.request.user, confirmed=False).first()
        return pending or TOTPDevice.objects.create(
            user=self.request.user, name="แอปยืนยันตัวตน", confirmed=False
        ), True

    def page(self, request, form, status=200):
        device, enrolling = self.device()
        context = {"form": form, "enrolling": enrolling, "next": _next(request)}
        if enrolling:
            context["qr"] = segno.make(device.config_url, micro=False).svg_inline(scale=5, dark="#000")
            context["secret"] = _spaced(device.key)
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.page(request, form)
        device, enrolling = self.device()
        code = form.cleaned_data["code"].replace(" ", "")
        found = device if enrolling and device.verify_token(code) else None
        if not enrolling:
            found = match_token(request.user, code)
        if found is None:
            form.add_error("code", _("รหัสไม่ถูกต้องหรือหมดเวลาแล้ว กรุณาลองรหัสใหม่จากแอป"))
            return self.page(request, form)
        otp_login(request, found)
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(request.user)
            return render(request, "members/recovery_codes.html", {"codes": codes, "next": _next(request)})
        messages.success(request, _("ยืนยันตัวตนแล้ว"))
        return redirect(_next(request))


def _spaced(hex_key: str) -> str:
    """The device's secret as the base32 an app asks for when the QR code cannot be scanned."""
    import base64

    text = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="รหัสกู้คืน")
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
