"""Evidence in the implementation report: links clickable, files by name, and the files an
administrator publishes with the report served from a permanent public URL, byte for byte."""

import datetime
import hashlib
import io

import pikepdf
import pytest
from django.urls import reverse

from measures.choices import MeasureStatus
from measures.services import Upload, progress_report
from reports import services
from reports.choices import DocumentKind
from reports.models import PublishedEvidence
from tests.factories import reported, scan_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 9, 30)
PDF = scan_pdf("evidence")
PNG_NAME = "ภาพกิจกรรม 2568.png"


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def with_evidence(approved):
    plan, wg, admin = approved
    measure = reported(
        plan,
        wg,
        [Upload("รายงานการอบรม.pdf", PDF), Upload(PNG_NAME, png())],
        links=["https://www.example.go.th/ita/2568/o8"],
    )
    files = {e.original_name: e for e in measure.updates.get().evidence.exclude(file="")}
    return plan, admin, files


def report_html(client, plan):
    return client.get(reverse("reports:document-html", args=[plan.pk, "implementation"])).content.decode()


def test_the_report_lists_links_and_files_by_name(with_evidence, client):
    plan, admin, _files = with_evidence
    client.force_login(admin)
    html = report_html(client, plan)
    # The address is printed as typed (its digits are not made Thai) and is a link.
    assert '<a href="https://www.example.go.th/ita/2568/o8">https://www.example.go.th/ita/2568/o8</a>' in html
    assert '<samp>รายงานการอบรม.pdf</samp> <span class="muted">(ไม่ได้เผยแพร่)</span>' in html
    assert f"<samp>{PNG_NAME}</samp>" in html  # a file's name keeps its digits too


def test_publishing_chosen_files_links_them_and_serves_their_exact_bytes(with_evidence, client):
    plan, admin, files = with_evidence
    chosen = files["รายงานการอบรม.pdf"]
    client.force_login(admin)
    response = client.post(
        reverse("reports:document-publish", args=[plan.pk, "implementation"]), {"evidence": [chosen.pk]}
    )
    assert response.status_code == 302
    published = PublishedEvidence.objects.get()
    assert published.evidence == chosen and published.sha256 == hashlib.sha256(PDF).hexdigest()
    assert not PublishedEvidence.objects.filter(evidence=files[PNG_NAME]).exists()
    document = plan.published_documents.get(kind=DocumentKind.IMPLEMENTATION)
    assert list(document.evidence_files.all()) == [published]
    # The public URL, without logging in, serves the same bytes.
    client.logout()
    url = reverse("reports:public-evidence", args=[published.public_id])
    served = client.get(url)
    assert served.status_code == 200 and served.content == PDF
    assert served["Content-Type"] == "application/pdf" and served["Cache-Control"] == "public, max-age=3600"
    # The archived PDF links the public URL (a link annotation) and the external link.
    with document.file.open("rb") as handle:
        data = handle.read()
    with pikepdf.open(io.BytesIO(data)) as pdf_file:
        uris = {
            str(annot.A.URI)
            for page in pdf_file.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        }
    assert "http://testserver" + url in uris
    assert "https://www.example.go.th/ita/2568/o8" in uris
    assert document.source["evidence"][str(chosen.pk)] == url
    assert document.source["evidence"][str(files[PNG_NAME].pk)] == ""


def test_a_file_keeps_its_public_url_in_later_versions(with_evidence):
    plan, admin, files = with_evidence
    chosen = files["รายงานการอบรม.pdf"]
    first = services.document_publish(
        plan=plan, kind=DocumentKind.IMPLEMENTATION, user=admin, today=TODAY, evidence_ids=[chosen.pk]
    )
    second = services.document_publish(
        plan=plan,
        kind=DocumentKind.IMPLEMENTATION,
        user=admin,
        today=TODAY,
        evidence_ids=[chosen.pk, files[PNG_NAME].pk],
    )
    assert second.version == first.version + 1
    assert PublishedEvidence.objects.count() == 2
    assert set(second.evidence_files.all()) >= set(first.evidence_files.all())
    assert first.evidence_files.get().public_id == PublishedEvidence.objects.get(evidence=chosen).public_id


def test_another_organisations_evidence_cannot_be_published_with_this_report(with_evidence):
    from tests.factories import make_approved_plan

    plan, admin, _files = with_evidence
    other_plan, other_wg = make_approved_plan()
    progress_report(
        measure=other_plan.measures.first(),
        user=other_wg,
        reported_on=datetime.date(2026, 3, 1),
        status=MeasureStatus.IN_PROGRESS,
        percent=10,
        result="เริ่มแล้ว",
        files=[Upload("ของหน่วยงานอื่น.pdf", PDF)],
    )
    foreign = other_plan.measures.first().updates.get().evidence.get()
    published = services.document_publish(
        plan=plan, kind=DocumentKind.IMPLEMENTATION, user=admin, today=TODAY, evidence_ids=[foreign.pk]
    )
    assert not published.evidence_files.exists()
    assert not PublishedEvidence.objects.exists()


def test_files_are_only_published_with_the_implementation_report(with_evidence):
    plan, admin, files = with_evidence
    services.document_publish(
        plan=plan,
        kind=DocumentKind.ANALYSIS,
        user=admin,
        today=TODAY,
        evidence_ids=[f.pk for f in files.values()],
    )
    assert not PublishedEvidence.objects.exists()


def test_the_documents_page_offers_each_file_to_publish(with_evidence, client):
    plan, admin, files = with_evidence
    client.force_login(admin)
    html = client.get(reverse("reports:plan-documents", args=[plan.pk])).content.decode()
    for evidence in files.values():
        assert f'name="evidence" value="{evidence.pk}"' in html
    assert "ไฟล์หลักฐานที่เผยแพร่พร้อมรายงาน" in html
