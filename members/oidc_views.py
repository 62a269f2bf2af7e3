"""The two open pages of a sign-in through the identity provider: off to the provider, and back.

A refusal or a provider that does not answer returns to the sign-in page with the Thai reason;
nothing about the provider's answer is shown."""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from joserfc.errors import JoseError

from . import oidc

logger = logging.getLogger(__name__)
_NEXT = "oidc_next"
_UNAVAILABLE = "ติดต่อผู้ให้บริการยืนยันตัวตนไม่ได้ในขณะนี้ กรุณาลองใหม่อีกครั้ง หรือเข้าสู่ระบบด้วยรหัสผ่าน"
_FAILED = "เข้าสู่ระบบผ่านผู้ให้บริการยืนยันตัวตนไม่สำเร็จ กรุณาเริ่มใหม่จากหน้าเข้าสู่ระบบ"
# What a provider that is down, slow, oversized or wrong, or a tampered or replayed answer raises.
_PROVIDER_ERRORS = (
    oidc.ProviderUnavailable,
    requests.RequestException,
    AuthlibBaseError,
    JoseError,
    ValueError,
    KeyError,
)


def _back_to_login(request, text: str):
    messages.error(request, text)
    return redirect("login")


class OidcStartView(View):
    """Sends the browser to the provider (``?next=`` kept for the way back, on this site only)."""

    def get(self, request):
        if not oidc.configured():
            raise Http404
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
        request.session[_NEXT] = target if safe else ""
        try:
            client = oidc.provider()
            return client.authorize_redirect(request, request.build_absolute_uri(reverse("oidc-callback")))
        except _PROVIDER_ERRORS:
            logger.warning("identity provider unavailable", exc_info=True)
            return _back_to_login(request, _UNAVAILABLE)


class OidcCallbackView(View):
    """The provider's answer: the code exchanged, the ID token checked, the account found."""

    def get(self, request):
        if not oidc.configured():
            raise Http404
        if request.GET.get("error"):
            return _back_to_login(request, "ยกเลิกการเข้าสู่ระบบผ่านผู้ให้บริการยืนยันตัวตนแล้ว")
        try:
            client = oidc.provider()
            claims = oidc.claims_of(client, client.authorize_access_token(request))
            user = oidc.sign_in(claims)
        except oidc.SignInRefused as exc:
            return _back_to_login(request, str(exc))
        except requests.RequestException:
            logger.warning("identity provider unavailable", exc_info=True)
            return _back_to_login(request, _UNAVAILABLE)
        except _PROVIDER_ERRORS:
            logger.warning("identity provider answer refused", exc_info=True)
            return _back_to_login(request, _FAILED)
        target = request.session.pop(_NEXT, "")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(target or settings.LOGIN_REDIRECT_URL)
