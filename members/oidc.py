"""Sign-in with a province's or ministry's OpenID Connect provider (``OIDC_ISSUER``,
``OIDC_CLIENT_ID``, ``OIDC_CLIENT_SECRET``).

Authlib does the protocol: the provider's metadata read from its issuer's discovery document,
the authorization-code flow with PKCE, a state and a nonce kept in the session, the ID token's
signature checked against the provider's published keys, its issuer, audience, expiry and nonce.
Every request to the provider is bounded: ``OIDC_TIMEOUT`` seconds a read and twice that the
whole response, at most ``MAX_BYTES`` of body.

What the portal decides (``sign_in``) is who the person is here, and it never gives a role:
1. a subject linked before signs in as its account (an address changed at the provider changes
   nothing here);
2. otherwise the provider must vouch for the e-mail address (``email_verified``); an active
   account with that address is linked and signed in, and a new account is made only for an
   address with an open invitation, which it accepts with the invited role and no other;
3. anyone else is refused in Thai, and nothing is written.
"""

from __future__ import annotations

import datetime
import logging
import time

from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Identity, Invitation
from .services import INVITATION_DAYS, invitation_accept

logger = logging.getLogger(__name__)
MAX_BYTES = 256 * 1024  # a discovery document, a key set or a token response is a few kilobytes
_clients: dict[tuple, DjangoOAuth2App] = {}


class SignInRefused(Exception):
    """The Thai reason a sign-in through the provider did not make a session."""


class ProviderUnavailable(Exception):
    """The provider did not answer, answered too much or too slowly, or said something invalid."""


class _BoundedSession(OAuth2Session):
    """Authlib's requests session with each body read as it arrives (``read1``), up to
    ``MAX_BYTES`` and before a deadline of twice the timeout: a larger or slower answer is refused
    rather than held in memory or waited for. (The status line and headers are read under the
    per-read timeout.)"""

    def request(self, method, url, withhold_token=False, auth=None, **kwargs):
        kwargs["stream"] = True
        response = super().request(method, url, withhold_token=withhold_token, auth=auth, **kwargs)
        deadline = time.monotonic() + 2 * (self.default_timeout or 10)
        body = bytearray()
        with response:
            while chunk := response.raw.read1(65536, decode_content=True):
                body += chunk
                if len(body) > MAX_BYTES or time.monotonic() > deadline:
                    raise ProviderUnavailable(f"{url}: response over {MAX_BYTES} bytes or too slow")
        response._content = bytes(body)
        return response


class _Provider(DjangoOAuth2App):
    client_cls = _BoundedSession


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET)


def provider() -> DjangoOAuth2App:
    """The provider's client (its metadata and keys read once, on first use, then kept)."""
    key = (settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, settings.OIDC_TIMEOUT)
    if key not in _clients:
        _clients[key] = _Provider(
            DjangoIntegration("oidc"),
            name="oidc",
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            server_metadata_url=f"{settings.OIDC_ISSUER}/.well-known/openid-configuration",
            client_kwargs={
                "scope": "openid email profile",
                "code_challenge_method": "S256",
                "default_timeout": settings.OIDC_TIMEOUT,
            },
        )
    client = _clients[key]
    issuer = str(client.load_server_metadata().get("issuer", "")).rstrip("/")
    if issuer != settings.OIDC_ISSUER:
        client.server_metadata.clear()  # read again next time: the provider may be mid-change
        raise ProviderUnavailable(f"discovery names issuer {issuer!r}, not {settings.OIDC_ISSUER!r}")
    return client


def claims_of(client: DjangoOAuth2App, token: dict) -> dict:
    """The ID token's checked claims, with the user-info endpoint's when the token carries no
    address (a user-info answer for another subject is refused)."""
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise ProviderUnavailable("no ID token in the token response")
    if "email" not in claims and client.load_server_metadata().get("userinfo_endpoint"):
        extra = dict(client.userinfo(token=token))
        if extra.get("sub") != claims["sub"]:
            raise ProviderUnavailable("user-info answered for another subject")
        claims.update(
            {key: value for key, value in extra.items() if key in ("email", "email_verified", "name")}
        )
    return claims


def _verified(claims: dict) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _open_invitations(email: str):
    since = timezone.now() - datetime.timedelta(days=INVITATION_DAYS)
    return Invitation.objects.open().filter(email=email, sent_at__gte=since).select_related("organisation")


def _names(claims: dict, invitations) -> tuple[str, str]:
    first, last = claims.get("given_name") or "", claims.get("family_name") or ""
    if not first:
        full = claims.get("name") or next((i.name for i in invitations if i.name), "")
        first, _, last = full.strip().partition(" ")
    return first.strip()[:150], last.strip()[:150]


def _account_for(claims: dict, email: str):
    """The account an unlinked, verified address belongs to, or a new one made for its
    invitations; ``SignInRefused`` when there is neither."""
    users = get_user_model()
    accounts = list(users.objects.filter(email__iexact=email)[:2])
    invitations = list(_open_invitations(email))
    if len(accounts) > 1:
        raise SignInRefused(f"มีบัญชีมากกว่าหนึ่งบัญชีที่ใช้อีเมล {email} กรุณาติดต่อผู้ดูแลระบบเพื่อรวมบัญชีก่อน")
    if accounts:
        user = accounts[0]
        if Identity.objects.filter(issuer=settings.OIDC_ISSUER, user=user).exists():
            raise SignInRefused(f"บัญชี {email} เชื่อมกับบัญชีอื่นของผู้ให้บริการนี้แล้ว กรุณาเข้าสู่ระบบด้วยบัญชีเดิม")
    elif invitations:
        first, last = _names(claims, invitations)
        user = users.objects.create_user(username=email, email=email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    else:
        raise SignInRefused(f"ยังไม่มีบัญชีหรือคำเชิญสำหรับอีเมล {email} ในระบบ กรุณาขอให้ผู้ดูแลของหน่วยงานส่งคำเชิญมาที่อีเมลนี้")
    for invitation in invitations:
        invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def sign_in(claims: dict):
    """The active account these checked claims are; ``SignInRefused`` (Thai) for anyone else."""
    identity = (
        Identity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=settings.OIDC_ISSUER, subject=str(claims["sub"]))
        .first()
    )
    email = str(claims.get("email") or "").strip().lower()
    if identity is None:
        if not email:
            raise SignInRefused("ผู้ให้บริการยืนยันตัวตนไม่ได้ส่งอีเมลของท่านมา จึงไม่ทราบว่าเป็นบัญชีใดในระบบ")
        if not _verified(claims):
            raise SignInRefused(
                f"อีเมล {email} ยังไม่ได้รับการยืนยันกับผู้ให้บริการยืนยันตัวตน "
                "กรุณายืนยันอีเมลกับผู้ให้บริการก่อน หรือเข้าสู่ระบบด้วยรหัสผ่าน"
            )
        user = _account_for(claims, email)
        identity = Identity.objects.create(
            user=user, issuer=settings.OIDC_ISSUER, subject=str(claims["sub"]), email=email
        )
        logger.info("identity linked", extra={"user_id": user.pk})
    if not identity.user.is_active:
        raise SignInRefused("บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบ")
    identity.last_used_at = timezone.now()
    identity.save(update_fields=["last_used_at"])
    return identity.user
