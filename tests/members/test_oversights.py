"""Overseers granted in the portal from the list of 77 provinces, never typed; by superusers and the
national overseers they let grant (who cannot pass that right on, nor take it away); the
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
        and "เฉพาะผู้ดูแลระบบ และผู้กำกับติดตามทั่วประเทศที่ได้รับสิทธิ์" in refused.content.decode()
    )
    assert client.post(reverse("oversights"), {"person": "x", "province": "ตาก"}).status_code == 403


def test_a_national_overseer_given_the_right_grants_provinces_but_not_the_right(client, org):
    from django.db import IntegrityError, transaction

    boss = UserFactory(username="root", is_superuser=True, is_staff=True)
    national = UserFactory(username="national")
    UserFactory(username="pakorn")
    client.force_login(boss)
    refused = client.post(reverse("oversights"), {"person": "national", "province": "ตาก", "may_grant": "on"})
    assert "สิทธิ์มอบต่อให้ได้เฉพาะผู้กำกับติดตามทั่วประเทศ" in refused.content.decode()
    client.post(reverse("oversights"), {"person": "national", "province": "", "may_grant": "on"})
    granter = Oversight.objects.get(user=national)
    assert granter.may_grant
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule too
        Oversight.objects.create(user=boss, province="ตาก", may_grant=True)

    client.force_login(national)
    page = client.get(reverse("oversights")).content.decode()
    assert "may_grant" not in page  # the right to grant is not theirs to give
    client.post(reverse("oversights"), {"person": "pakorn", "province": "ตาก", "may_grant": "on"})
    made = Oversight.objects.get(user__username="pakorn")
    assert (made.province, made.may_grant, made.history.get().history_user) == ("ตาก", False, national)
    assert client.post(reverse("oversight-revoke", args=[granter.pk])).status_code == 403
    client.post(reverse("oversight-revoke", args=[made.pk]))
    assert not Oversight.objects.filter(pk=made.pk).exists()
    assert "มอบสิทธิ์ผู้กำกับติดตาม" in client.get(reverse("account")).content.decode()


def test_a_national_overseer_without_the_right_and_a_provincial_one_may_not_grant(client):
    for province in ("", "ตาก"):
        person = UserFactory(username=f"o{province}")
        Oversight.objects.create(user=person, province=province)
        client.force_login(person)
        assert client.get(reverse("oversights")).status_code == 403
