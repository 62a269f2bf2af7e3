"""Measures a working group would write: specific templates (at most a quarter of the demo's
proposals generic, by the rule in ``measures.generation.is_generic``), the four slips fixed, and a
measurable target and an optional budget on every measure, through the form, the page, the
documents and the workbook."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import selectors
from assessments.models import Assessment
from measures.generation import boilerplate, is_generic
from measures.models import Measure, MeasureTemplate
from measures.services.plans import plan_proposals
from tests.factories import plan_with_measures

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_at_most_a_quarter_of_the_demos_proposals_are_generic(settings):
    settings.DEBUG = True
    call_command("load_demo", "--today", "6/12/2569", verbosity=0)
    templates = {t.pk: t.steps for t in MeasureTemplate.objects.all()}
    shared = boilerplate(list(templates.values()))
    newest = {}
    for assessment in Assessment.objects.order_by("fiscal_year__year"):
        newest[assessment.organisation_id] = assessment
    assert len(newest) == 5
    proposals = [
        p
        for a in newest.values()
        for p in plan_proposals(selectors.assessment_analysis(Assessment.objects.with_scores().get(pk=a.pk)))
    ]
    generic = [p for p in proposals if is_generic(p, templates.get(p.template_id), shared)]
    assert len(generic) <= len(proposals) / 4, [p.title for p in generic]
    assert all(p.target and "{" not in p.target for p in proposals)  # a filled, measurable target each


def test_the_rule_counts_what_a_working_group_would_rewrite():
    shared = boilerplate(["เผยแพร่บนเว็บไซต์\nตรวจลิงก์"] * 11 + ["อื่น"])
    assert shared == {"เผยแพร่บนเว็บไซต์", "ตรวจลิงก์"}

    class P:
        title = "มาตรการยกระดับตัวชี้วัดที่ 3 การใช้อำนาจ"

    class Q:
        title = "มาตรการประกาศหลักเกณฑ์การมอบหมายงาน"

    assert is_generic(P, "ขั้นตอนเฉพาะ", shared) and is_generic(Q, None, shared)
    assert is_generic(Q, "เผยแพร่บนเว็บไซต์\nตรวจลิงก์", shared)
    assert not is_generic(Q, "ประกาศหลักเกณฑ์\nตรวจลิงก์", shared)


def template(year, code) -> MeasureTemplate:
    return MeasureTemplate.objects.get(fiscal_year__year=year, question__code=code)


def test_the_four_slips_are_fixed():
    assert "สินบน" in template(2568, "o23").steps  # 2568's o23 is the bribery-risk assessment
    assert ".xlsx หรือ .csv" in template(2568, "o12").steps  # the machine-readable procurement table
    assert "วัฒนธรรมไม่รับของขวัญ" in template(2568, "o21").steps  # the culture-building half
    half_year = MeasureTemplate.objects.filter(question__kind="oit_item", steps__contains="รอบ 6 เดือน")
    assert half_year and all(t.period_end <= 3 for t in half_year)  # online before the OIT check ends
    assert all(t.target for t in MeasureTemplate.objects.all())


def test_a_target_and_a_budget_in_thai_digits_through_the_form_page_documents_and_workbook(client):
    plan, wg = plan_with_measures(status="draft")
    measure = plan.measures.get(indicator__number=1)
    client.force_login(wg)
    url = reverse("measures:measure-update", args=[measure.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(version=measure.version, target="บุคลากรร้อยละ ๑๐๐ ได้รับแจ้งหลักเกณฑ์", budget="ห้าหมื่น")
    refused = client.post(url, data)
    assert "กรุณากรอกจำนวนเงินเป็นตัวเลข เช่น 50,000" in refused.content.decode()
    assert 'value="บุคลากรร้อยละ ๑๐๐ ได้รับแจ้งหลักเกณฑ์"' in refused.content.decode()  # what was typed kept
    data["budget"] = "๕๐,๐๐๐.๕๐ บาท"
    client.post(url, data)
    measure.refresh_from_db()
    assert str(measure.budget) == "50000.50" and measure.target.startswith("บุคลากรร้อยละ ๑๐๐")
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    assert "50,000.50 บาท" in page and "ค่าเป้าหมาย:</span> บุคลากรร้อยละ ๑๐๐" in page
    html = client.get(reverse("reports:document-html", args=[plan.pk, "analysis"])).content.decode()
    assert "ตัวชี้วัด/ค่าเป้าหมาย: บุคลากรร้อยละ ๑๐๐" in html and "งบประมาณ ๕๐,๐๐๐.๕๐ บาท" in html
    book = client.get(reverse("measures:plan-progress-export", args=[plan.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    headers = [c.value for c in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[3] == measure.title)
    assert row[headers.index("งบประมาณ (บาท)")] == 50000.5  # a number, not text
    assert row[headers.index("ตัวชี้วัด/ค่าเป้าหมาย")].startswith("บุคลากรร้อยละ")
    assert Measure.objects.filter(budget__isnull=True).count() == plan.measures.count() - 1
