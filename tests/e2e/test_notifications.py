"""A plan submitted by staff appears under the working group's bell, on a desktop and on a phone,
and the notification leads to the plan's review."""

import re

import pytest
from playwright.sync_api import expect

from assessments.choices import Role
from measures.services import plan_submit
from tests.e2e.conftest import PASSWORD, log_in, screenshot
from tests.factories import OrganisationFactory, make_plan, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_a_submitted_plan_rings_the_working_groups_bell_and_leads_to_the_review(
    open_context, frameworks, viewport
):
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    wg = member(organisation, Role.WORKING_GROUP, username="wg1", password=PASSWORD)
    plan, _ = make_plan(organisation, user=wg)
    plan_submit(plan=plan, user=member(organisation, Role.STAFF, username="staff1", password=PASSWORD))

    context = open_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = context.new_page()
    log_in(page, "wg1")
    bell = page.get_by_role("link", name="การแจ้งเตือน ยังไม่อ่าน 1 รายการ")
    expect(bell).to_be_visible()
    screenshot(page, f"bell-{viewport['width']}")
    bell.click()
    item = page.get_by_role("link", name=re.compile("แผนมาตรการปี 2569 เสนอให้คณะทำงาน ITA พิจารณาแล้ว"))
    expect(item).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    item.click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))
    expect(page.get_by_role("heading", name="ขั้นตอนการพิจารณา")).to_be_visible()
    expect(page.get_by_role("link", name="การแจ้งเตือน ไม่มีรายการใหม่")).to_be_visible()
    # The person's menu: their account, the files and jobs they asked for, signing out.
    page.get_by_role("button", name="wg1").click()
    page.get_by_role("link", name="ไฟล์และงานที่สั่งไว้").click()
    expect(page.get_by_role("heading", name="ไฟล์และงานที่สั่งไว้")).to_be_visible()
    page.get_by_role("button", name="wg1").click()
    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    context.close()
