"""Members managed by the agency: an invitation e-mailed through a real SMTP server, its signed,
single-use, seven-day link, the invitee's account, roles changed and members removed — never the
last administrator — and every change in the history."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.choices import Role
from assessments.models import Membership
from members.models import Invitation
from tests.conftest import free_port
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def invite(client, org, email="somsri@example.go.th", role=Role.WORKING_GROUP):
    return client.post(reverse("members:list", args=[org.pk]), {"email": email, "role": role}, follow=True)


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https://ita\.example\.go\.th(/invitations/\S+/)", text).group(1)


def test_an_invitation_arrives_and_its_link_makes_a_member_with_the_role(client, org, smtp):
    admin = member(org, Role.ADMINISTRATOR)
    client.force_login(admin)
    page = invite(client, org).content.decode()
    assert "ส่งคำเชิญถึง somsri@example.go.th แล้ว" in page
    (message,) = smtp.messages
    assert message["To"] == "somsri@example.go.th" and org.name in message["Subject"]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "คณะทำงาน ITA" in html and "https://ita.example.go.th/invitations/" in html
    link = link_in(message)
    client.logout()
    form = client.get(link).content.decode()
    assert "ตั้งชื่อและรหัสผ่านของท่าน" in form and "somsri@example.go.th" in form
    short = client.post(
        link, {"first_name": "สมศรี", "last_name": "ใจดี", "password1": "1234", "password2": "1234"}
    )
    assert "รหัสผ่านสั้นเกินไป" in short.content.decode() and "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด" in short.content.decode()
    response = client.post(
        link,
        {
            "first_name": "สมศรี",
            "last_name": "ใจดี",
            "password1": "ดอกไม้บาน-2569",
            "password2": "ดอกไม้บาน-2569",
        },
        follow=True,
    )
    user = get_user_model().objects.get(username="somsri@example.go.th")
    assert Membership.objects.get(user=user, organisation=org).role == Role.WORKING_GROUP
    assert f"ยินดีต้อนรับสู่ {org.name}" in response.content.decode()  # signed in, on home
    client.logout()
    again = client.get(link)
    assert again.status_code == 410 and "ลิงก์คำเชิญนี้ถูกใช้ไปแล้ว" in again.content.decode()


def test_an_expired_tampered_or_replaced_link_is_refused_in_thai(client, org, smtp, monkeypatch):
    client.force_login(member(org, Role.ADMINISTRATOR))
    invite(client, org)
    first = link_in(smtp.messages[0])
    tampered = first[:-3] + ("A" if first[-3] != "A" else "B") + first[-2:]
    assert "ลิงก์คำเชิญนี้ไม่ถูกต้อง" in client.get(tampered).content.decode()
    invitation = Invitation.objects.get()
    client.post(reverse("members:invitation", args=[org.pk, invitation.pk, "resend"]))
    second = link_in(smtp.messages[1])
    assert "มีการส่งคำเชิญฉบับใหม่" in client.get(first).content.decode()
    now = time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now + 8 * 86400)
    expired = client.get(second)
    assert expired.status_code == 410 and "ลิงก์คำเชิญนี้หมดอายุแล้ว" in expired.content.decode()


def test_an_existing_account_signs_in_and_only_its_owner_may_accept(client, org, smtp):
    client.force_login(member(org, Role.ADMINISTRATOR))
    existing = UserFactory(username="somchai", email="somchai@example.go.th")
    invite(client, org, email="SomChai@example.go.th", role=Role.STAFF)
    link = link_in(smtp.messages[0])
    client.logout()
    assert "อีเมลนี้มีบัญชีอยู่แล้ว กรุณาเข้าสู่ระบบก่อน" in client.get(link).content.decode()
    client.force_login(UserFactory(username="someone-else", email="other@example.go.th"))
    refused = client.post(link)
    assert "คำเชิญนี้ส่งถึง somchai@example.go.th แต่ท่านเข้าสู่ระบบด้วยบัญชีอื่น" in refused.content.decode()
    assert not Membership.objects.filter(organisation=org, user__username="someone-else").exists()
    client.force_login(existing)
    client.post(link)
    assert Membership.objects.get(organisation=org, user=existing).role == Role.STAFF


def test_the_last_administrator_can_be_neither_removed_nor_demoted(client, org):
    admin = member(org, Role.ADMINISTRATOR)
    client.force_login(admin)
    own = Membership.objects.get(user=admin, organisation=org)
    page = client.post(reverse("members:remove", args=[org.pk, own.pk]), follow=True).content.decode()
    assert "หน่วยงานต้องมีผู้ดูแลอย่างน้อย 1 คน จึงนำผู้ดูแลคนสุดท้ายออกไม่ได้" in page
    page = client.post(reverse("members:role", args=[org.pk, own.pk]), {"role": Role.STAFF}, follow=True)
    assert "เปลี่ยนบทบาทของผู้ดูแลคนสุดท้ายไม่ได้" in page.content.decode()
    second = Membership.objects.get(user=member(org, Role.ADMINISTRATOR), organisation=org)
    client.post(reverse("members:role", args=[org.pk, second.pk]), {"role": Role.STAFF})
    second.refresh_from_db()
    assert second.role == Role.STAFF
    history = second.history.order_by("history_date").values_list("role", "history_user")
    assert list(history)[-1] == (Role.STAFF, admin.pk)  # who changed it, in the history
    client.post(reverse("members:remove", args=[org.pk, second.pk]))
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_a_member_cannot_be_invited_twice_and_a_dead_mail_server_loses_nothing(client, org, settings):
    admin = member(org, Role.ADMINISTRATOR)
    client.force_login(admin)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    page = invite(client, org).content.decode()
    assert "แต่ส่งอีเมลไม่สำเร็จ" in page and Invitation.objects.open().count() == 1
    again = invite(client, org).content.decode()
    assert "มีคำเชิญถึง somsri@example.go.th ที่ยังไม่ตอบรับอยู่แล้ว" in again
    admin.email = "boss@example.go.th"
    admin.save()
    assert "เป็นสมาชิกของหน่วยงานนี้อยู่แล้ว" in invite(client, org, email="boss@example.go.th").content.decode()
    bad = invite(client, org, email="ไม่ใช่อีเมล").content.decode()
    assert "กรุณากรอกอีเมลให้ถูกต้อง" in bad and 'value="ไม่ใช่อีเมล"' in bad


def test_membership_changes_show_in_the_organisations_history(client, org):
    admin = member(org, Role.ADMINISTRATOR)
    second = Membership.objects.get(user=member(org, Role.ADMINISTRATOR), organisation=org)
    client.force_login(admin)
    client.post(reverse("members:role", args=[org.pk, second.pk]), {"role": Role.STAFF})
    page = client.get(reverse("measures:organisation-history", args=[org.pk])).content.decode()
    name = second.user.get_username()
    assert f"สมาชิก {name}" in page and "ผู้ดูแล/ผู้เผยแพร่" in page and "เจ้าหน้าที่" in page
