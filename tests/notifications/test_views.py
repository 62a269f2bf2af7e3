"""The bell and the list: the unread count on every page, newest first and paged, opening one
marks it read and goes where to act, mark read one or all, the e-mail setting; only one's own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.choices import Role
from notifications.models import EmailChoice, Kind, Notification, Preference
from notifications.services import notification, notify
from tests.factories import member

pytestmark = pytest.mark.django_db


def tell(user, n):
    notify(
        notification(user.pk, Kind.PLAN_SUBMITTED, f"e{i}", f"เรื่องที่ {i}", f"/plans/{i}/") for i in range(n)
    )


def test_the_bell_counts_the_unread_on_every_page(client, org):
    staff = member(org, Role.STAFF)
    client.force_login(staff)
    assert "ไม่มีรายการใหม่" in client.get(reverse("home")).content.decode()
    tell(staff, 3)
    page = client.get(reverse("account")).content.decode()
    assert "การแจ้งเตือน ยังไม่อ่าน 3 รายการ" in page and 'bell-count" aria-hidden="true">3<' in page


def test_the_list_is_newest_first_and_paged_and_opening_one_reads_it(client, org):
    staff = member(org, Role.STAFF)
    tell(staff, 25)
    client.force_login(staff)
    first = client.get(reverse("notifications:list"))
    notes = list(first.context["page"].object_list)
    assert len(notes) == 20 and notes[0].text == "เรื่องที่ 24" and "หน้า 1 จาก 2" in first.content.decode()
    assert len(client.get(reverse("notifications:list"), {"page": 2}).context["page"].object_list) == 5
    opened = client.get(reverse("notifications:open", args=[notes[0].pk]))
    assert opened.status_code == 302 and opened.url == "/plans/24/"
    notes[0].refresh_from_db()
    assert notes[0].read_at is not None
    client.post(reverse("notifications:read", args=[notes[1].pk]))
    assert Notification.objects.filter(user=staff, read_at__isnull=True).count() == 23
    page = client.post(reverse("notifications:read-all"), follow=True).content.decode()
    assert "ทำเครื่องหมายว่าอ่านแล้ว 23 รายการ" in page
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()


def test_another_persons_notification_is_a_404(client, org):
    staff, other = member(org, Role.STAFF), member(org, Role.STAFF)
    tell(other, 1)
    note = other.notifications.get()
    client.force_login(staff)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    client.post(reverse("notifications:read-all"))
    note.refresh_from_db()
    assert note.read_at is None


def test_the_email_setting_is_saved_and_a_bad_choice_refused_in_thai(client, org):
    staff = member(org, Role.STAFF)
    client.force_login(staff)
    assert client.get(reverse("notifications:list")).context["form"].initial["email"] == EmailChoice.DIGEST
    page = client.post(reverse("notifications:list"), {"email": "sometimes"}).content.decode()
    assert "กรุณาเลือกจากรายการ" in page
    client.post(reverse("notifications:list"), {"email": EmailChoice.OFF})
    assert Preference.objects.get(user=staff).email == EmailChoice.OFF


def test_a_link_elsewhere_is_never_followed(client, org):
    staff = member(org, Role.STAFF)
    notify([notification(staff.pk, Kind.PLAN_SUBMITTED, "x", "เรื่อง", "https://evil.example/")])
    client.force_login(staff)
    note = staff.notifications.get()
    assert client.get(reverse("notifications:open", args=[note.pk])).url == reverse("notifications:list")


def test_the_bell_draws_without_a_count_while_the_database_is_away(rf, org, monkeypatch):
    from django.db import OperationalError

    from notifications import context_processors

    request = rf.get("/")
    request.user = member(org, Role.STAFF)

    def away(*args, **kwargs):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(context_processors.Notification.objects, "filter", away)
    assert context_processors.bell(request) == {}
