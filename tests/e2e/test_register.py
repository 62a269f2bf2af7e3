"""The OIT register in the browser: from the home card, a link typed and saved, checked by the
background task against a local server, the verdict and the readiness on the page; and on a
phone, the save button on screen without sideways scrolling. Pictures kept for the guide."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from assessments.choices import Role
from tests.e2e.conftest import PASSWORD, log_in, screenshot
from tests.factories import OrganisationFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Site(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        if self.path != "/structure":
            self.send_error(404)
            return
        body = "<html><head><title>โครงสร้างหน่วยงาน ปีงบประมาณ พ.ศ. ๒๕๖๙</title></head></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    settings.LINKCHECK_ALLOW_LOOPBACK = True  # the test's own server only
    settings.LINKCHECK_HOST_INTERVAL = 0
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_staff_keep_and_check_the_oit_links(page, open_context, site):
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    member(organisation, Role.STAFF, username="oit", password=PASSWORD)
    log_in(page, "oit")
    page.get_by_role("link", name="ทะเบียน OIT").click()
    expect(page.locator("h1")).to_have_text("ทะเบียน OIT ปี 2569")
    row = page.locator("#item-O1")
    row.locator("textarea").fill(f"{site}/structure")
    row.locator("select").select_option(label="มีแล้ว")
    row.locator("input[name$='-responsible']").fill("สำนักปลัด")
    broken = page.locator("#item-O3")
    broken.locator("textarea").fill(f"{site}/contact")
    broken.locator("select").select_option(label="มีแล้ว")
    page.get_by_role("button", name="บันทึกทะเบียน").click()
    expect(page.locator(".alert-success")).to_contain_text("บันทึกทะเบียน OIT แล้ว (2 รายการ)")
    page.get_by_role("button", name="ตรวจลิงก์ทั้งหมด").click()
    expect(page.locator("main")).to_contain_text("ตรวจ 2 ลิงก์แล้ว ผลรายข้อ: ใช้ได้ 1 · ควรตรวจ 0 · ใช้ไม่ได้ 1")
    screenshot(page, "5-link-check-job", guide=True)
    page.get_by_role("link", name="ไปต่อ").click()
    expect(page.locator("#item-O1")).to_contain_text("✔ เปิดได้ พบปี ๒๕๖๙")
    expect(page.locator("#item-O3")).to_contain_text("✖ ลิงก์เสีย 404")
    expect(page.locator("#readiness")).to_contain_text("พร้อม 1/26")
    expect(page.locator("#readiness")).to_contain_text("ลิงก์ใช้ไม่ได้ 1")
    page.locator("#item-O1").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "5-oit-register", guide=True)

    phone = open_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = phone.new_page()
    log_in(mobile, "oit")
    mobile.goto(f"/organisations/{organisation.pk}/oit/2569/")
    save = mobile.get_by_role("button", name="บันทึกทะเบียน")
    expect(save).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    box = save.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Each sub-indicator's group folds and unfolds from its heading, which says its readiness.
    group = mobile.locator("tr.register-group").first
    expect(group).to_contain_text("พร้อม ")
    toggle = group.locator(".group-toggle")
    first_item = mobile.locator(
        f'tr[data-group="{group.get_attribute("data-group")}"]:not(.register-group)'
    ).first
    expect(toggle).to_have_attribute("aria-expanded", "true")  # not every item ready: open
    toggle.click()
    expect(first_item).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(first_item).to_be_visible()
    phone.close()
