"""The three journeys of the portal's users, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from assessments.choices import Role
from assessments.models import Assessment
from measures.choices import PlanStatus
from measures.models import MeasurePlan
from reports.models import PublishedDocument
from tests.e2e.conftest import PASSWORD, SCREENSHOTS, log_in, screenshot
from tests.factories import (
    KHOKMON_2568,
    OrganisationFactory,
    make_approved_plan,
    make_plan,
    make_wangmee,
    member,
    scan_pdf,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the executive signed, as a scanner writes it: published byte for byte.
SIGNED_SCAN = scan_pdf("ประกาศที่ลงนามแล้ว")


def test_staff_types_scores_sees_the_thai_error_corrects_it_and_sees_the_level(page):
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลโคกมน", district="น้ำหนาว", province="เพชรบูรณ์")
    member(organisation, Role.STAFF, username="somsri", password=PASSWORD)
    log_in(page, "somsri")
    page.select_option(f"#id_year_{organisation.pk}", "2568")
    page.get_by_role("button", name="บันทึกผลการประเมิน").click()
    for number, value in enumerate(KHOKMON_2568, start=1):
        page.fill(f"[name=indicator_{number}]", value)
    page.fill("[name=indicator_3]", "101")
    page.get_by_role("button", name="บันทึกและดูผล").click()
    expect(page.locator("#error_1_id_indicator_3")).to_contain_text("คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
    assert not Assessment.objects.exists()

    page.fill("[name=indicator_3]", "๙๙.๗๕")  # Thai digits, as many officers type them
    page.get_by_role("button", name="บันทึกและดูผล").click()
    expect(page.locator("main")).to_contain_text("บันทึกคะแนนเรียบร้อยแล้ว")
    expect(page.locator("main")).to_contain_text("94.74")
    expect(page.locator("main")).to_contain_text("ผ่านดี")
    screenshot(page, "1-staff-result", guide=True)
    # The next year's form asks for the EIT's parts (2569): shown in the guide.
    page.goto(f"/organisations/{organisation.pk}/assessments/create/?year=2569")
    page.locator("[name=eit_part1]").scroll_into_view_if_needed()
    screenshot(page, "1-staff-eit-parts", guide=True)


def test_working_group_generates_edits_and_approves_the_plan(page):
    organisation = OrganisationFactory(
        name="องค์การบริหารส่วนตำบลวังหมี", district="วังน้ำเขียว", province="นครราชสีมา"
    )
    member(organisation, Role.WORKING_GROUP, username="kanya", password=PASSWORD)
    assessment = make_wangmee(organisation)
    log_in(page, "kanya")
    page.goto(f"/assessments/{assessment.pk}/analysis/")
    page.get_by_role("button", name="สร้างร่างแผนมาตรการปี 2569").click()
    plan = MeasurePlan.objects.get()
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/(#.*)?$"))

    page.get_by_role("link", name="แก้ไข").first.click()
    title = page.locator("[name=title]")
    title.fill(title.input_value() + " (ปรับตามมติคณะทำงาน)")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/(#.*)?$"))
    expect(page.locator("main")).to_contain_text("(ปรับตามมติคณะทำงาน)")

    page.locator("#plan-actions").get_by_role("link", name="เสนอคณะทำงานพิจารณา").click()
    page.locator("form.card").get_by_role("button").click()
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/(#.*)?$"))
    page.locator("#plan-actions").get_by_role("link", name="อนุมัติ").click()
    page.fill("[name=meeting_number]", "1/2569")
    page.fill("[name=meeting_date]", "๑๕/๑๐/๒๕๖๘")
    page.locator("form.card").get_by_role("button").click()
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/(#.*)?$"))
    expect(page.locator("main")).to_contain_text("อนุมัติแล้ว")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.meeting_number == "1/2569"
    assert plan.measures.filter(title__endswith="(ปรับตามมติคณะทำงาน)").count() == 1
    screenshot(page, "2-working-group-approved", guide=True)


def test_administrator_downloads_publishes_and_the_public_link_opens_without_login(page, open_context):
    plan, _ = make_approved_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา"))
    member(plan.assessment.organisation, Role.ADMINISTRATOR, username="admin1", password=PASSWORD)
    log_in(page, "admin1")
    page.goto(f"/plans/{plan.pk}/documents/")
    # The first download is rendered in the background: the job's page, then its download link.
    page.get_by_role("link", name="ดาวน์โหลด PDF (ยังไม่เผยแพร่)").first.click()
    expect(page.locator("#job")).to_have_attribute("data-status", "done")
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลด PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.goto(f"/plans/{plan.pk}/documents/")

    page.get_by_role("button", name="เผยแพร่ (สร้างฉบับ PDF ที่ไม่เปลี่ยนแปลง)").first.click()
    expect(page.locator("main")).to_contain_text("ฉบับที่")
    published = PublishedDocument.objects.get()
    # Published and unchanged: the download is the published version, publishing again waits for a change.
    analysis = page.locator("#document-analysis")
    expect(analysis.get_by_role("link", name="ดาวน์โหลด PDF (ฉบับเผยแพร่)")).to_be_visible()
    expect(analysis.get_by_role("button", name="เผยแพร่")).to_be_disabled()
    expect(analysis).to_contain_text("ตรงกับข้อมูลปัจจุบันแล้ว")

    page.goto(f"/plans/{plan.pk}/documents/analysis/")  # the A4 preview (checked by axe too)
    expect(page.get_by_role("navigation", name="เอกสาร")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ส่วนที่")
    page.goto(f"/plans/{plan.pk}/documents/memo/update/")  # the memo's form, for the guide
    screenshot(page, "3-memo-form", guide=True)
    page.goto(f"/plans/{plan.pk}/documents/")
    # The announcement: its date and signer, a version for signing, the signed scan, then public.
    page.get_by_role("link", name="กรอกวันที่และผู้ลงนามประกาศ").click()
    page.fill("[name=date]", "๑/๑๐/๒๕๖๘")
    page.fill("[name=signer_name]", "นายสมชาย รักษ์ถิ่น")
    page.get_by_role("button", name="บันทึก").click()
    announcement = page.locator("#document-announcement")
    expect(announcement.locator(".garuda-missing")).to_contain_text("ยังไม่มีภาพครุฑ")
    announcement.get_by_label("ยืนยันสร้างฉบับโดยไม่มีภาพครุฑ").check()
    announcement.get_by_role("button", name=re.compile("สร้างฉบับสำหรับลงนาม")).click()
    expect(page.locator("#signing-announcement")).to_contain_text("ฉบับที่ 1 รอฉบับที่ลงนาม")
    assert not PublishedDocument.objects.get(kind="announcement").is_public
    signed = page.locator("#signing-announcement")
    expect(signed.locator(".thai-file-chosen")).to_have_text("ยังไม่ได้เลือกไฟล์")  # the portal's Thai
    signed.locator("input[type=file]").set_input_files(
        files=[{"name": "ประกาศที่ลงนามแล้ว.pdf", "mimeType": "application/pdf", "buffer": SIGNED_SCAN}]
    )
    expect(signed.locator(".thai-file-chosen")).to_have_text("ประกาศที่ลงนามแล้ว.pdf")
    signed.screenshot(path=str(SCREENSHOTS / "file-input.png"))
    page.get_by_role("button", name="อัปโหลดฉบับที่ลงนามแล้ว").click()
    page.get_by_role("button", name="เผยแพร่ฉบับที่ลงนาม (ฉบับที่ 1)").click()
    expect(page.locator("main")).to_contain_text("(ฉบับที่ลงนาม) แล้ว")
    page.evaluate("document.querySelector('#document-announcement').scrollIntoView()")
    screenshot(page, "3-documents-signed", guide=True)

    stranger = open_context()  # no login
    try:
        response = stranger.request.get(f"/public/documents/{published.public_id}.pdf")
        assert response.status == 200 and response.body().startswith(b"%PDF-")
        assert response.headers["content-type"] == "application/pdf"
        stable = f"/public/organisations/{plan.assessment.organisation.pk}/{plan.plan_year}/announcement.pdf"
        assert stranger.request.get(stable).body() == SIGNED_SCAN  # the signed copy, byte for byte
        public = stranger.new_page()
        public.goto(f"/public/organisations/{plan.assessment.organisation.pk}/")
        expect(public.locator("body")).to_contain_text(plan.assessment.organisation.name)
        expect(public.locator("body")).to_contain_text("ลิงก์ถาวร")
        expect(public.locator("body")).to_contain_text("ประกาศ เรื่อง มาตรการส่งเสริมคุณธรรม")
        screenshot(public, "3-public-page", guide=True)
    finally:
        stranger.close()


def test_a_provincial_overseer_follows_the_plans_of_the_province(page):
    from django.contrib.auth import get_user_model

    from assessments.models import Oversight

    for name in ("องค์การบริหารส่วนตำบลวังหมี", "องค์การบริหารส่วนตำบลโคกกรวด"):
        make_approved_plan(OrganisationFactory(name=name, province="นครราชสีมา"))
    make_approved_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลนอกพื้นที่", province="ตาก"))
    overseer = get_user_model().objects.create_user("korat", password=PASSWORD)
    Oversight.objects.create(user=overseer, province="นครราชสีมา")
    log_in(page, "korat")
    page.get_by_role("link", name="ภาพรวมการดำเนินการตามมาตรการ").click()
    expect(page.locator("#overview")).to_contain_text("องค์การบริหารส่วนตำบลโคกกรวด")
    expect(page.locator("#overview")).not_to_contain_text("นอกพื้นที่")
    expect(page.locator("main")).to_contain_text("พบ 2 แผน")
    screenshot(page, "4-overseer-overview", guide=True)
    page.get_by_role("link", name="ภาพรวมผลการประเมิน").first.click()
    expect(page.locator("h1")).to_contain_text("ภาพรวมผลการประเมิน ปีงบประมาณ พ.ศ. 2568")
    expect(page.locator("main")).to_contain_text("หน่วยงาน 2 แห่ง")
    page.locator("summary", has_text="แยกตามจังหวัด").click()  # the heat map's table, folded under it
    expect(page.locator("#table-heat")).to_contain_text("นครราชสีมา")
    expect(page.locator("#table-heat")).not_to_contain_text("ตาก")
    with page.expect_download() as download:
        page.locator('a[data-table="heat"]').click()
    assert download.value.suggested_filename == "ita-dashboard-2568-heat.xlsx"
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "4-overseer-dashboard", guide=True)


def test_an_overseer_of_one_organisation_reaches_the_dashboard_from_home(page):
    from django.contrib.auth import get_user_model

    from assessments.models import Oversight

    make_approved_plan(OrganisationFactory(name="องค์การบริหารส่วนตำบลแม่ระมาด", province="ตาก"))
    overseer = get_user_model().objects.create_user("tak", password=PASSWORD)
    Oversight.objects.create(user=overseer, province="ตาก")
    log_in(page, "tak")
    expect(page.get_by_role("heading", name="หน่วยงานที่ติดตาม")).to_be_visible()  # not "ของฉัน"
    expect(page.get_by_role("link", name="มาตรการได้ผลหรือไม่")).to_be_visible()
    page.get_by_role("link", name="ภาพรวมผลการประเมิน").click()
    expect(page.locator("main")).to_contain_text("หน่วยงาน 1 แห่ง")


def test_a_character_counter_shows_only_near_the_limit(page):
    organisation = OrganisationFactory()
    wg = member(organisation, Role.WORKING_GROUP, username="counter", password=PASSWORD)
    plan, _ = make_plan(organisation, user=wg)
    log_in(page, "counter")
    page.goto(f"/measures/{plan.measures.first().pk}/update/")
    title = page.locator("#id_title")
    counter = page.locator("#id_title + .char-counter")
    title.fill("ก" * 100)
    expect(counter).to_be_hidden()  # a title of at most 255 characters: far from it
    title.fill("ก" * 210)
    expect(counter).to_have_text("210/255 ตัวอักษร")
    title.fill("ก" * 256)
    expect(counter).to_contain_text("เกิน 1 ตัวอักษร")


def test_the_cancel_reason_shows_only_for_a_cancelled_measure(page):
    organisation = OrganisationFactory()
    plan, _ = make_approved_plan(organisation)
    member(organisation, Role.STAFF, username="reporter", password=PASSWORD)
    log_in(page, "reporter")
    page.goto(f"/measures/{plan.measures.first().pk}/progress/")
    reason = page.locator("#id_progress-cancel_reason")
    expect(reason).to_be_hidden()
    page.locator("#id_progress-status").select_option("cancelled")
    expect(reason).to_be_visible()
    page.locator("#id_progress-status").select_option("in_progress")
    expect(reason).to_be_hidden()
