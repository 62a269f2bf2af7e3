"""Withdrawing what was published by mistake: an administrator gives a reason; the URL then answers
410 with a Thai page saying when and why, the bytes leave the public store, the row and its SHA-256
stay; a report whose evidence file was withdrawn is published again without it."""

import datetime
import os
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from assessments.choices import Role
from measures.services import Upload
from reports import services
from reports.choices import DocumentKind
from reports.models import PublishedDocument, PublishedEvidence, published_storage
from tests.factories import OrganisationFactory, member, reported, scan_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 9, 30)
REASON = "ตารางคะแนนในฉบับนี้พิมพ์ผิดปี จึงถอนและเผยแพร่ฉบับที่ถูกต้องแทน"
PERSONAL = "มีสำเนาบัตรประชาชนของผู้เข้าร่วมอบรม ถอนตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล"
SECRET_NAME = "สำเนาบัตรประชาชน นายสมชาย.pdf"


def publish(plan, user, kind=DocumentKind.ANALYSIS, **kwargs) -> PublishedDocument:
    return services.document_publish(plan=plan, kind=kind, user=user, today=TODAY, **kwargs)


def withdraw_url(document: PublishedDocument) -> str:
    return reverse("reports:document-withdraw", args=[document.plan_id, document.kind, document.version])


def latest_url(plan, kind="analysis") -> str:
    return reverse("reports:public-latest", args=[plan.organisation.pk, plan.plan_year, kind])


def test_a_withdrawn_version_answers_410_saying_when_and_why_and_its_bytes_are_gone(
    approved, client, django_capture_on_commit_callbacks
):
    plan, _wg, admin = approved
    first = publish(plan, admin)
    services.document_options_set(plan=plan, kind=DocumentKind.ANALYSIS, thai_digits=False, user=admin)
    second = publish(plan, admin)
    storage = published_storage()
    assert storage.exists(second.file.name)

    client.force_login(admin)
    page = client.get(withdraw_url(second))
    assert page.status_code == 200 and "ถอนการเผยแพร่" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw_url(second), {"reason": REASON})
    assert response.status_code == 302

    second.refresh_from_db()
    assert second.is_withdrawn and second.withdrawal_reason == REASON and second.withdrawn_by == admin
    assert second.sha256 and second.file.name  # the record and its hash stay
    assert not storage.exists(second.file.name) and storage.exists(first.file.name)

    client.logout()
    gone = client.get(reverse("reports:public-file", args=[second.public_id]))
    body = gone.content.decode()
    assert gone.status_code == 410 and REASON in body and "ถอนการเผยแพร่แล้ว" in body
    assert "ฉบับที่ 2" in body and "เปิดฉบับที่เผยแพร่อยู่ในขณะนี้" in body
    # The stable address serves the newest version still standing; the organisation's page says why
    # version 2 has no link.
    latest = client.get(latest_url(plan))
    assert latest.status_code == 200 and latest["ETag"] == f'"{first.sha256}"'
    public = client.get(reverse("reports:public-organisation", args=[plan.organisation.pk])).content.decode()
    assert REASON in public and reverse("reports:public-file", args=[second.public_id]) not in public


def test_when_every_version_is_withdrawn_the_stable_address_answers_410(
    approved, client, django_capture_on_commit_callbacks
):
    plan, _wg, admin = approved
    only = publish(plan, admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(document=only, user=admin, reason=REASON)
    response = client.get(latest_url(plan))
    assert response.status_code == 410 and REASON in response.content.decode()
    # The same records may be published again: a new version, readable at the stable address.
    again = publish(plan, admin)
    assert again.version == 2 and client.get(latest_url(plan)).status_code == 200


def test_a_withdrawal_needs_a_reason_and_a_withdrawal_rolled_back_keeps_the_file(approved, client):
    plan, _wg, admin = approved
    published = publish(plan, admin)
    client.force_login(admin)
    response = client.post(withdraw_url(published), {"reason": "ผิด"})
    assert response.status_code == 200 and "กรุณาระบุเหตุผลอย่างน้อย 10 ตัวอักษร" in response.content.decode()
    assert 'name="reason"' in response.content.decode() and "ผิด</textarea>" in response.content.decode()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.document_withdraw(document=published, user=admin, reason=REASON)
        raise RuntimeError("the rest of the request failed")
    published.refresh_from_db()
    assert not published.is_withdrawn and published_storage().exists(published.file.name)


def test_only_the_organisations_administrators_withdraw(approved, client):
    plan, wg, admin = approved
    published = publish(plan, admin)
    client.force_login(wg)
    assert client.post(withdraw_url(published), {"reason": REASON}).status_code == 403
    stranger = member(OrganisationFactory(), Role.ADMINISTRATOR)
    client.force_login(stranger)
    assert client.get(withdraw_url(published)).status_code == 404
    assert client.post(withdraw_url(published), {"reason": REASON}).status_code == 404
    published.refresh_from_db()
    assert not published.is_withdrawn


@pytest.fixture
def report_with_evidence(approved):
    """The implementation report published with two evidence files, one of them holding personal data."""
    plan, wg, admin = approved
    measure = reported(
        plan, wg, [Upload("รายงานการอบรม.pdf", scan_pdf("report")), Upload(SECRET_NAME, scan_pdf("id card"))]
    )
    files = {e.original_name: e for e in measure.updates.get().evidence.all()}
    report = publish(
        plan, admin, kind=DocumentKind.IMPLEMENTATION, evidence_ids=[e.pk for e in files.values()]
    )
    return plan, admin, report, files


def test_a_withdrawn_evidence_file_is_gone_and_its_report_is_republished_without_it(
    report_with_evidence, client, django_capture_on_commit_callbacks
):
    plan, admin, report, files = report_with_evidence
    secret = PublishedEvidence.objects.get(evidence=files[SECRET_NAME])
    kept = PublishedEvidence.objects.get(evidence=files["รายงานการอบรม.pdf"])
    client.force_login(admin)
    url = reverse("reports:evidence-withdraw", args=[plan.pk, secret.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": PERSONAL}, follow=True)
    assert "เผยแพร่รายงานผลการดำเนินการตามมาตรการ ฉบับที่ 2 ใหม่แล้ว โดยไม่มีไฟล์ที่ถอน" in response.content.decode()
    # Version 1 still names the file (its link now answers 410): the administrator is told.
    assert "รายงานที่เผยแพร่ไว้ก่อนหน้า (ฉบับที่ 1) ยังระบุชื่อไฟล์นี้" in response.content.decode()

    secret.refresh_from_db()
    assert secret.is_withdrawn and secret.sha256 and not published_storage().exists(secret.file.name)
    client.logout()
    gone = client.get(reverse("reports:public-evidence", args=[secret.public_id]))
    assert gone.status_code == 410 and PERSONAL in gone.content.decode()
    assert SECRET_NAME not in gone.content.decode()  # the name itself may be the personal data

    newest = PublishedDocument.objects.get(plan=plan, kind=DocumentKind.IMPLEMENTATION, version=2)
    assert list(newest.evidence_files.all()) == [kept]
    assert list(report.evidence_files.all()) != list(newest.evidence_files.all())
    assert client.get(latest_url(plan, "implementation"))["ETag"] == f'"{newest.sha256}"'
    client.force_login(admin)
    html = client.get(reverse("reports:document-html", args=[plan.pk, "implementation"])).content.decode()
    assert "รายงานการอบรม.pdf" in html and SECRET_NAME not in html


def test_a_withdrawn_evidence_file_is_never_published_again(report_with_evidence, client):
    plan, admin, _report, files = report_with_evidence
    secret = PublishedEvidence.objects.get(evidence=files[SECRET_NAME])
    services.evidence_withdraw(evidence=secret, user=admin, reason=PERSONAL, today=TODAY)
    client.force_login(admin)
    page = client.get(reverse("reports:plan-documents", args=[plan.pk])).content.decode()
    assert f'value="{files[SECRET_NAME].pk}"' not in page  # not offered for publishing
    assert PERSONAL in page  # the withdrawal, with its reason, in the list of published files
    services.document_options_set(plan=plan, kind=DocumentKind.IMPLEMENTATION, thai_digits=False, user=admin)
    third = publish(
        plan, admin, kind=DocumentKind.IMPLEMENTATION, evidence_ids=[e.pk for e in files.values()]
    )
    assert secret not in third.evidence_files.all()


def test_sweep_files_removes_a_withdrawn_file_a_crash_left_behind(approved):
    plan, _wg, admin = approved
    published = publish(plan, admin)
    # Withdrawn, but the process died before the file was removed.
    PublishedDocument.objects.filter(pk=published.pk).update(
        withdrawn_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC), withdrawal_reason=REASON
    )
    old = time.time() - 7200
    os.utime(published_storage().path(published.file.name), (old, old))
    out = StringIO()
    call_command("sweep_files", "--hours", "1", stdout=out)
    assert "ลบไฟล์ที่ไม่มีข้อมูลอ้างถึง 1 ไฟล์" in out.getvalue()
    assert not published_storage().exists(published.file.name)
