"""The documents' pages: who reaches them, the memo and garuda forms, the digits option."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from assessments.choices import Role
from reports.models import DocumentOptions, Memo
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def urls(plan):
    pk = plan.pk
    return {
        "documents": reverse("reports:plan-documents", args=[pk]),
        "html": reverse("reports:document-html", args=[pk, "analysis"]),
        "pdf": reverse("reports:document-pdf", args=[pk, "analysis"]),
        "memo": reverse("reports:memo-update", args=[pk]),
    }


def test_anonymous_users_are_sent_to_login(approved, client):
    plan, _wg, _admin = approved
    for url in [
        *urls(plan).values(),
        reverse("reports:document-options", args=[plan.pk, "analysis"]),
        reverse("reports:document-publish", args=[plan.pk, "analysis"]),
        reverse("reports:garuda-update", args=[plan.pk]),
    ]:
        response = client.post(url) if url.endswith(("options/", "publish/", "garuda/")) else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_other_organisations_get_404(approved, client):
    plan, _wg, _admin = approved
    client.force_login(member(OrganisationFactory(), Role.ADMINISTRATOR))
    for url in urls(plan).values():
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:document-publish", args=[plan.pk, "analysis"])).status_code == 404


def test_members_read_documents_and_staff_cannot_edit_the_memo(approved, client):
    plan, _wg, _admin = approved
    client.force_login(member(plan.organisation, Role.STAFF))
    links = urls(plan)
    page = client.get(links["documents"])
    assert page.status_code == 200
    assert "เผยแพร่ (สร้างฉบับ PDF" not in page.content.decode()  # staff do not publish
    html = client.get(links["html"])
    assert html.status_code == 200 and "๙๐.๔๒" in html.content.decode()
    # The first download renders in the background (at once here: tasks run inside the tests) and
    # shows the job; the job's page leads back, and the second download is the cached file.
    first = client.get(links["pdf"])
    assert first.status_code == 302 and first.url.startswith("/jobs/")
    job_page = client.get(first.url).content.decode()
    assert "เสร็จแล้ว" in job_page and f'href="{links["pdf"]}"' in job_page
    pdf = client.get(links["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    assert client.get(links["memo"]).status_code == 403
    assert client.post(reverse("reports:document-publish", args=[plan.pk, "analysis"])).status_code == 403


def test_unknown_document_kind_is_404(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    assert client.get(reverse("reports:document-html", args=[plan.pk, "letter"])).status_code == 404


def test_administrator_publishes_from_the_page(approved, client):
    plan, _wg, admin = approved
    client.force_login(admin)
    response = client.post(reverse("reports:document-publish", args=[plan.pk, "analysis"]), follow=True)
    body = response.content.decode()
    assert "เผยแพร่ รายงานผลการวิเคราะห์" in body and "ฉบับที่ 1" in body
    assert plan.published_documents.count() == 1


def test_memo_form_saves_with_thai_date_and_signatories(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    data = {
        "version": "0",  # a new memo
        "department": "สำนักปลัด องค์การบริหารส่วนตำบลวังหมี",
        "number": "นม ๗๒๒๐๑/๒๔๕",
        "date": "๒๐/๑๑/๒๕๖๘",
        "subject": "",
        "addressee": "นายกองค์การบริหารส่วนตำบลวังหมี",
        "author_name": "นางสาวสมใจ ใจดี",
        "author_position": "นักวิเคราะห์นโยบายและแผน",
        "decision_name": "นายสมชาย รักษ์ถิ่น",
        "decision_position": "นายกองค์การบริหารส่วนตำบลวังหมี",
        "signers-TOTAL_FORMS": "2",
        "signers-INITIAL_FORMS": "0",
        "signers-0-addressed_to": "ปลัดองค์การบริหารส่วนตำบลวังหมี",
        "signers-0-opinion": "ทราบ/เพื่อโปรดพิจารณา",
        "signers-0-name": "นางมาลี ศรีสุข",
        "signers-0-position": "หัวหน้าสำนักปลัด",
        "signers-1-addressed_to": "",
        "signers-1-name": "",
        "signers-1-position": "",
    }
    response = client.post(urls(plan)["memo"], data)
    assert response.status_code == 302
    memo = Memo.objects.get(plan=plan)
    assert str(memo.date) == "2025-11-20"
    assert [s.name for s in memo.signatories.all()] == ["นางมาลี ศรีสุข"]
    html = client.get(reverse("reports:document-html", args=[plan.pk, "memo"])).content.decode()
    assert "นม ๗๒๒๐๑/๒๔๕" in html and "๒๐ พฤศจิกายน ๒๕๖๘" in html


def test_memo_form_reports_errors_beside_fields_and_saves_nothing(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    data = {
        "department": "สำนักปลัด",
        "number": "1",
        "date": "31/02/2568",
        "addressee": "นายก",
        "author_name": "ก",
        "author_position": "ข",
        "decision_name": "ค",
        "decision_position": "ง",
        "signers-TOTAL_FORMS": "1",
        "signers-INITIAL_FORMS": "0",
        "signers-0-addressed_to": "ปลัด",
        "signers-0-name": "",
        "signers-0-position": "หัวหน้าสำนักปลัด",
    }
    response = client.post(urls(plan)["memo"], data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "กรุณากรอกให้ครบทั้งเรียน ชื่อ และตำแหน่ง" in body
    assert response.context["form"].errors["date"]
    assert not Memo.objects.exists()


def test_digits_option_changes_the_document(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    response = client.post(
        reverse("reports:document-options", args=[plan.pk, "analysis"]), {"thai_digits": "0"}
    )
    assert response.status_code == 302
    assert DocumentOptions.objects.get(plan=plan, kind="analysis").thai_digits is False
    html = client.get(urls(plan)["html"]).content.decode()
    assert "90.42" in html and "๙๐.๔๒" not in html


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def test_garuda_upload_appears_on_the_memo(with_memo, client):
    plan, wg, _admin = with_memo
    client.force_login(wg)
    url = reverse("reports:garuda-update", args=[plan.pk])
    bad = client.post(url, {"garuda": SimpleUploadedFile("garuda.png", b"not an image")}, follow=True)
    assert "ไฟล์ภาพครุฑต้องเป็นรูปภาพ PNG หรือ JPEG" in bad.content.decode()
    plan.organisation.refresh_from_db()
    assert not plan.organisation.garuda
    client.post(url, {"garuda": SimpleUploadedFile("garuda.png", png_bytes())})
    html = client.get(reverse("reports:document-html", args=[plan.pk, "memo"])).content.decode()
    assert 'src="data:image/png;base64,' in html


def test_public_organisation_page_needs_no_login(approved, client):
    plan, _wg, _admin = approved
    response = client.get(reverse("reports:public-organisation", args=[plan.organisation.pk]))
    assert response.status_code == 200
    assert "ยังไม่มีเอกสารที่เผยแพร่" in response.content.decode()


def test_documents_page_makes_a_bounded_number_of_queries(with_memo, client, django_assert_max_num_queries):
    plan, _wg, admin = with_memo
    client.force_login(admin)
    # Four documents built from one analysis (the measures' checks read it too), their checks and
    # versions (no HTML: nothing is published yet), last year's measures read once, the plan
    # year's item codes for each document's measures, and the analysis report's rank among its
    # peers (two); the bell's unread count (one). 54 before the checks shared the analysis.
    with django_assert_max_num_queries(40):
        assert client.get(urls(plan)["documents"]).status_code == 200


def test_render_report_command(with_memo, tmp_path):
    plan, _wg, _admin = with_memo
    target = tmp_path / "memo.pdf"
    call_command("render_report", org=str(plan.organisation.pk), year="2569", kind="memo", output=str(target))
    assert target.read_bytes().startswith(b"%PDF")
    html = tmp_path / "analysis.html"
    call_command(
        "render_report",
        org=str(plan.organisation.pk),
        year="2569",
        kind="analysis",
        output=str(html),
        digits="arabic",
    )
    assert "90.42" in html.read_text(encoding="utf-8")


def test_render_report_explains_a_wrong_year(approved, tmp_path):
    from django.core.management.base import CommandError

    plan, _wg, _admin = approved
    with pytest.raises(CommandError, match="ใช้ --year 2569"):
        call_command(
            "render_report",
            org=str(plan.organisation.pk),
            year="2568",
            kind="analysis",
            output=str(tmp_path / "x.pdf"),
        )


# --- The memo's chain of signatories: add, remove, reorder without a script ----------------------

SIGNERS = [
    ("ปลัดองค์การบริหารส่วนตำบลวังหมี", "นางมาลี ศรีสุข", "หัวหน้าสำนักปลัด"),
    ("นายกองค์การบริหารส่วนตำบลวังหมี", "นายวิชัย ใจงาม", "ปลัดองค์การบริหารส่วนตำบล"),
    ("นายกองค์การบริหารส่วนตำบลวังหมี", "นางสาวอรุณ แสงดี", "รองนายกองค์การบริหารส่วนตำบล"),
]


def memo_data(rows, *, initial=0, version=0, **extra):
    """What the memo form posts, with the version of the memo it showed (0: a new memo)."""
    data = {
        "version": str(version),
        "department": "สำนักปลัด องค์การบริหารส่วนตำบลวังหมี",
        "number": "นม 72201/245",
        "date": "20/11/2568",
        "subject": "",
        "addressee": "นายกองค์การบริหารส่วนตำบลวังหมี",
        "author_name": "นางสาวสมใจ ใจดี",
        "author_position": "นักวิเคราะห์นโยบายและแผน",
        "decision_name": "นายสมชาย รักษ์ถิ่น",
        "decision_position": "นายกองค์การบริหารส่วนตำบลวังหมี",
        "signers-TOTAL_FORMS": str(len(rows)),
        "signers-INITIAL_FORMS": str(initial),
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"signers-{index}-{name}"] = value
    data.update(extra)
    return data


def row(signer, order="", delete=False):
    addressed_to, name, position = signer
    values = {"addressed_to": addressed_to, "name": name, "position": position, "ORDER": order}
    if delete:
        values["DELETE"] = "on"
    return values


def test_the_memo_form_offers_an_empty_row_and_adds_more_without_a_script(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    page = client.get(urls(plan)["memo"]).content.decode()
    assert 'name="signers-0-name"' in page and 'name="signers-1-name"' not in page
    assert 'name="add_row"' in page
    # "เพิ่มแถว" posts what was typed: it comes back with one more row, nothing saved, no errors.
    response = client.post(urls(plan)["memo"], memo_data([row(SIGNERS[0], "1")], add_row="1"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="signers-1-name"' in body and 'name="signers-2-name"' not in body
    assert 'value="นางมาลี ศรีสุข"' in body and 'value="นม 72201/245"' in body
    assert "invalid-feedback" not in body
    assert not Memo.objects.exists()


def test_a_memo_with_three_signatories_renders_them_in_order(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    # Typed in another order; the ลำดับ column puts them right.
    rows = [row(SIGNERS[2], "3"), row(SIGNERS[0], "1"), row(SIGNERS[1], "2"), row(("", "", ""))]
    response = client.post(urls(plan)["memo"], memo_data(rows))
    assert response.status_code == 302
    memo = Memo.objects.get(plan=plan)
    assert [s.name for s in memo.signatories.all()] == [name for _to, name, _pos in SIGNERS]
    html = client.get(reverse("reports:document-html", args=[plan.pk, "memo"])).content.decode()
    at = [html.index(name) for _to, name, _pos in SIGNERS]
    assert at == sorted(at)
    assert html.index(SIGNERS[2][1]) < html.index("นายสมชาย รักษ์ถิ่น")  # all before the decision


def test_signatories_are_removed_and_reordered_with_their_history(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    client.post(urls(plan)["memo"], memo_data([row(s, str(n)) for n, s in enumerate(SIGNERS, start=1)]))
    memo = Memo.objects.get(plan=plan)
    first_pk = memo.signatories.first().pk
    page = client.get(urls(plan)["memo"]).content.decode()
    assert 'name="signers-3-name"' in page  # the three saved rows and one empty
    # Remove the second and put the third first.
    rows = [row(SIGNERS[0], "2"), row(SIGNERS[1], "", delete=True), row(SIGNERS[2], "1")]
    response = client.post(urls(plan)["memo"], memo_data(rows, initial=3, version=memo.version))
    assert response.status_code == 302
    assert [s.name for s in memo.signatories.all()] == [SIGNERS[2][1], SIGNERS[0][1]]
    # Rows are changed in place: the first row's history shows the name it had and has now.
    from reports.models import MemoSignatory

    history = MemoSignatory.history.filter(id=first_pk).order_by("history_id")
    assert [h.name for h in history] == [SIGNERS[0][1], SIGNERS[2][1]]
    assert MemoSignatory.history.filter(history_type="-").count() == 1


def test_an_incomplete_signatory_row_is_refused_beside_it_and_the_rest_is_kept(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    rows = [row(SIGNERS[0], "1"), row((SIGNERS[1][0], "", SIGNERS[1][2]), "2")]
    response = client.post(urls(plan)["memo"], memo_data(rows))
    assert response.status_code == 200
    body = response.content.decode()
    second = body.index('id="signer-2"')
    assert body.index("กรุณากรอกให้ครบทั้งเรียน ชื่อ และตำแหน่ง", second) < body.index('name="decision_name"')
    assert 'value="นางมาลี ศรีสุข"' in body
    assert not Memo.objects.exists()


def test_no_more_than_eight_signatories(approved, client):
    plan, wg, _admin = approved
    client.force_login(wg)
    rows = [row(SIGNERS[0], str(n)) for n in range(1, 10)]
    response = client.post(urls(plan)["memo"], memo_data(rows))
    assert response.status_code == 200
    assert "ผู้ลงนามเสนอได้ไม่เกิน 8 ลำดับ" in response.content.decode()
    assert not Memo.objects.exists()


# --- Two people editing the memo ----------------------------------------------------------------


def form_version(client, url) -> str:
    return str(client.get(url).context["form"].initial["version"])


def stale_memo_data(version, **changes):
    data = {
        "department": "สำนักปลัด",
        "number": "นม 1/2568",
        "date": "20/11/2568",
        "subject": "",
        "addressee": "นายก",
        "author_name": "นางสาวสมใจ ใจดี",
        "author_position": "นักวิเคราะห์นโยบายและแผน",
        "decision_name": "นายสมชาย รักษ์ถิ่น",
        "decision_position": "นายก",
        "version": version,
        "signers-TOTAL_FORMS": "1",
        "signers-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_two_memo_edits_interleaved_lose_nothing(approved):
    plan, wg, admin = approved
    url = reverse("reports:memo-update", args=[plan.pk])
    first, second = Client(), Client()
    first.force_login(wg)
    second.force_login(admin)
    assert first.post(url, stale_memo_data("0")).status_code == 302
    seen_first, seen_second = form_version(first, url), form_version(second, url)
    assert second.post(url, stale_memo_data(seen_second, number="นม 2/2568")).status_code == 302
    response = first.post(url, stale_memo_data(seen_first, addressee="นายกองค์การบริหารส่วนตำบล"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "มีผู้อื่นบันทึกบันทึกข้อความนี้ไปก่อนท่าน" in body
    assert "ที่: นม 1/2568 → นม 2/2568" in body
    assert 'value="นายกองค์การบริหารส่วนตำบล"' in body
    memo = Memo.objects.get(plan=plan)
    assert (memo.number, memo.addressee) == ("นม 2/2568", "นายก")
    again = first.post(
        url,
        stale_memo_data(
            response.context["form"].data["version"], number="นม 2/2568", addressee="นายกองค์การบริหารส่วนตำบล"
        ),
    )
    assert again.status_code == 302
    memo.refresh_from_db()
    assert (memo.number, memo.addressee, memo.version) == ("นม 2/2568", "นายกองค์การบริหารส่วนตำบล", 3)


def test_render_report_refuses_an_output_name_it_would_not_write(with_memo, tmp_path):
    plan, _wg, _admin = with_memo
    target = tmp_path / "memo.docx"
    with pytest.raises(CommandError, match="--output ต้องลงท้ายด้วย .pdf หรือ .html"):
        call_command(
            "render_report", org=str(plan.organisation.pk), year="2569", kind="memo", output=str(target)
        )
    assert not target.exists()
