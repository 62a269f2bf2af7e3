"""An administrator invites a colleague from the members page at 1280 px; the e-mail arrives at a
real SMTP server; the colleague opens its link on a 390-px phone, sets a name and password and
lands on home inside the organisation."""

import re

import pytest
from playwright.sync_api import expect

from assessments.choices import Role
from assessments.models import Membership
from tests.e2e.conftest import PASSWORD, log_in, screenshot
from tests.factories import OrganisationFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_an_invitation_from_the_members_page_to_the_first_page(open_context, frameworks, page, smtp):
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    member(organisation, Role.ADMINISTRATOR, username="admin1", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "admin1")
    page.get_by_role("link", name="สมาชิก").first.click()
    expect(page.get_by_role("heading", name=f"สมาชิกของ{organisation.name}")).to_be_visible()
    page.locator("#id_email").fill("somsri@example.go.th")
    page.locator("#id_role").select_option("working_group")
    page.get_by_role("button", name="ส่งคำเชิญ").click()
    expect(page.get_by_text("ส่งคำเชิญถึง somsri@example.go.th แล้ว")).to_be_visible()
    screenshot(page, "members-invited")
    (message,) = smtp.messages
    link = re.search(r"https?://\S+(/invitations/\S+/)", message.get_body(("plain",)).get_content()).group(1)

    phone = open_context(viewport=PHONE, is_mobile=True)
    invitee = phone.new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name=re.compile("คำเชิญเข้าร่วม"))).to_be_visible()
    assert invitee.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    invitee.locator("#id_first_name").fill("สมศรี")
    invitee.locator("#id_last_name").fill("ใจดี")
    invitee.locator("#id_password1").fill("ดอกไม้บาน-2569")
    invitee.locator("#id_password2").fill("ดอกไม้บาน-2569")
    invitee.get_by_role("button", name="สร้างบัญชีและเข้าร่วม").click()
    expect(invitee.get_by_text(f"ยินดีต้อนรับสู่ {organisation.name}")).to_be_visible()
    expect(invitee.get_by_role("heading", name=organisation.name).first).to_be_visible()
    assert invitee.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(invitee, "members-welcome-phone")
    phone.close()
    assert Membership.objects.get(organisation=organisation, user__username="somsri@example.go.th").role == (
        Role.WORKING_GROUP
    )


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_a_publisher_enrols_a_totp_app_on_first_sign_in(open_context, frameworks, settings, viewport):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.SECOND_FACTOR_REQUIRED = True
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลโคกมน", province="เพชรบูรณ์")
    admin = member(organisation, Role.ADMINISTRATOR, username="publisher", password=PASSWORD)
    context = open_context(viewport=viewport)
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", "publisher")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="ยืนยันตัวตนสองขั้นตอน")).to_be_visible()
    expect(page.locator("figure svg")).to_be_visible()  # the QR code
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    device = TOTPDevice.objects.get(user=admin)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.locator("#id_code").fill(code)
    page.get_by_role("button", name="ยืนยัน").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot(page, f"two-factor-recovery-{viewport['width']}")
    page.get_by_role("link", name="ไปต่อ").click()
    expect(page.get_by_role("heading", name=organisation.name).first).to_be_visible()
    context.close()
