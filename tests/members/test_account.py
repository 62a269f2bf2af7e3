"""A person's own account: a forgotten password reset by e-mail through a real SMTP server (the same
answer for a known and an unknown address, rate-limited), change password, name and e-mail, roles."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.choices import Role
from members.account import PER_ADDRESS_PER_HOUR, PER_IP_PER_HOUR
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def ask(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_the_known_a_link(client, smtp):
    user = UserFactory(username="somsri", email="somsri@example.go.th")
    known, unknown = ask(client, "SomSri@example.go.th"), ask(client, "nobody@example.go.th")
    page = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert page(known) == page(unknown) and "ตรวจอีเมลของท่าน" in page(known)
    (message,) = smtp.messages
    assert message["To"] == "somsri@example.go.th" and "ตั้งรหัสผ่านใหม่" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None
    link = re.search(
        r"http://testserver(/password/reset/\S+/)", message.get_body(("plain",)).get_content()
    ).group(1)
    form = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "ฟ้าใส-ทะเลกว้าง", "new_password2": "ฟ้าใส-ทะเลกว้าง"},
        follow=True,
    )
    assert "ตั้งรหัสผ่านใหม่แล้ว" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("ฟ้าใส-ทะเลกว้าง")
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in client.get(link, follow=True).content.decode()  # once


def test_resets_are_rate_limited(client, smtp):
    UserFactory(username="somsri", email="somsri@example.go.th")
    for _ in range(PER_ADDRESS_PER_HOUR + 2):
        assert "ตรวจอีเมลของท่าน" in ask(client, "somsri@example.go.th").content.decode()
    assert len(smtp.messages) == PER_ADDRESS_PER_HOUR  # the same page, nothing more sent
    for n in range(PER_IP_PER_HOUR):
        ask(client, f"someone{n}@example.go.th")
    refused = ask(client, "another@example.go.th").content.decode()
    assert "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป" in refused


def test_the_account_page_changes_name_and_email_and_lists_roles(client, org, other_org):
    user = member(org, Role.WORKING_GROUP)
    other = UserFactory(username="taken", email="taken@example.go.th")
    client.force_login(user)
    page = client.get(reverse("account")).content.decode()
    assert f"{org.name} · คณะทำงาน ITA" in page and other_org.name not in page
    refused = client.post(reverse("account"), {"first_name": "สมชาย", "last_name": "", "email": other.email})
    assert "อีเมลนี้เป็นของบัญชีอื่นแล้ว" in refused.content.decode()
    client.post(
        reverse("account"), {"first_name": "สมชาย", "last_name": "รักดี", "email": "Somchai@Example.go.th"}
    )
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("สมชาย", "somchai@example.go.th")
    user.set_password("old-secret-2569")
    user.save()
    client.force_login(user)
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "ใหม่-ยาวพอ-2569", "new_password2": "ใหม่-ยาวพอ-2569"},
    )
    assert "ใส่รหัสผ่านเก่าผิด" in wrong.content.decode()
    client.post(
        reverse("password_change"),
        {
            "old_password": "old-secret-2569",
            "new_password1": "ใหม่-ยาวพอ-2569",
            "new_password2": "ใหม่-ยาวพอ-2569",
        },
    )
    user.refresh_from_db()
    assert user.check_password("ใหม่-ยาวพอ-2569")
