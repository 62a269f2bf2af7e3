"""Publishing: refused until the plan is approved and the records agree, frozen once done."""

import datetime
import os
import stat

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from reports import documents, services
from reports.choices import DocumentKind
from reports.models import PublishedDocument
from tests.factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2025, 12, 1)


def read(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def publish(plan, user, kind=DocumentKind.ANALYSIS, **kwargs):
    return services.document_publish(plan=plan, kind=kind, user=user, today=TODAY, **kwargs)


def test_publishing_freezes_a_pdf_with_its_hash_and_sources(approved):
    plan, _wg, admin = approved
    published = publish(plan, admin)
    data = published.file.read()
    published.file.close()
    assert data.startswith(b"%PDF")
    assert published.version == 1 and published.size == len(data)
    assert published.sha256 == documents.digest(data)
    assert published.source["assessment"]["overall"] == "90.42"
    assert published.source["plan"]["status"] == "approved"
    assert set(published.source["plan"]["measure_versions"]) == {
        str(pk) for pk in plan.measures.values_list("pk", flat=True)
    }
    mode = os.stat(published.file.path).st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # written read-only


def test_publishing_again_keeps_the_old_version_unchanged(approved):
    plan, _wg, admin = approved
    first = publish(plan, admin)
    first_bytes = read(first.file.path)
    with pytest.raises(services.PublishRefused, match="ตรงกับข้อมูลปัจจุบันแล้ว"):
        publish(plan, admin)  # nothing changed
    services.document_options_set(plan=plan, kind=DocumentKind.ANALYSIS, thai_digits=False, user=admin)
    second = publish(plan, admin)
    assert second.version == 2 and second.public_id != first.public_id
    assert second.sha256 != first.sha256
    first.refresh_from_db()
    assert read(first.file.path) == first_bytes
    assert documents.digest(first_bytes) == first.sha256


def test_only_administrators_publish(approved):
    plan, wg, _admin = approved
    with pytest.raises(PermissionDenied):
        publish(plan, wg)
    assert not PublishedDocument.objects.exists()


def test_a_draft_plan_is_not_published(approved):
    from tests.factories import make_plan

    draft, _wg = make_plan()
    admin = member(draft.organisation, "administrator")
    with pytest.raises(services.PublishRefused, match="ยังไม่ผ่านความเห็นชอบ"):
        publish(draft, admin)


def test_memo_needs_number_and_date(approved):
    plan, wg, admin = approved
    with pytest.raises(services.PublishRefused, match="บันทึกข้อความ"):
        publish(plan, admin, kind=DocumentKind.MEMO)


def test_discrepancy_blocks_until_an_administrator_gives_a_reason(approved, client):
    plan, _wg, admin = approved
    # NACC's printed overall disagrees with the indicators by more than rounding.
    Assessment.objects.filter(pk=plan.assessment_id).update(published_overall="95.00")
    with pytest.raises(services.PublishRefused) as refused:
        publish(plan, admin)
    assert any("95.00" in message for message in refused.value.messages)
    published = publish(plan, admin, override_reason="ใช้คะแนนรายตัวชี้วัดตามประกาศ ป.ป.ช. ซึ่งตรวจแล้วถูกต้อง")
    assert published.override_reason.startswith("ใช้คะแนนรายตัวชี้วัด")
    assert any("95.00" in finding for finding in published.overridden_findings)
    page = client.get(reverse("reports:public-organisation", args=[plan.organisation.pk]))
    assert "ใช้คะแนนรายตัวชี้วัดตามประกาศ" in page.content.decode()


def test_public_links_need_no_login_and_serve_the_frozen_bytes(approved, client):
    plan, _wg, admin = approved
    first = publish(plan, admin)
    services.document_options_set(plan=plan, kind=DocumentKind.ANALYSIS, thai_digits=False, user=admin)
    second = publish(plan, admin)
    by_id = client.get(reverse("reports:public-file", args=[first.public_id]))
    assert by_id.status_code == 200 and by_id["Content-Type"] == "application/pdf"
    assert by_id.content == read(first.file.path)
    assert by_id["Cache-Control"] == "public, max-age=3600"  # withdrawable: never cached for a year
    latest = client.get(
        reverse("reports:public-latest", args=[plan.organisation.pk, plan.plan_year, "analysis"])
    )
    assert latest.status_code == 200 and latest.content == read(second.file.path)
    listing = client.get(reverse("reports:public-organisation", args=[plan.organisation.pk]))
    body = listing.content.decode()
    assert listing.status_code == 200
    assert str(first.public_id) in body and str(second.public_id) in body
    missing = client.get(
        reverse("reports:public-latest", args=[plan.organisation.pk, plan.plan_year, "memo"])
    )
    assert missing.status_code == 404


def test_a_tampered_file_is_not_served(approved, client):
    plan, _wg, admin = approved
    published = publish(plan, admin)
    os.chmod(published.file.path, 0o644)
    with open(published.file.path, "ab") as handle:
        handle.write(b"% changed")
    response = client.get(reverse("reports:public-file", args=[published.public_id]))
    assert response.status_code == 500
    assert b"%PDF" not in response.content


def test_the_admin_cannot_change_or_delete_a_published_document(approved):
    plan, _wg, admin = approved
    published = publish(plan, admin)
    model_admin = site._registry[PublishedDocument]
    request = RequestFactory().get("/")
    request.user = type("Root", (), {"is_active": True, "is_staff": True, "is_superuser": True})()
    assert not model_admin.has_change_permission(request, published)
    assert not model_admin.has_delete_permission(request, published)
    assert not model_admin.has_add_permission(request)


def test_published_pdfs_are_tagged_pdf_a_3b_with_their_metadata(approved):
    import io

    import pikepdf
    from pypdf import PdfReader

    plan, _wg, admin = approved
    published = publish(plan, admin)
    data = published.file.read()
    published.file.close()
    with pikepdf.open(io.BytesIO(data)) as document:
        xmp = document.open_metadata()
        assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("3", "B")
        assert len(document.Root.OutputIntents) == 1
        assert str(document.Root.Lang) == "th"
        assert bool(document.Root.MarkInfo.Marked) and "/StructTreeRoot" in document.Root
        info = document.docinfo
        assert str(info.Author) == plan.organisation.name
        assert str(info.Title).startswith("รายงานผลการวิเคราะห์ ITA")
        assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in str(info.Subject)
    # The archival file keeps the text layer that reads back.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert plan.organisation.name in text and "อำเภอวังน้ำเขียว" in text


def test_publishing_the_analysis_report_publishes_the_plan_in_the_same_step(approved):
    from measures.choices import PlanAction, PlanStatus

    plan, _wg, admin = approved
    assert plan.status == PlanStatus.APPROVED
    publish(plan, admin)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    event = plan.events.order_by("-pk").first()
    assert (event.action, event.user, event.comment) == (
        PlanAction.PUBLISH,
        admin,
        f"เผยแพร่พร้อม{DocumentKind.ANALYSIS.label} ฉบับที่ 1",
    )


def test_the_last_discrepancy_reason_is_offered_again(approved, client):
    plan, _wg, admin = approved
    Assessment.objects.filter(pk=plan.assessment_id).update(published_overall="95.00")
    publish(plan, admin, override_reason="ใช้คะแนนตามประกาศ ป.ป.ช.")
    # Something changes (the digits), so the report may be published again.
    services.document_options_set(plan=plan, kind=DocumentKind.ANALYSIS, thai_digits=False, user=admin)
    client.force_login(admin)
    page = client.get(reverse("reports:plan-documents", args=[plan.pk])).content.decode()
    form = page[page.index('id="publish-analysis"') :]
    assert "ใช้คะแนนตามประกาศ ป.ป.ช.</textarea>" in form[: form.index("</form>")]


def test_the_documents_page_makes_a_documents_html_only_to_compare_it_with_a_standing_version(
    approved, client, monkeypatch
):
    """Whether a published version is still the document is asked only when there is one: before
    the first publication the page makes no document's HTML; after it, a changed measure shows."""
    from measures.models import Measure

    plan, _wg, admin = approved
    client.force_login(admin)
    page = reverse("reports:plan-documents", args=[plan.pk])
    with monkeypatch.context() as patched:
        patched.setattr(
            documents, "render_html", lambda *a, **k: pytest.fail("HTML made with nothing to compare")
        )
        assert client.get(page).status_code == 200
    services.document_publish(
        plan=plan,
        kind=DocumentKind.ANALYSIS,
        user=admin,
        today=timezone.localdate(),
        base_url="http://testserver",
    )

    def analysis_entry():
        rows = client.get(page).context["rows"]
        return next(entry for entry, *_forms in rows if entry.kind == DocumentKind.ANALYSIS)

    assert analysis_entry().up_to_date
    Measure.objects.filter(pk=plan.measures.first().pk).update(title="มาตรการที่แก้ไขภายหลังการเผยแพร่")
    entry = analysis_entry()
    assert entry.latest is not None and not entry.up_to_date
