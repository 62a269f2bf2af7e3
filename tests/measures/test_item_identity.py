"""OIT items keep their identity across years: a plan of 2569 made from 2568's result names each
item as 2569 numbers it (2568's o26 is 2569's O24), its references resolve through the key, the
checks accept a code written with its year, and a template relying on an item the plan's year
does not have is refused at load."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.choices import Role
from measures import checks
from measures.services import measure_templates_load, plan_generate
from tests.factories import AssessmentFactory, member

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "fixtures/measure_templates.json"
# 2568's OIT items of indicator 10, all published but o26 (the prevention plan's report).
ITEMS_2568 = {code: "100" for code in ("o21", "o22", "o23", "o24", "o25", "o27")} | {"o26": "0"}


@pytest.fixture
def plan_and_wg():
    assessment = AssessmentFactory(questions=ITEMS_2568)
    wg = member(assessment.organisation, Role.WORKING_GROUP)
    return plan_generate(assessment=assessment, user=wg).plan, wg


def test_a_2569_plan_from_2568_items_cites_2569_codes(plan_and_wg):
    plan, _wg = plan_and_wg
    measure = plan.measures.get(question_codes="o26")
    assert "ข้อ O24 (ปี 2569)" in measure.title + measure.steps  # the same item, as 2569 numbers it
    assert "ข้อ o26 ตามคู่มือ" not in measure.steps and "ข้อ O26" not in measure.title + measure.steps
    assert "o26" in measure.analysis  # the result being analysed is 2568's: its own code
    assert plan.measures.count() and not any(  # generated texts pass the checks
        checks.check_text(m.title + "\n" + m.steps, checks_facts(plan)) for m in plan.measures.all()
    )


def checks_facts(plan):
    from measures.selectors import plan_facts

    return plan_facts(plan)


def test_references_resolve_through_the_key_on_the_page_and_in_the_report(client, plan_and_wg):
    plan, wg = plan_and_wg
    measure = plan.measures.get(question_codes="o26")
    measure.relies_on = "o26, o25"
    measure.save()
    client.force_login(wg)
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    register = reverse("oit:register", args=[plan.assessment.organisation_id, 2569])
    assert f'href="{register}#item-O24"' in page and ">O24 (ปี 2569)</a>" in page
    assert ">O23 (ปี 2569)</a>" in page  # 2568's o25, the prevention plan, is 2569's O23
    html = client.get(reverse("reports:document-html", args=[plan.pk, "analysis"])).content.decode()
    assert "(อ้างอิง O24 (ปี ๒๕๖๙), O23 (ปี ๒๕๖๙))" in html  # the document prints Thai digits


def test_a_code_written_with_its_year_is_checked_against_that_year():
    facts = checks.Facts(
        indicator_names={10: "การป้องกันการทุจริต"},
        indicator_scores={},
        question_codes=frozenset({"o26"}),
        other_scores=frozenset(),
        codes_by_year={2568: frozenset({"o26"}), 2569: frozenset({"O24"})},
    )
    assert checks.check_text("จัดทำรายงานตามข้อ O24 (ปี 2569)", facts) == []
    assert sorted(f.message for f in checks.check_text("ตามข้อ O40 (ปี 2569) และข้อ O24", facts)) == [
        "ปี 2569 ไม่มีข้อ O40",
        "ปีที่ประเมินไม่มีข้อ O24",
    ]


def test_a_template_relying_on_an_item_the_plans_year_lacks_is_refused_at_load():
    data = json.loads(TEMPLATES.read_text("utf-8"))
    entry = next(t for t in data["templates"] if t["key"] == "q-o26" and t["year"] == 2568)
    entry["relies_on"] = ["o26", "o11"]  # 2568's o11 (service statistics) is not a 2569 item
    index = data["templates"].index(entry) + 1
    with pytest.raises(ValidationError) as refused:
        measure_templates_load(data=data)
    assert refused.value.messages == [
        f"แม่แบบที่ {index} (q-o26, ปี 2568): อ้างอิงข้อ OIT ของปี 2568 ที่ไม่มีในรายการปี 2569 (ปีของแผน): "
        "o11 “ข้อมูลเชิงสถิติการให้บริการ”"
    ]
