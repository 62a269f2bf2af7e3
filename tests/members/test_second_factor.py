"""Two-factor sign-in: whoever may publish, manage members or oversee is sent to enrol a TOTP app
before any page; a code from the app (or a recovery code, once) lets them in; wrong codes are
refused in Thai and throttled; others are only offered it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.choices import Role
from assessments.models import Oversight
from tests.factories import UserFactory, member, plan_with_measures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor(settings):
    settings.SECOND_FACTOR_REQUIRED = True


def code_of(device: TOTPDevice) -> str:
    """The code the person's phone shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_publisher_enrols_before_any_page_and_then_signs_in_with_a_code(client):
    plan, _wg = plan_with_measures()
    admin = member(plan.organisation, Role.ADMINISTRATOR)
    client.force_login(admin)
    documents = reverse("reports:plan-documents", args=[plan.pk])
    sent = client.get(documents)
    assert sent.status_code == 302 and sent.url.startswith(reverse("two-factor"))
    page = client.get(sent.url).content.decode()
    assert "<svg" in page and "สแกนรหัสนี้" in page  # the QR code, drawn in the page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post(sent.url, {"code": "000000"}).content.decode()
    assert "รหัสไม่ถูกต้องหรือหมดเวลาแล้ว" in wrong
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong guess above is throttled (tested below)
    device.throttling_failure_timestamp = None
    device.save()
    shown = client.post(sent.url, {"code": code_of(device), "next": documents}).content.decode()
    assert shown.count("<li>") >= 10 and "รหัสกู้คืน" in shown
    assert client.get(documents).status_code == 200  # verified for this session
    client.logout()
    client.force_login(admin)
    verify = client.get(documents)
    assert verify.status_code == 302
    assert "กรอกรหัส 6 หลักจากแอปยืนยันตัวตน" in client.get(verify.url).content.decode()


def test_a_recovery_code_works_once(client):
    admin = member(plan_with_measures()[0].organisation, Role.ADMINISTRATOR)
    client.force_login(admin)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=admin)
    page = client.post(reverse("two-factor"), {"code": code_of(device)}).content.decode()
    recovery = page.split('id="recovery-codes">')[1].split("<li>")[1].split("</li>")[0]
    for expected in (302, 200):
        client.logout()
        client.force_login(admin)
        response = client.post(reverse("two-factor"), {"code": recovery})
        assert response.status_code == expected  # the second time it is refused (200: the form again)


def test_guessing_is_throttled():
    admin = UserFactory()
    device = TOTPDevice.objects.create(user=admin, confirmed=True)
    assert not device.verify_token("000000")
    assert not device.verify_token(code_of(device))  # right, but too soon after a wrong one


def test_overseers_must_and_staff_may(client, org):
    overseer = UserFactory()
    Oversight.objects.create(user=overseer, province="ตาก")
    client.force_login(overseer)
    assert client.get(reverse("home")).status_code == 302
    staff = member(org, Role.STAFF)
    client.force_login(staff)
    assert client.get(reverse("home")).status_code == 200  # not required
    assert "ยืนยันตัวตนสองขั้นตอน" in client.get(reverse("account")).content.decode()  # offered
