"""A plan keeps the order the working group gives it: adding a measure, changing a measure's
indicator or regenerating never re-sorts the others by indicator."""

import pytest

from measures.choices import PlanStatus
from measures.services import measure_create, measure_move, measure_update, plan_generate
from tests.factories import OrganisationFactory, make_plan, plan_with_measures

pytestmark = pytest.mark.django_db


def order_of(plan):
    """Indicator numbers of the plan's measures, tool by tool, as the plan prints them."""
    return [
        m.indicator.number
        for m in sorted(
            plan.measures.select_related("indicator__tool"), key=lambda m: (m.indicator.tool.order, m.order)
        )
    ]


def values(plan, number, title):
    return {
        "indicator": plan.assessment.fiscal_year.indicators.get(number=number),
        "title": title,
        "analysis": "-",
        "steps": "-",
        "period_start": 1,
        "period_end": 4,
        "responsible_unit": "สำนักปลัด",
        "question_codes": "",
        "relies_on": "",
        "urgent": False,
    }


def test_moves_survive_adding_and_changing_measures():
    plan, working_group = plan_with_measures(numbers=[1, 2, 3, 9, 10], status=PlanStatus.DRAFT)
    second = plan.measures.get(indicator__number=2)
    measure_move(measure=second, user=working_group, up=True)
    assert order_of(plan) == [2, 1, 3, 9, 10]

    measure_create(plan=plan, user=working_group, values=values(plan, 4, "มาตรการเพิ่มเติม"))
    assert order_of(plan) == [2, 1, 3, 4, 9, 10]  # last of its tool; the moved ones stay

    third = plan.measures.get(indicator__number=3)
    measure_update(measure=third, user=working_group, values={"indicator": values(plan, 5, "")["indicator"]})
    assert order_of(plan) == [2, 1, 5, 4, 9, 10]  # same tool: keeps its place

    first = plan.measures.get(indicator__number=1)
    to_oit = {"indicator": values(plan, 9, "")["indicator"], "question_codes": ""}
    measure_update(measure=first, user=working_group, values=to_oit)
    assert order_of(plan) == [2, 5, 4, 9, 10, 9]  # another tool: last of that tool


def test_regenerating_keeps_the_working_groups_order():
    plan, working_group = make_plan(OrganisationFactory())
    before = order_of(plan)
    assert len(before) >= 3
    last = plan.measures.order_by("-order").first()
    tool_measures = plan.measures.filter(indicator__tool=last.indicator.tool).order_by("order")
    moved = tool_measures.last()
    measure_move(measure=moved, user=working_group, up=True)
    moved_order = order_of(plan)
    assert moved_order != before
    plan_generate(assessment=plan.assessment, user=working_group)
    assert order_of(plan) == moved_order


def test_adding_under_a_tool_preselects_its_first_indicator(client):
    from django.urls import reverse

    plan, working_group = plan_with_measures(numbers=[1, 9], status=PlanStatus.DRAFT)
    client.force_login(working_group)
    page = client.get(reverse("measures:plan-detail", args=[plan.pk])).content.decode()
    oit_first = plan.assessment.fiscal_year.indicators.filter(tool__code="OIT").order_by("number").first()
    add_oit = f"{reverse('measures:measure-create', args=[plan.pk])}?indicator={oit_first.pk}"
    assert f'href="{add_oit}">เพิ่มมาตรการ (OIT)' in page
    form = client.get(add_oit).content.decode()
    assert f'<option value="{oit_first.pk}" selected>' in form
