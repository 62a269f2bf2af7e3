"""The OIT register: readiness worked by hand for 2568 and 2569, the page (who may, saving all rows
or none, stale saves), copying forward by key, the checker through its task against a local
server, the home card, the analysis page, measures' links and the workbook."""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from http.server import ThreadingHTTPServer

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.choices import QuestionKind, Role
from assessments.models import FiscalYear, Oversight, Question
from ita_portal.models import Job
from oit import estimate as oit
from oit import selectors as register
from oit.choices import RegisterStatus
from oit.models import LinkCheck, RegisterItem
from oit.services import register_copy_forward, register_open
from tests.factories import OrganisationFactory, UserFactory, make_wangmee, member
from tests.oit.test_linkcheck import Handler

pytestmark = pytest.mark.django_db


def states(year: int, **changed: str) -> list[oit.ItemState]:
    """Every OIT item of ``year`` ready, but those named (code → state)."""
    items = Question.objects.filter(fiscal_year__year=year, kind=QuestionKind.OIT_ITEM).select_related(
        "indicator", "sub_indicator"
    )
    return [
        oit.ItemState(
            code=q.code,
            indicator=q.indicator.number,
            sub_indicator=q.sub_indicator.code if q.sub_indicator else "",
            state=changed.get(q.code, oit.READY),
        )
        for q in items.order_by("order")
    ]


def test_readiness_2568_worked_by_hand():
    # 9.1 o1–o4 all: 100 · 9.2 o5–o11 without o6: 6/7 = 85.714… · 9.3 o12–o13 without o13: 50
    # 9.4, 9.5: 100 → indicator 9 = (100 + 85.714… + 50 + 100 + 100) / 5 = 87.142… → 87.14
    # 10.1 o21–o24 with o22 broken: 75 · 10.2 o25–o27 with o26 outdated: 66.666…
    # → indicator 10 = 70.833… → 70.83; OIT = (87.142… + 70.833…) / 2 = 78.988… → 78.99
    found = oit.readiness(states(2568, o6=oit.MISSING, o13=oit.MISSING, o22=oit.BROKEN, o26=oit.OUTDATED))
    assert found.items == 27
    assert (found.ready, found.missing, found.broken, found.outdated) == (23, 2, 1, 1)
    assert found.sub_indicators["9.2"] == Decimal("85.71") and found.sub_indicators["10.2"] == Decimal(
        "66.67"
    )
    assert found.indicators == {9: Decimal("87.14"), 10: Decimal("70.83")}
    assert found.tool == Decimal("78.99")


def test_readiness_2569_worked_by_hand():
    # 9.1 O1–O4 without O2: 75 · 9.2 O5–O10: 100 · 9.3 O11–O12 with O11 broken: 50 · 9.4, 9.5: 100
    # → indicator 9 = 425 / 5 = 85.00 · 10.1 O20–O22: 100 · 10.2 O23–O26 without O26: 75
    # → indicator 10 = 87.50; OIT = 86.25
    found = oit.readiness(states(2569, O2=oit.MISSING, O11=oit.BROKEN, O26=oit.MISSING))
    assert found.items == 26
    assert found.indicators == {9: Decimal("85.00"), 10: Decimal("87.50")}
    assert found.tool == Decimal("86.25")
    everything = oit.readiness(states(2569))
    assert everything.indicators == {9: Decimal("100.00"), 10: Decimal("100.00")} and everything.ready == 26


def test_readiness_rounds_once_at_the_end():
    # only o5 missing: 9.2 = 6/7; indicator 9 = (400 + 85.714285…) / 5 = 97.142857… → 97.14
    # (rounding 9.2 first to 85.71 would give 97.142 → the same here, and the same rule everywhere)
    found = oit.readiness(states(2568, o5=oit.MISSING))
    assert found.indicators[9] == Decimal("97.14") and found.indicators[10] == Decimal("100.00")


# --- The page ------------------------------------------------------------------------------------


@pytest.fixture
def agency():
    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลทะเบียน", province="ตาก")
    return organisation, member(organisation, Role.STAFF)


def url(organisation, year=2568):
    return reverse("oit:register", kwargs={"pk": organisation.pk, "year": year})


def form_data(organisation, year=2568, **rows):
    """The POST of the whole register with ``rows`` (code → dict of fields) changed."""
    data = {}
    items = RegisterItem.objects.filter(organisation=organisation, fiscal_year__year=year).select_related(
        "question"
    )
    for item in items:
        prefix = f"item-{item.pk}"
        values = {
            "urls": item.urls,
            "responsible": item.responsible,
            "status": item.status,
            "note": item.note,
        }
        values.update(rows.get(item.question.code, {}))
        data.update({f"{prefix}-{name}": value for name, value in values.items()})
        data[f"{prefix}-version"] = item.version
    return data


def test_who_may_open_and_edit_the_register(client, agency):
    organisation, staff = agency
    assert client.get(url(organisation)).status_code == 302  # to the login page
    client.force_login(staff)
    page = client.get(url(organisation))
    assert page.status_code == 200
    assert RegisterItem.objects.filter(organisation=organisation).count() == 27  # a row per 2568 item
    assert 'id="item-o27"' in page.content.decode()
    other = OrganisationFactory()
    assert client.get(url(other)).status_code == 404  # another organisation's register
    assert client.get(url(organisation, 2562)).status_code == 404  # a year without OIT items
    watcher = UserFactory()
    Oversight.objects.create(user=watcher, province="ตาก")
    client.force_login(watcher)
    page = client.get(url(organisation)).content.decode()
    assert "บันทึกทะเบียน" not in page and "ตรวจลิงก์ทั้งหมด" not in page  # reads only
    assert client.post(url(organisation), form_data(organisation)).status_code == 403
    check = reverse("oit:register-check", kwargs={"pk": organisation.pk, "year": 2568})
    assert client.post(check).status_code == 403


def test_saving_is_all_rows_or_none_with_thai_errors_next_to_the_field(client, agency):
    organisation, staff = agency
    client.force_login(staff)
    client.get(url(organisation))
    bad = form_data(
        organisation,
        o1={
            "urls": "https://www.example.go.th/structure",
            "status": RegisterStatus.PRESENT,
            "responsible": "สำนักปลัด",
        },
        o2={"urls": "www.example.go.th/executives"},  # no scheme
        o3={"status": RegisterStatus.PRESENT},  # marked present without a link
        o4={"urls": "\n".join(f"https://e.example/{n}" for n in range(6))},
    )
    page = client.post(url(organisation), bad).content.decode()
    assert "ยังบันทึกไม่ได้" in page
    assert "บรรทัดที่ 1 ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://" in page
    assert "ใส่ลิงก์ก่อนจึงจะเลือกสถานะ" in page and "ใส่ได้ไม่เกิน 5 ลิงก์ต่อรายการ" in page
    assert "www.example.go.th/executives" in page  # what was typed stays
    assert (
        not RegisterItem.objects.filter(organisation=organisation).exclude(urls="").exists()
    )  # nothing saved
    good = form_data(
        organisation,
        o1={
            "urls": "https://www.example.go.th/structure",
            "status": RegisterStatus.PRESENT,
            "responsible": "สำนักปลัด",
        },
    )
    response = client.post(url(organisation), good)
    assert response.status_code == 302
    item = RegisterItem.objects.get(organisation=organisation, question__code="o1")
    assert (item.urls, item.status, item.responsible, item.version) == (
        "https://www.example.go.th/structure",
        RegisterStatus.PRESENT,
        "สำนักปลัด",
        2,
    )
    assert item.history.count() == 1 and item.history.first().updated_by == staff  # rows are opened in bulk


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, agency):
    organisation, staff = agency
    client.force_login(staff)
    client.get(url(organisation))
    opened = form_data(organisation)  # the form as both people opened it
    mine = {**opened}
    theirs = form_data(
        organisation, o5={"urls": "https://other.example/plan", "status": RegisterStatus.PRESENT}
    )
    assert client.post(url(organisation), theirs).status_code == 302
    o4 = RegisterItem.objects.get(organisation=organisation, question__code="o4")
    mine[f"item-{o4.pk}-urls"] = "https://mine.example/news"
    page = client.post(url(organisation), mine).content.decode()
    assert "มีผู้อื่นบันทึกทะเบียน OIT ไปก่อนท่าน" in page and "รายการ o5" in page
    assert "https://mine.example/news" in page  # kept in the form
    assert not RegisterItem.objects.filter(urls="https://mine.example/news").exists()
    # Saved again from the refused page (which now carries the current versions): it goes through.
    again = form_data(organisation, o4={"urls": "https://mine.example/news"})
    assert client.post(url(organisation), again).status_code == 302
    assert RegisterItem.objects.get(pk=o4.pk).urls == "https://mine.example/news"
    assert (
        RegisterItem.objects.get(organisation=organisation, question__code="o5").urls
        == "https://other.example/plan"
    )


def test_copy_forward_matches_items_by_key_never_by_code(agency):
    organisation, staff = agency
    register_open(organisation=organisation, fiscal_year=FiscalYear.objects.get(year=2568))
    links = {
        "o1": "https://a.example/structure",  # โครงสร้างและอำนาจหน้าที่ → O1, same words
        "o20": "https://a.example/participation",  # → O19, reworded
        "o11": "https://a.example/service-statistics",  # no 2569 item: not O11 (procurement)
        "o10": "https://a.example/e-service",  # → O10 by key (the same code here by chance)
    }
    for code, link in links.items():
        RegisterItem.objects.filter(organisation=organisation, question__code=code).update(
            urls=link, status=RegisterStatus.CHECKED, responsible="กองคลัง"
        )
    year = FiscalYear.objects.get(year=2569)
    result = register_copy_forward(organisation=organisation, fiscal_year=year, user=staff)
    rows = {
        item.question.code: item
        for item in RegisterItem.objects.filter(organisation=organisation, fiscal_year=year).select_related(
            "question"
        )
    }
    assert (
        rows["O1"].urls == links["o1"] and rows["O1"].status == RegisterStatus.PRESENT
    )  # to be checked again
    assert rows["O1"].carried_warning == "คัดลอกจากข้อ o1 ปี 2568" and rows["O1"].responsible == "กองคลัง"
    assert rows["O19"].urls == links["o20"] and "ถ้อยคำของรายการเปลี่ยนไป" in rows["O19"].carried_warning
    assert rows["O10"].urls == links["o10"]
    assert rows["O11"].urls == ""  # o11 of 2568 is another item than O11 of 2569
    assert "รายการใหม่ของปี 2569" in rows["O2"].carried_warning  # no key: no item to match
    assert rows["O3"].carried_warning == "" and rows["O3"].urls == ""  # 2568's o3 had no link: left alone
    # new: O2, O6, O7 (no key), O11 (monthly procurement), O26 (integrity report)
    assert (result.copied, result.reworded, result.new) == (3, 1, 5)


# --- Checking, through the task, against a local server -------------------------------------------


@pytest.fixture
def local_site(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    settings.LINKCHECK_ALLOW_LOOPBACK = True
    settings.LINKCHECK_HOST_INTERVAL = 0
    settings.LINKCHECK_TIMEOUT = 1
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_checking_runs_as_a_job_and_keeps_its_history(client, agency, local_site):
    organisation, staff = agency
    client.force_login(staff)
    client.get(url(organisation))
    data = form_data(
        organisation,
        o1={"urls": f"{local_site}/ok", "status": RegisterStatus.PRESENT},
        o2={"urls": f"{local_site}/missing", "status": RegisterStatus.PRESENT},
        o5={"urls": f"{local_site}/old", "status": RegisterStatus.PRESENT},
        o6={"urls": f"{local_site}/needs-login\n{local_site}/ok", "status": RegisterStatus.PRESENT},
    )
    assert client.post(url(organisation), data).status_code == 302
    check = reverse("oit:register-check", kwargs={"pk": organisation.pk, "year": 2568})
    response = client.post(check)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "done" and "ตรวจ 4 ลิงก์แล้ว ผลรายข้อ: ใช้ได้ 2 · ควรตรวจ 1 · ใช้ไม่ได้ 2" in job.message
    # The register's editors are told which items to fix (notifications.reminders.broken_links).
    from notifications.models import Notification

    (told,) = Notification.objects.filter(kind="links_broken").values_list("text", flat=True).distinct()
    assert "พบข้อที่ลิงก์ใช้ไม่ได้หรือไม่เป็นปัจจุบัน 3 ข้อ" in told
    page = client.get(url(organisation)).content.decode()
    row = page[page.index('id="item-o2"') :]
    assert "✖ ลิงก์เสีย 404" in row[: row.index("</tr>")]
    row = page[page.index('id="item-o5"') :]
    assert "⚠ ยังเป็นเอกสารปี ๒๕๖๗" in row[: row.index("</tr>")]
    row = page[page.index('id="item-o6"') :]
    assert "✖ ต้องเข้าสู่ระบบจึงจะเปิดได้" in row[: row.index("</tr>")]
    readiness = register.register_page(organisation, FiscalYear.objects.get(year=2568)).readiness
    assert (readiness.ready, readiness.broken, readiness.outdated, readiness.missing) == (1, 2, 1, 23)
    client.post(check)  # again: history grows, one latest per link
    assert LinkCheck.objects.count() == 10 and LinkCheck.objects.filter(latest=True).count() == 5
    assert (
        RegisterItem.objects.get(organisation=organisation, question__code="o1").status
        == RegisterStatus.PRESENT
    )


def test_the_schedule_queues_registers_not_checked_lately(agency, local_site, settings):
    organisation, _staff = agency
    quiet = OrganisationFactory()
    year = FiscalYear.objects.get(year=2569)
    for org in (organisation, quiet):
        register_open(organisation=org, fiscal_year=year)
    RegisterItem.objects.filter(organisation=organisation, question__code="O1").update(
        urls=f"{local_site}/ok"
    )
    from django_tasks import default_task_backend

    queued = []
    original = default_task_backend.enqueue

    def spy(task, args, kwargs):
        queued.append(task.priority)
        return original(task, args, kwargs)

    default_task_backend.enqueue = spy
    try:
        call_command("check_oit_links", "--year", "2569", stdout=io.StringIO())
    finally:
        default_task_backend.enqueue = original
    assert Job.objects.filter(kind="linkcheck").count() == 1  # the register with a link only
    assert queued == [-50]  # behind anything a person queued
    assert LinkCheck.objects.filter(item__organisation=organisation).count() == 1  # run (immediate backend)
    out = io.StringIO()
    call_command("check_oit_links", "--year", "2569", stdout=out)
    assert "เข้าคิว 0 หน่วยงาน" in out.getvalue()  # checked today: not due


# --- Where readiness shows ----------------------------------------------------------------------


def test_home_card_and_analysis_page_show_readiness(client, agency, settings):
    organisation, staff = agency
    assessment = make_wangmee(organisation, user=staff)  # 2568
    year = FiscalYear.objects.get(year=2569)
    register_open(organisation=organisation, fiscal_year=year)
    RegisterItem.objects.filter(organisation=organisation, question__code__in=["O1", "O3"]).update(
        urls="https://a.example/x", status=RegisterStatus.PRESENT
    )
    client.force_login(staff)
    home = client.get(reverse("home")).content.decode()
    card = home[home.index("oit-readiness") :]
    assert "ทะเบียน OIT ปี 2569" in card and "พร้อม 2/26" in card and "ยังไม่มี 24" in card
    assert url(organisation, 2569) in card
    analysis = client.get(reverse("assessment-analysis", args=[assessment.pk])).content.decode()
    section = analysis[analysis.index('id="oit-readiness"') :]
    # 9.1 two of O1–O4 (50), nothing else: indicator 9 = 50 / 5 = 10.00, indicator 10 = 0.00
    assert "ความพร้อมของทะเบียน OIT ปี 2569" in section and "ตัวชี้วัดที่ 9 <strong>10.00</strong>" in section


def test_a_measure_citing_an_oit_item_links_to_its_row(client):
    from tests.factories import plan_with_measures

    plan, working_group = plan_with_measures(numbers=[9])
    measure = plan.measures.get()
    measure.question_codes = "o5"
    measure.save()
    client.force_login(working_group)
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    organisation = plan.assessment.organisation
    assert f'{url(organisation, 2568)}#item-o5"' in page


@pytest.mark.slow
def test_the_workbook_lists_every_item_with_the_portals_own_link_once_published(client, settings):
    import datetime

    from reports import services as report_services
    from reports.choices import DocumentKind
    from tests.factories import make_approved_plan

    organisation = OrganisationFactory(name="องค์การบริหารส่วนตำบลวังหมี", province="นครราชสีมา")
    plan, working_group = make_approved_plan(organisation)  # the plan for 2569
    administrator = member(organisation, Role.ADMINISTRATOR)
    client.force_login(working_group)
    export = reverse("oit:register-export", kwargs={"pk": organisation.pk, "year": 2569})
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(export).content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert len(rows) == 26 and rows["O25"][4] in (None, "")  # not published yet: no link
    report_services.document_publish(
        plan=plan, kind=DocumentKind.ANALYSIS, user=administrator, today=datetime.date(2025, 12, 1)
    )
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(export).content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    public = reverse(
        "reports:public-latest", kwargs={"org": organisation.pk, "year": 2569, "kind": "analysis"}
    )
    assert rows["O25"][4] == f"http://testserver{public}" and "เผยแพร่ผ่าน ITA Portal แล้ว" in rows["O25"][7]
    assert rows["O25"][2] == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" and rows["O25"][3]  # what it asks for
    page = register.register_page(organisation, FiscalYear.objects.get(year=2569))
    assert page.readiness.ready == 1  # the published report counts without a typed link


def test_home_makes_the_same_queries_with_3_or_30_registers(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Membership

    user = UserFactory()
    year = FiscalYear.objects.get(year=2569)

    def organisations(count):
        for _ in range(count):
            org = OrganisationFactory()
            Membership.objects.create(user=user, organisation=org, role=Role.STAFF)
            register_open(organisation=org, fiscal_year=year)
            item = RegisterItem.objects.filter(organisation=org, question__code="O1").get()
            item.urls, item.status = "https://a.example/x", RegisterStatus.PRESENT
            item.save()
            LinkCheck.objects.create(
                item=item,
                url=item.urls,
                checked_at="2026-11-01T00:00Z",
                verdict="fail",
                code="not_found",
                reason="x",
            )

    def queries():
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as context:
            page = client.get(reverse("home")).content.decode()
        assert "ลิงก์ใช้ไม่ได้ 1" in page
        return len(context.captured_queries)

    client.force_login(user)
    organisations(3)
    few = queries()
    organisations(27)
    assert queries() == few


@pytest.mark.django_db
def test_each_sub_indicator_heading_says_its_readiness_and_a_ready_group_is_marked_to_fold(client):
    from assessments.models import FiscalYear
    from tests.factories import OrganisationFactory, RegisterItemFactory, member

    organisation = OrganisationFactory()
    client.force_login(member(organisation, Role.STAFF))
    year = FiscalYear.objects.get(year=2569)
    first = year.questions.get(code__iexact="O1").sub_indicator
    codes = list(year.questions.filter(sub_indicator=first).values_list("code", flat=True))
    for code in codes:
        RegisterItemFactory(organisation=organisation, code=code)  # a link, present: ready
    page = client.get(f"/organisations/{organisation.pk}/oit/2569/").content.decode()
    heading = page[page.index(f'data-group="{first.pk}" data-all-ready=') :][:900]
    assert 'data-all-ready="1"' in heading and f"พร้อม {len(codes)}/{len(codes)}" in heading
    assert 'data-all-ready="0"' in page  # the other groups, not ready, stay open
    assert page.count(f'data-group="{first.pk}"') == len(codes) + 1  # the heading and its rows
