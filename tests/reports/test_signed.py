"""The announcement and the executive's signed copies: a memo or an announcement is frozen for
signing, stays private until its signed scan is uploaded for the latest, still current version and
published, and its public addresses then serve the signed copy byte for byte."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from assessments.choices import Role
from reports import context, documents, services
from reports.choices import DocumentKind
from reports.models import PublishedDocument, SignedCopy
from tests.factories import member, scan_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def announced(approved):
    plan, wg, admin = approved
    services.announcement_save(
        plan=plan,
        user=wg,
        fields={
            "date": datetime.date(2026, 11, 1),
            "signer_name": "นายสมชาย รักษ์ถิ่น",
            "signer_position": "นายกองค์การบริหารส่วนตำบลวังหมี",
        },
    )
    return plan, wg, admin


def freeze(plan, admin, kind=DocumentKind.ANNOUNCEMENT):
    return services.document_publish(plan=plan, kind=kind, user=admin, today=TODAY, without_garuda=True)


def png_bytes(size=(400, 560)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(out, "JPEG", quality=90)
    return out.getvalue()


def test_the_announcement_lists_the_plans_measures_and_its_signer(announced):
    plan, _wg, _admin = announced
    plan = context.plans_for_documents().get(pk=plan.pk)
    doc = context.build(DocumentKind.ANNOUNCEMENT, plan, TODAY)
    html = documents.render_html(doc, thai_digits=False, for_pdf=True)
    assert "ประกาศองค์การบริหารส่วนตำบลวังหมี" in html
    assert "ประจำปีงบประมาณ พ.ศ. 2569" in html and "ประกาศ ณ วันที่ 1 พฤศจิกายน 2569" in html
    assert "(นายสมชาย รักษ์ถิ่น)" in html
    assert doc.measure_count == plan.measures.count() > 0
    for measure in plan.measures.all():
        assert measure.title in html
    assert "data-continuation-words" in html  # a document of งานสารบรรณ


def test_an_announcement_without_its_details_cannot_be_built(approved):
    plan, _wg, _admin = approved
    with pytest.raises(context.DocumentUnavailable, match="ยังไม่ได้กรอกรายละเอียดประกาศ"):
        context.build(DocumentKind.ANNOUNCEMENT, context.plans_for_documents().get(pk=plan.pk), TODAY)


def test_a_memo_or_announcement_without_the_garuda_needs_a_confirmation(announced):
    plan, _wg, admin = announced
    with pytest.raises(services.PublishRefused, match="ยังไม่มีภาพครุฑ"):
        services.document_publish(plan=plan, kind=DocumentKind.ANNOUNCEMENT, user=admin, today=TODAY)
    assert not PublishedDocument.objects.exists()
    assert freeze(plan, admin).version == 1
    with pytest.raises(services.PublishRefused, match="ฉบับที่ 1 สำหรับลงนามตรงกับข้อมูลปัจจุบันแล้ว"):
        freeze(plan, admin)


def test_a_version_for_signing_is_never_public_until_its_signed_copy_is_published(announced, client):
    plan, _wg, admin = announced
    version = freeze(plan, admin)
    assert not version.is_public
    organisation = plan.organisation
    stable = reverse("reports:public-latest", args=[organisation.pk, plan.plan_year, "announcement"])
    by_id = reverse("reports:public-file", args=[version.public_id])
    assert client.get(stable).status_code == 404 and client.get(by_id).status_code == 404
    assert (
        "ประกาศ เรื่อง"
        not in client.get(reverse("reports:public-organisation", args=[organisation.pk])).content.decode()
    )
    # A member downloads the frozen version to print it for signing.
    client.force_login(member(organisation, Role.STAFF))
    url = reverse("reports:document-version", args=[plan.pk, "announcement", 1])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_publishing_the_signed_copy_serves_its_exact_bytes_at_the_stable_address(announced, client):
    plan, _wg, admin = announced
    version = freeze(plan, admin)
    scan = scan_pdf("signed announcement")
    copy = services.signed_copy_upload(
        document=version, name="signed.pdf", data=scan, user=admin, today=TODAY
    )
    assert copy.uploaded_type == "application/pdf" and copy.sha256 == documents.digest(scan)
    # Uploaded is not yet published: publishing is its own step.
    assert client.get(reverse("reports:public-file", args=[version.public_id])).status_code == 404
    services.signed_copy_publish(document=version, user=admin, today=TODAY)
    stable = reverse("reports:public-latest", args=[plan.organisation.pk, plan.plan_year, "announcement"])
    response = client.get(stable)
    assert response.status_code == 200 and response.content == scan
    assert response["ETag"] == f'"{copy.sha256}"'
    assert client.get(reverse("reports:public-file", args=[version.public_id])).content == scan
    page = client.get(reverse("reports:public-organisation", args=[plan.organisation.pk])).content.decode()
    assert page.index(stable) < page.index(reverse("reports:public-file", args=[version.public_id]))


def test_a_signed_copy_of_an_outdated_version_is_refused(announced):
    plan, wg, admin = announced
    version = freeze(plan, admin)
    # The records change after the version was printed: its signature is on an outdated draft.
    services.announcement_save(
        plan=plan,
        user=wg,
        fields={
            "date": datetime.date(2026, 11, 2),
            "signer_name": "นายสมชาย รักษ์ถิ่น",
            "signer_position": "นายก",
        },
    )
    with pytest.raises(services.PublishRefused, match="ฉบับนี้จึงเป็นฉบับเก่า"):
        services.signed_copy_upload(document=version, name="s.pdf", data=scan_pdf(), user=admin, today=TODAY)
    assert not SignedCopy.objects.exists()
    # A newer version is made; the old one is refused as not the latest.
    newer = freeze(plan, admin)
    with pytest.raises(services.PublishRefused, match="ไม่ใช่ฉบับล่าสุด"):
        services.signed_copy_upload(document=version, name="s.pdf", data=scan_pdf(), user=admin, today=TODAY)
    services.signed_copy_upload(document=newer, name="s.pdf", data=scan_pdf(), user=admin, today=TODAY)
    assert SignedCopy.objects.get().document == newer


def test_a_signed_copy_can_no_longer_be_published_once_the_records_changed(announced):
    plan, wg, admin = announced
    version = freeze(plan, admin)
    services.signed_copy_upload(document=version, name="s.pdf", data=scan_pdf(), user=admin, today=TODAY)
    services.document_options_set(plan=plan, kind=DocumentKind.ANNOUNCEMENT, thai_digits=False, user=admin)
    with pytest.raises(services.PublishRefused, match="ฉบับเก่า"):
        services.signed_copy_publish(document=version, user=admin, today=TODAY)
    version.refresh_from_db()
    assert not version.is_public


def test_a_picture_is_kept_as_a_pdf_with_the_picture_unchanged(announced):
    plan, _wg, admin = announced
    version = freeze(plan, admin)
    jpeg = jpeg_bytes()
    copy = services.signed_copy_upload(document=version, name="scan.jpg", data=jpeg, user=admin, today=TODAY)
    with copy.file.open("rb") as handle:
        kept = handle.read()
    assert copy.uploaded_type == "image/jpeg" and kept.startswith(b"%PDF")
    assert jpeg in kept  # the JPEG's own bytes, not a re-encoded copy
    page = PdfReader(io.BytesIO(kept)).pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842  # A4
    png = services.signed_copy_upload(
        document=version, name="scan.png", data=png_bytes(), user=admin, today=TODAY
    )
    assert png.uploaded_type == "image/png" and SignedCopy.objects.count() == 1  # the newer scan replaced it


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "ว่างเปล่า"),
        (b"MZ\x90\x00 an executive", "PDF, JPEG หรือ PNG"),
        (b"%PDF-1.7\n<html><script>alert(1)</script>", "เปิดไฟล์ PDF ไม่ได้"),
        (b"GIF89a" + b"\x00" * 100, "PDF, JPEG หรือ PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a picture", "PDF, JPEG หรือ PNG"),
    ],
)
def test_a_scan_is_checked_by_its_content(data, message):
    with pytest.raises(ValidationError, match=message):
        services.check_scan(data)


def test_a_scan_over_the_size_limit_is_refused_before_it_is_read(announced, client, settings):
    plan, _wg, admin = announced
    freeze(plan, admin)
    settings.SIGNED_COPY_MAX_BYTES = 1024 * 1024
    client.force_login(admin)
    url = reverse("reports:signed-copy-upload", args=[plan.pk, "announcement", 1])
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * (1024 * 1024))
    response = client.post(url, {"scan": big}, follow=True)
    assert "ยังไม่ได้บันทึกฉบับที่ลงนาม: ไฟล์ใหญ่เกินไป (ไม่เกิน 1 MB)" in response.content.decode()
    assert not SignedCopy.objects.exists()


def test_the_documents_page_walks_the_signing_through(announced, client):
    plan, _wg, admin = announced
    client.force_login(admin)
    url = reverse("reports:plan-documents", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "สร้างฉบับสำหรับลงนาม" in page and "ยังไม่มีภาพครุฑ" in page
    client.post(reverse("reports:document-publish", args=[plan.pk, "announcement"]), {"without_garuda": "on"})
    page = client.get(url).content.decode()
    assert "ฉบับที่ 1 รอฉบับที่ลงนาม" in page and "อัปโหลดฉบับที่ลงนามแล้ว" in page
    assert "ดาวน์โหลดฉบับสำหรับลงนาม (ฉบับที่ 1)" in page
    upload = reverse("reports:signed-copy-upload", args=[plan.pk, "announcement", 1])
    client.post(upload, {"scan": SimpleUploadedFile("ลงนามแล้ว.pdf", scan_pdf())})
    page = client.get(url).content.decode()
    assert "ฉบับที่ลงนาม: <strong>ลงนามแล้ว.pdf</strong>" in page
    client.post(reverse("reports:signed-copy-publish", args=[plan.pk, "announcement", 1]))
    page = client.get(url).content.decode()
    assert "เผยแพร่แล้ว (ฉบับที่ลงนาม)" in page and "ดาวน์โหลด PDF (ฉบับเผยแพร่)" in page


def test_staff_cannot_upload_or_publish_a_signed_copy(announced, client):
    plan, _wg, admin = announced
    freeze(plan, admin)
    client.force_login(member(plan.organisation, Role.STAFF))
    upload = reverse("reports:signed-copy-upload", args=[plan.pk, "announcement", 1])
    assert client.post(upload, {"scan": SimpleUploadedFile("s.pdf", scan_pdf())}).status_code == 403
    assert (
        client.post(reverse("reports:signed-copy-publish", args=[plan.pk, "announcement", 1])).status_code
        == 403
    )
    assert not SignedCopy.objects.exists()


def test_an_announcement_saved_meanwhile_refuses_the_older_form_and_keeps_what_was_typed(announced, client):
    plan, wg, admin = announced
    url = reverse("reports:announcement-update", args=[plan.pk])
    client.force_login(admin)
    form = {"date": "1/11/2569", "signer_name": "นายสมชาย รักษ์ถิ่น", "signer_position": "นายก", "version": "1"}
    # Someone else saves first (version 1 → 2).
    services.announcement_save(
        plan=plan,
        user=wg,
        fields={
            "date": datetime.date(2026, 11, 3),
            "signer_name": "นางสาววิไล ใจดี",
            "signer_position": "นายก",
        },
        expected_version=1,
    )
    response = client.post(url, {**form, "signer_name": "นายประยุทธ ตั้งใจ"})
    page = response.content.decode()
    assert response.status_code == 200 and "มีผู้อื่นบันทึกประกาศนี้ไปก่อนท่าน" in page
    assert 'value="นายประยุทธ ตั้งใจ"' in page  # what was typed is still there
    assert "ผู้ลงนาม: นายสมชาย รักษ์ถิ่น → นางสาววิไล ใจดี" in page
    plan.announcement.refresh_from_db()
    assert plan.announcement.signer_name == "นางสาววิไล ใจดี"
    # The next save, from the refreshed form, goes through.
    response = client.post(url, {**form, "signer_name": "นายประยุทธ ตั้งใจ", "version": "2"})
    assert response.status_code == 302
    plan.announcement.refresh_from_db()
    assert plan.announcement.signer_name == "นายประยุทธ ตั้งใจ" and plan.announcement.version == 3
