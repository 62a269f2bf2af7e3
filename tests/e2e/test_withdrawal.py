"""An administrator, on a phone, takes down an evidence file published with someone's personal
data: the reason is asked for (a too-short one refused in Thai, what was typed kept), the report
is published again without the file, and the file's old address tells a visitor when and why."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.choices import Role
from measures.services import Upload
from reports import services
from reports.choices import DocumentKind
from reports.models import PublishedEvidence
from tests.e2e.conftest import PASSWORD, log_in, maintainers_notes, screenshot, watch_pages
from tests.factories import OrganisationFactory, make_approved_plan, member, reported, scan_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SECRET = "สำเนาบัตรประชาชน นายสมชาย.pdf"
REASON = "มีสำเนาบัตรประชาชนของผู้เข้าร่วมอบรม ถอนตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล"


def test_an_administrator_withdraws_personal_data_from_a_phone(open_context, frameworks):
    plan, wg = make_approved_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา"))
    admin = member(plan.assessment.organisation, Role.ADMINISTRATOR, username="admin1", password=PASSWORD)
    files = [Upload("รายงานการอบรม.pdf", scan_pdf("report")), Upload(SECRET, scan_pdf("id card"))]
    measure = reported(plan, wg, files)
    services.document_publish(
        plan=plan,
        kind=DocumentKind.IMPLEMENTATION,
        user=admin,
        today=datetime.date(2026, 3, 5),
        evidence_ids=list(measure.updates.get().evidence.values_list("pk", flat=True)),
    )
    secret = PublishedEvidence.objects.get(original_name=SECRET)

    phone = open_context(viewport=PHONE, is_mobile=True)
    phone.set_default_timeout(30_000)
    served = watch_pages(phone)
    try:
        page = phone.new_page()
        log_in(page, "admin1")
        page.goto(f"/plans/{plan.pk}/documents/")
        row = page.locator("tr", has_text=SECRET)
        row.get_by_role("link", name="ถอนการเผยแพร่").click()
        page.get_by_label("เหตุผลที่ถอนการเผยแพร่").fill("ผิด")
        page.get_by_role("button", name="ถอนการเผยแพร่").click()
        expect(page.locator("#id_reason_error")).to_contain_text("อย่างน้อย 10 ตัวอักษร")
        expect(page.get_by_label("เหตุผลที่ถอนการเผยแพร่")).to_have_value("ผิด")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.get_by_label("เหตุผลที่ถอนการเผยแพร่").fill(REASON)
        page.get_by_role("button", name="ถอนการเผยแพร่").click()
        expect(page.locator("main")).to_contain_text(f"ถอนการเผยแพร่ไฟล์ “{SECRET}” แล้ว")
        expect(page.locator("main")).to_contain_text("ฉบับที่ 2 ใหม่แล้ว โดยไม่มีไฟล์ที่ถอน")
        expect(page.locator("tr", has_text=SECRET)).to_contain_text(REASON)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "withdrawn-evidence")

        page.context.clear_cookies()  # a visitor with the old link
        response = page.goto(f"/public/evidence/{secret.public_id}/")
        assert response.status == 410
        expect(page.locator("main")).to_contain_text(REASON)
        expect(page.locator("main")).not_to_contain_text(SECRET)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        notes = maintainers_notes(served)
        phone.close()
    assert notes == []
