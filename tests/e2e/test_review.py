"""The working group reviews a submitted plan without sending it back: it changes a word and moves
a measure in place and approves, in four clicks; staff then find the changes listed on the plan."""

import re

import pytest
from playwright.sync_api import expect

from assessments.choices import Role
from measures.services import plan_submit
from tests.e2e.conftest import PASSWORD, log_in, screenshot
from tests.factories import OrganisationFactory, make_plan, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_working_group_edits_moves_and_approves_a_submitted_plan_in_four_clicks(page, frameworks):
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    wg = member(organisation, Role.WORKING_GROUP, username="wg1", password=PASSWORD, first_name="วิภาวดี")
    plan, _ = make_plan(organisation, user=wg)
    plan_submit(plan=plan, user=member(organisation, Role.STAFF, username="staff1", password=PASSWORD))
    second = plan.measures.order_by("order")[1]
    log_in(page, "wg1")
    page.goto(f"/plans/{plan.pk}/")
    clicks = 0
    page.locator(f"#measure-{plan.measures.order_by('order')[0].pk} a", has_text="แก้ไข").click()
    clicks += 1
    title = page.locator("#id_title")
    title.fill(title.input_value() + " ทุกไตรมาส")
    page.get_by_role("button", name="บันทึก").click()
    clicks += 1
    page.locator(f"#measure-{second.pk} button", has_text="ขึ้น").click()
    clicks += 1
    page.get_by_role("button", name="อนุมัติ", exact=True).click()
    clicks += 1
    expect(page.locator("#plan-status")).to_have_text("อนุมัติแล้ว")
    assert clicks <= 4
    plan.refresh_from_db()
    assert plan.measures.order_by("order").first().pk == second.pk
    expect(page.locator("#review-changes")).to_contain_text("วิภาวดี")
    expect(page.locator("#review-changes")).to_contain_text("ทุกไตรมาส")
    page.locator("#review-changes").scroll_into_view_if_needed()
    screenshot(page, "2-review-changes", guide=True)

    page.get_by_role("button", name="วิภาวดี").click()  # the person's menu, by name
    page.get_by_role("button", name="ออกจากระบบ").click()
    log_in(page, "staff1")
    page.goto(f"/plans/{plan.pk}/")
    expect(page.locator("#review-changes")).to_contain_text("คณะทำงานแก้ไขระหว่างการพิจารณาครั้งล่าสุด")
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))
