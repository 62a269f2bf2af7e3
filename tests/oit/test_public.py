"""The public OIT page: every item in NACC's order with the agency's links and the day each was
last found working, the portal's own published document filled in, nothing private, and the links
as a workbook in the same order; 404 for a year without OIT items."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import (
    AssessmentFactory,
    LinkCheckFactory,
    MeasurePlanFactory,
    OrganisationFactory,
    PublishedDocumentFactory,
    RegisterItemFactory,
)

pytestmark = pytest.mark.django_db
PRIVATE = ("นางสาวผู้รับผิดชอบ ลับเฉพาะ", "บันทึกภายในห้ามเผยแพร่", "คำเตือนจากปีก่อนภายใน", "เหตุผลที่ตรวจไม่ผ่าน")


@pytest.fixture
def register(org):
    """O1 published and found working on 1 May 2026; O3 with a link whose check failed; O4 marked
    missing though it has a link; every private field filled; 2569's analysis published."""
    o1 = RegisterItemFactory(
        organisation=org,
        code="O1",
        urls="https://www.example.go.th/oit/o1\nhttps://www.example.go.th/oit/o1-map",
        responsible=PRIVATE[0],
        note=PRIVATE[1],
        carried_warning=PRIVATE[2],
    )
    day = datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)
    LinkCheckFactory(item=o1, checked_at=day, latest=False)
    LinkCheckFactory(item=o1, checked_at=day - datetime.timedelta(days=30), latest=False)
    o3 = RegisterItemFactory(
        organisation=org, code="O3", urls="https://www.example.go.th/oit/o3", note=PRIVATE[1]
    )
    LinkCheckFactory(item=o3, verdict="fail", code="not_found", reason=PRIVATE[3], http_status=404)
    RegisterItemFactory(
        organisation=org, code="O4", urls="https://www.example.go.th/oit/o4", status="missing"
    )
    plan = MeasurePlanFactory(assessment=AssessmentFactory(organisation=org), plan_year=2569)
    PublishedDocumentFactory(plan=plan, kind="analysis")
    return org


def test_the_page_lists_every_item_in_order_with_links_and_nothing_private(client, register):
    response = client.get(reverse("oit:public", args=[register.pk, 2569]))  # no login
    page = response.content.decode()
    assert response.status_code == 200
    codes = [f'id="item-O{n}"' for n in range(1, 27)]
    assert all(code in page for code in codes) and [page.index(c) for c in codes] == sorted(
        page.index(c) for c in codes
    )
    assert "https://www.example.go.th/oit/o1</a> · ตรวจพบว่าเปิดได้เมื่อ 1 พฤษภาคม 2569" in page
    assert "https://www.example.go.th/oit/o1-map</a></li>" in page  # never checked: no date
    assert "https://www.example.go.th/oit/o3</a></li>" in page  # its check failed: no date, no reason
    assert "oit/o4" not in page  # marked not yet published
    stable = reverse("reports:public-latest", kwargs={"org": register.pk, "year": 2569, "kind": "analysis"})
    assert f"http://testserver{stable}</a> (เผยแพร่ผ่านระบบ ITA Portal)" in page  # O25's own document
    assert "เผยแพร่แล้ว 3 จาก 26 รายการ" in page and page.count("ยังไม่ได้เผยแพร่") == 23
    assert not any(secret in page for secret in PRIVATE)


def test_the_workbook_has_the_links_in_the_items_order(client, register):
    response = client.get(reverse("oit:public-workbook", args=[register.pk, 2569]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    items = [row for row in rows[3:] if row[0]]
    assert [row[0] for row in items] == [f"O{n}" for n in range(1, 27)]
    assert items[0][2:4] == ("https://www.example.go.th/oit/o1", "https://www.example.go.th/oit/o1-map")
    assert items[3][2] is None  # O4: not yet published
    assert not any(secret in str(rows) for secret in PRIVATE)


def test_a_year_without_items_or_an_unknown_organisation_is_404(client, register):
    assert client.get(reverse("oit:public", args=[register.pk, 2562])).status_code == 404  # no OIT items
    assert client.get(reverse("oit:public", args=[register.pk, 2599])).status_code == 404  # no framework
    assert client.get(reverse("oit:public", args=[999_999, 2569])).status_code == 404
    assert client.get(reverse("oit:public-workbook", args=[register.pk, 2562])).status_code == 404


def test_an_organisation_that_has_not_started_sees_every_item_waiting(client):
    page = client.get(reverse("oit:public", args=[OrganisationFactory().pk, 2569])).content.decode()
    assert "เผยแพร่แล้ว 0 จาก 26 รายการ" in page and page.count("ยังไม่ได้เผยแพร่") == 26


def test_the_address_a_website_links_once_opens_this_years_page(client, register, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 12, 6))
    response = client.get(reverse("oit:public-current", args=[register.pk]))
    assert response.status_code == 302 and response.url == reverse("oit:public", args=[register.pk, 2569])
    assert client.get(reverse("oit:public-current", args=[999_999])).status_code == 404
