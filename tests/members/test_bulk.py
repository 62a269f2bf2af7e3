"""Inviting many from a sheet: 500 rows preview and confirm, every invitation received by the real
SMTP server; a bad row refuses all, with every row's Thai error; the file is bounded."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.choices import Role
from members.models import BulkInvitation, Invitation
from tests.factories import member

pytestmark = pytest.mark.django_db


def workbook(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ชื่อ", "อีเมล", "บทบาท"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("people.xlsx", buffer.getvalue())


@pytest.mark.slow
def test_500_rows_preview_confirm_and_arrive(client, org, smtp):
    client.force_login(member(org, Role.ADMINISTRATOR))
    rows = [
        (f"คนที่ {n}", f"person{n}@example.go.th", "เจ้าหน้าที่" if n % 2 else "คณะทำงาน ITA") for n in range(500)
    ]
    preview = client.post(reverse("members:bulk", args=[org.pk]), {"file": workbook(rows)})
    page = preview.content.decode()
    assert "ตรวจไฟล์ people.xlsx แล้ว: 500 คน" in page and not Invitation.objects.exists()  # nothing yet
    bulk = BulkInvitation.objects.get()
    job = client.post(reverse("members:bulk-confirm", args=[org.pk, bulk.pk]), follow=True)
    assert "ส่งคำเชิญแล้ว 500 ฉบับ" in job.content.decode()
    assert Invitation.objects.open().count() == 500 and len(smtp.messages) == 500
    assert Invitation.objects.filter(role=Role.WORKING_GROUP).count() == 250
    again = client.post(reverse("members:bulk-confirm", args=[org.pk, bulk.pk])).content.decode()
    assert "ไฟล์นี้ยืนยันไปแล้ว" in again and Invitation.objects.count() == 500


def test_a_bad_row_refuses_all_with_each_rows_error(client, org, smtp):
    client.force_login(member(org, Role.ADMINISTRATOR))
    rows = [
        ("สมศรี", "somsri@example.go.th", "เจ้าหน้าที่"),
        ("ผิด", "ไม่ใช่อีเมล", "เจ้าหน้าที่"),
        ("ซ้ำ", "SOMSRI@example.go.th", "ผู้ดูแล/ผู้เผยแพร่"),
        ("บทบาท", "role@example.go.th", "นายก"),
    ]
    page = client.post(reverse("members:bulk", args=[org.pk]), {"file": workbook(rows)}).content.decode()
    assert "ยังไม่ได้เชิญใคร" in page
    assert "แถวที่ 3: อีเมล “ไม่ใช่อีเมล” ไม่ถูกต้อง" in page
    assert "แถวที่ 4: อีเมลซ้ำกับแถวที่ 2" in page
    assert "แถวที่ 5: บทบาท “นายก” ไม่ใช่" in page
    assert not BulkInvitation.objects.exists() and not Invitation.objects.exists() and not smtp.messages


def test_a_file_without_the_headers_or_too_big_is_refused(client, org, settings):
    client.force_login(member(org, Role.ADMINISTRATOR))
    csv = SimpleUploadedFile("people.csv", "name,phone\nสมศรี,0812345678\n".encode())
    page = client.post(reverse("members:bulk", args=[org.pk]), {"file": csv}).content.decode()
    assert "ไม่พบหัวคอลัมน์ อีเมล, บทบาท" in page
    settings.IMPORT_MAX_BYTES = 100
    big = client.post(reverse("members:bulk", args=[org.pk]), {"file": workbook([])}).content.decode()
    assert "เกินขนาดสูงสุด" in big
