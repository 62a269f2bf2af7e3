"""Overseers granted in the portal from the list of 77 provinces, never typed; superusers only; the
existing rows checked against the list by a migration that reports, never drops, an unknown one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.choices import Role
from assessments.models import Oversight
from assessments.provinces import PROVINCES
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_77_provinces():
    assert len(PROVINCES) == len(set(PROVINCES)) == 77 and "กรุงเทพมหานคร" in PROVINCES


def test_a_superuser_grants_a_province_from_the_list_and_revokes_it(client, org):
    boss = UserFactory(username="root", is_superuser=True, is_staff=True)
    person = UserFactory(username="pakorn", email="pakorn@example.go.th")
    client.force_login(boss)
    page = client.get(reverse("oversights")).content.decode()
    assert '<option value="ตาก">ตาก</option>' in page and "ทุกหน่วยงานทั่วประเทศ" in page
    typo = client.post(reverse("oversights"), {"person": "pakorn", "province": "ตากก"})
    assert typo.status_code == 200 and not Oversight.objects.exists()  # not one of the choices
    unknown = client.post(reverse("oversights"), {"person": "nobody", "province": "ตาก"}).content.decode()
    assert "ไม่พบผู้ใช้ชื่อหรืออีเมลนี้" in unknown
    client.post(reverse("oversights"), {"person": "Pakorn@example.go.th", "province": "ตาก"})
    row = Oversight.objects.get(user=person)
    assert row.province == "ตาก" and row.history.get().history_user == boss
    client.post(reverse("oversight-revoke", args=[row.pk]))
    assert not Oversight.objects.exists() and row.history.count() == 2


def test_nobody_else_may_grant(client, org):
    client.force_login(member(org, Role.ADMINISTRATOR))
    refused = client.get(reverse("oversights"))
    assert (
        refused.status_code == 403
        and "เฉพาะผู้ดูแลระบบเท่านั้นที่มอบหรือถอนสิทธิ์ผู้กำกับติดตามได้" in refused.content.decode()
    )
    assert client.post(reverse("oversights"), {"person": "x", "province": "ตาก"}).status_code == 403
