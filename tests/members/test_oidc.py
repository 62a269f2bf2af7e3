"""Sign-in with an OpenID Connect provider, against a real one: django-oauth-toolkit's provider run
by the test in its own process on 127.0.0.1 (tests/oidc_provider). The portal's test client
plays the portal; a requests session plays the person's browser at the provider.

An account is linked by a verified address to an invited member (made with the invited role,
nothing more) or to an existing account; an unverified address, a stranger, a tampered answer and
a provider that is slow, oversized or names another issuer are refused in Thai."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.choices import Role
from assessments.models import Membership
from members import oidc
from members.models import Identity, Invitation
from tests.conftest import free_port
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/login/provider/callback/"


class Provider:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/o"
        self.profiles_file = tmp / "profiles.json"
        self.profiles({})
        env = dict(
            os.environ,
            OIDC_PROVIDER_DB=str(tmp / "provider.sqlite3"),
            OIDC_PROVIDER_PROFILES=str(self.profiles_file),
            DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.oidc_provider.serve",
                str(self.port),
                "portal",
                "portal-secret",
                CALLBACK,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        assert line.strip() == "ready", "the test provider did not start"

    def profiles(self, people: dict) -> None:
        self.profiles_file.write_text(json.dumps(people), encoding="utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = Provider(tmp_path_factory.mktemp("oidc"))
    yield running
    running.stop()


@pytest.fixture
def configured(settings, provider):
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "portal", "portal-secret"
    settings.OIDC_NAME = "บัญชีจังหวัดทดสอบ"
    settings.OIDC_TIMEOUT = 5
    return provider


def through_provider(client, username: str, start: str | None = None):
    """The browser's way: the portal sends it to the provider, the person signs in there, the
    provider sends it back with a code. Returns the portal's answer to that return."""
    response = client.get(start or reverse("oidc-start"))
    assert response.status_code == 302, response.content
    browser = requests.Session()
    authorize = response.url
    at_provider = browser.get(authorize, allow_redirects=False)
    login_page = urljoin(authorize, at_provider.headers["Location"])
    signed_in = browser.post(login_page, data={"username": username}, allow_redirects=False)
    back = browser.get(urljoin(authorize, signed_in.headers["Location"]), allow_redirects=False)
    location = back.headers["Location"]
    assert location.startswith(CALLBACK), location
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def invitation(org, email, role=Role.WORKING_GROUP, **fields):
    fields.setdefault("sent_at", timezone.now())
    return Invitation.objects.create(organisation=org, email=email, role=role, **fields)


def signed_in_as(client):
    return client.get(reverse("account")).context["user"]


def test_an_invited_member_signs_in_and_gets_the_invited_role_and_no_other(client, org, configured):
    configured.profiles({"somchai": {"email": "Somchai@Example.go.th", "name": "สมชาย ใจดี"}})
    invited = invitation(org, "somchai@example.go.th")
    page = through_provider(client, "somchai")
    assert page.redirect_chain[-1][0] == reverse("home")
    user = get_user_model().objects.get(email="somchai@example.go.th")
    assert signed_in_as(client) == user
    assert (user.username, user.first_name, user.last_name) == ("somchai@example.go.th", "สมชาย", "ใจดี")
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (org.pk, Role.WORKING_GROUP)
    ]
    invited.refresh_from_db()
    assert invited.accepted_by == user
    assert Identity.objects.get(user=user).issuer == configured.issuer


def test_an_unverified_address_is_refused_and_nothing_is_written(client, org, configured):
    configured.profiles({"mana": {"email": "mana@example.go.th", "email_verified": False}})
    invited = invitation(org, "mana@example.go.th", role=Role.ADMINISTRATOR)
    users_before = get_user_model().objects.count()
    page = through_provider(client, "mana").content.decode()
    assert "อีเมล mana@example.go.th ยังไม่ได้รับการยืนยันกับผู้ให้บริการยืนยันตัวตน" in page
    assert get_user_model().objects.count() == users_before and not Identity.objects.exists()
    invited.refresh_from_db()
    assert invited.accepted_at is None
    assert client.get(reverse("account")).status_code == 302  # not signed in


def test_a_stranger_without_an_account_or_invitation_is_refused(client, org, configured):
    configured.profiles({"stranger": {"email": "stranger@example.com"}})
    invitation(org, "stranger@example.com", cancelled_at=timezone.now())
    invitation(org, "stranger@example.com", sent_at=timezone.now() - timezone.timedelta(days=8))
    page = through_provider(client, "stranger").content.decode()
    assert "ยังไม่มีบัญชีหรือคำเชิญสำหรับอีเมล stranger@example.com" in page
    assert not get_user_model().objects.filter(email="stranger@example.com").exists()


def test_an_existing_account_is_linked_and_keeps_its_subject_when_the_address_changes(
    client, org, configured
):
    wg = member(org, Role.WORKING_GROUP, email="wanida@example.go.th")
    configured.profiles({"wanida": {"email": "WANIDA@example.go.th"}})
    through_provider(client, "wanida")
    assert signed_in_as(client) == wg
    assert "เชื่อมด้วยอีเมล wanida@example.go.th" in client.get(reverse("account")).content.decode()
    client.logout()
    # The provider's address changes (unverified, even): the linked subject still signs in as her.
    configured.profiles({"wanida": {"email": "wanida.new@example.go.th", "email_verified": False}})
    through_provider(client, "wanida")
    assert signed_in_as(client) == wg
    assert Identity.objects.filter(user=wg).count() == 1
    assert get_user_model().objects.filter(email__startswith="wanida").count() == 1


def test_an_address_already_linked_to_another_subject_is_refused(client, org, configured):
    wg = member(org, Role.WORKING_GROUP, email="pim@example.go.th")
    Identity.objects.create(user=wg, issuer=configured.issuer, subject="someone-else", email=wg.email)
    configured.profiles({"pim2": {"email": "pim@example.go.th"}})
    page = through_provider(client, "pim2").content.decode()
    assert "เชื่อมกับบัญชีอื่นของผู้ให้บริการนี้แล้ว" in page
    assert client.get(reverse("account")).status_code == 302


def test_a_second_factor_is_still_asked_of_an_administrator_who_came_through_the_provider(
    client, org, configured, settings
):
    settings.SECOND_FACTOR_REQUIRED = True
    member(org, Role.ADMINISTRATOR, email="boss@example.go.th")
    configured.profiles({"boss": {"email": "boss@example.go.th"}})
    page = through_provider(client, "boss")
    assert page.redirect_chain[-1][0].startswith(reverse("two-factor"))


def test_the_way_back_keeps_a_page_on_this_site_and_drops_another_site(client, org, configured):
    member(org, Role.STAFF, email="next@example.go.th")
    configured.profiles({"next": {"email": "next@example.go.th"}})
    account = reverse("account")
    assert (
        through_provider(client, "next", f"{reverse('oidc-start')}?next={account}").redirect_chain[-1][0]
        == account
    )
    client.logout()
    page = through_provider(client, "next", f"{reverse('oidc-start')}?next=https://evil.example/")
    assert page.redirect_chain[-1][0] == reverse("home")


def test_a_tampered_or_replayed_answer_is_refused(client, org, configured):
    member(org, Role.STAFF, email="replay@example.go.th")
    configured.profiles({"replay": {"email": "replay@example.go.th"}})
    client.get(reverse("oidc-start"))
    page = client.get(reverse("oidc-callback"), {"code": "made-up", "state": "made-up"}, follow=True)
    assert "เข้าสู่ระบบผ่านผู้ให้บริการยืนยันตัวตนไม่สำเร็จ" in page.content.decode()
    assert client.get(reverse("account")).status_code == 302
    denied = client.get(reverse("oidc-callback"), {"error": "access_denied"}, follow=True)
    assert "ยกเลิกการเข้าสู่ระบบผ่านผู้ให้บริการยืนยันตัวตนแล้ว" in denied.content.decode()


def test_the_button_and_pages_exist_only_when_a_provider_is_configured(client, settings, org):
    settings.OIDC_ISSUER = ""
    assert "เข้าสู่ระบบด้วย" not in client.get(reverse("login")).content.decode().replace("เข้าสู่ระบบ ITA", "")
    assert client.get(reverse("oidc-start")).status_code == 404
    assert client.get(reverse("oidc-callback")).status_code == 404
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = (
        "https://idp.example",
        "a",
        "b",
    )
    settings.OIDC_NAME = "บัญชีจังหวัดทดสอบ"
    assert "เข้าสู่ระบบด้วยบัญชีจังหวัดทดสอบ" in client.get(reverse("login")).content.decode()


class Hostile(http.server.BaseHTTPRequestHandler):
    """A provider that answers its discovery document too big, too slowly, or for another issuer."""

    mode = "huge"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if self.mode == "huge":
            self.wfile.write(b'{"issuer": "' + b"x" * (2 * oidc.MAX_BYTES) + b'"}')
        elif self.mode == "slow":
            for _ in range(40):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        else:
            self.wfile.write(json.dumps({"issuer": "https://impostor.example"}).encode())

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("mode", ["huge", "slow", "impostor"])
def test_a_hostile_provider_is_refused_within_its_bounds(client, settings, mode):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Hostile,), {"mode": mode}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.OIDC_ISSUER = f"http://127.0.0.1:{server.server_address[1]}"
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, settings.OIDC_TIMEOUT = "a", "b", 1
    started = time.monotonic()
    page = client.get(reverse("oidc-start"), follow=True)
    took = time.monotonic() - started
    server.shutdown()
    assert "ติดต่อผู้ให้บริการยืนยันตัวตนไม่ได้ในขณะนี้" in page.content.decode()
    assert took < 5  # the slow one would take 8 s: cut at twice OIDC_TIMEOUT
    assert UserFactory._meta.model.objects.count() == 0
