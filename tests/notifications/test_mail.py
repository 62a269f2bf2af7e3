"""Notifications by e-mail through a real SMTP server on loopback: the morning digest groups a
person's notifications into one message, "at once" sends without waiting for it, "off" sends
nothing, and a refused send is tried again, never marked sent."""

from __future__ import annotations

import pytest

from assessments.choices import Role
from notifications.mail import MAX_ATTEMPTS, send
from notifications.models import EmailChoice, Kind, Notification, Preference
from notifications.services import notification, notify
from notifications.tasks import send_digests, send_pending
from tests.conftest import free_port
from tests.factories import member

pytestmark = pytest.mark.django_db


def tell(user, n: int, kind=Kind.PLAN_SUBMITTED):
    notify(
        notification(user.pk, kind, f"event:{user.pk}:{i}", f"เรื่องที่ {i} ของ {user.username}", f"/plans/{i}/")
        for i in range(n)
    )


def test_the_digest_is_one_message_a_person_with_every_waiting_notification(org, smtp):
    somsri = member(org, Role.STAFF, username="somsri", email="somsri@example.go.th")
    mana = member(org, Role.STAFF, username="mana", email="mana@example.go.th")
    tell(somsri, 3)
    tell(mana, 1)
    send_digests.enqueue()
    assert sorted(message["To"] for message in smtp.messages) == [
        "mana@example.go.th",
        "somsri@example.go.th",
    ]
    digest = next(message for message in smtp.messages if message["To"] == "somsri@example.go.th")
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "3 เรื่องรอท่านอยู่" in digest["Subject"]
    assert all(f"เรื่องที่ {i} ของ somsri" in text for i in range(3))
    assert "https://ita.example.go.th/plans/2/" in text
    assert "https://ita.example.go.th/plans/2/" in digest.get_body(preferencelist=("html",)).get_content()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    send_digests.enqueue()
    assert len(smtp.messages) == 2  # nothing twice


def test_at_once_is_sent_when_written_and_off_is_never_sent(org, smtp, django_capture_on_commit_callbacks):
    now = member(org, Role.STAFF, username="now", email="now@example.go.th")
    off = member(org, Role.STAFF, username="off", email="off@example.go.th")
    Preference.objects.create(user=now, email=EmailChoice.IMMEDIATE)
    Preference.objects.create(user=off, email=EmailChoice.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        tell(now, 1)
        tell(off, 2)
    assert [message["To"] for message in smtp.messages] == ["now@example.go.th"]
    assert smtp.messages[0]["Subject"].strip() == "ITA Portal: เรื่องที่ 0 ของ now"
    send_digests.enqueue()
    send_pending.enqueue()
    assert len(smtp.messages) == 1
    assert off.notifications.filter(emailed_at__isnull=True).count() == 2  # still under the bell


def test_a_refused_send_is_tried_again_and_given_up_only_after_the_limit(org, settings, smtp, caplog):
    somsri = member(org, Role.STAFF, username="somsri", email="somsri@example.go.th")
    tell(somsri, 2)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    assert send(EmailChoice.DIGEST) == (0, 1)
    assert set(Notification.objects.values_list("email_attempts", flat=True)) == {1}
    assert "notification e-mail not sent" in caplog.text
    settings.EMAIL_PORT = port
    assert send(EmailChoice.DIGEST) == (1, 0)
    assert len(smtp.messages) == 1 and not Notification.objects.filter(emailed_at__isnull=True).exists()
    tell(somsri, 3)  # new ones; the server is gone for good
    settings.EMAIL_PORT = free_port()
    for _ in range(MAX_ATTEMPTS):
        send(EmailChoice.DIGEST)
    assert "notification e-mail given up" in caplog.text
    assert send(EmailChoice.DIGEST) == (0, 0)  # not tried again after the limit
