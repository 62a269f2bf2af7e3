"""On a 390-pixel phone, each page's primary action is on screen without sideways scrolling:
home's next step, a draft plan's edit buttons, the progress page's report button, the documents
page's publish button. The screenshots are kept for the user guide (``static/help/``)."""

import pytest
from playwright.sync_api import expect

from assessments.choices import Role
from tests.e2e.conftest import GUIDE, PASSWORD, log_in, maintainers_notes, screenshot, watch_pages
from tests.factories import OrganisationFactory, make_approved_plan, make_plan, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits_the_phone(page, action) -> None:
    """No sideways scroll, and ``action`` (a locator) visible inside the screen's width."""
    expect(action).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    box = action.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (page.url, box)


def guide_shot(page, name: str) -> None:
    """A phone-sized screenshot of the visible screen, for the guide (``/help/``)."""
    GUIDE.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GUIDE / f"{name}.png"))


def test_the_primary_actions_fit_a_phone(open_context, frameworks):
    approved, _ = make_approved_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา"))
    organisation = approved.assessment.organisation
    member(organisation, Role.ADMINISTRATOR, username="admin1", password=PASSWORD)
    draft, _ = make_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลโคกมน", province="เพชรบูรณ์"))
    for plan in (approved, draft):
        member(plan.assessment.organisation, Role.WORKING_GROUP, username=f"wg{plan.pk}", password=PASSWORD)

    phone = open_context(viewport=PHONE, is_mobile=True)
    phone.set_default_timeout(30_000)
    served = watch_pages(phone)
    try:
        page = phone.new_page()
        log_in(page, "admin1")
        fits_the_phone(page, page.locator(".next-step a.btn").first)  # เผยแพร่เอกสาร
        expect(page.locator(".next-step").first).to_contain_text("อนุมัติแล้ว")
        guide_shot(page, "phone-home")
        page.goto(f"/plans/{approved.pk}/documents/")
        fits_the_phone(page, page.get_by_role("button", name="เผยแพร่ (สร้างฉบับ PDF ที่ไม่เปลี่ยนแปลง)").first)
        guide_shot(page, "phone-documents")

        page.context.clear_cookies()
        log_in(page, f"wg{draft.pk}")
        page.goto(f"/plans/{draft.pk}/")
        fits_the_phone(page, page.locator("td.actions").first.get_by_role("link", name="แก้ไข"))
        fits_the_phone(page, page.locator("td.actions").first.get_by_role("button", name="↓ ลง"))
        guide_shot(page, "phone-plan")

        page.context.clear_cookies()
        log_in(page, f"wg{approved.pk}")
        page.goto(f"/plans/{approved.pk}/progress/")
        fits_the_phone(page, page.get_by_role("link", name="รายงาน/รายละเอียด").first)
        guide_shot(page, "phone-progress")
        screenshot(page, "phone-progress")
        assert maintainers_notes(served) == []
    finally:
        phone.close()
