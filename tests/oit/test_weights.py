"""An honest OIT estimate: equal weights by default and said so; the framework's item and
sub-indicator weights (admin-editable data) when entered — reproducing reference 000, whose
indicator 10 NACC published as 85.00 with only o26 missing, where equal items give 83.33."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.choices import Role
from assessments.models import FiscalYear, Question, SubIndicator
from oit import estimate as oit
from tests.factories import RegisterItemFactory, member
from tests.oit.test_register import states

pytestmark = pytest.mark.django_db


def weigh_2568_as_reference_000_fits() -> None:
    """10.1 and 10.2 weigh the same; in 10.2 the prevention plan's report (o26) weighs 30 %."""
    SubIndicator.objects.filter(indicator__fiscal_year__year=2568, code__in=["10.1", "10.2"]).update(
        weight=Decimal("50")
    )
    for code, weight in {"o25": "35", "o26": "30", "o27": "35"}.items():
        Question.objects.filter(fiscal_year__year=2568, code=code).update(weight=Decimal(weight))
    for code in ("o21", "o22", "o23", "o24"):
        Question.objects.filter(fiscal_year__year=2568, code=code).update(weight=Decimal("25"))


def weighted_states(**changed):
    weights = {
        q.code: q for q in Question.objects.filter(fiscal_year__year=2568).select_related("sub_indicator")
    }
    return [
        oit.ItemState(
            code=s.code,
            indicator=s.indicator,
            sub_indicator=s.sub_indicator,
            state=s.state,
            weight=weights[s.code].weight,
            sub_weight=weights[s.code].sub_indicator.weight if weights[s.code].sub_indicator else None,
        )
        for s in states(2568, **changed)
    ]


def test_equal_weights_give_83_33_and_say_so():
    found = oit.readiness(weighted_states(o26=oit.MISSING))
    assert found.indicators[10] == Decimal("83.33")  # 10.1 = 100, 10.2 = 66.67: not what NACC published
    assert not found.weighted and "น้ำหนักเท่ากัน" in found.assumption


def test_the_weights_that_fit_reproduce_reference_000s_85():
    weigh_2568_as_reference_000_fits()
    found = oit.readiness(weighted_states(o26=oit.MISSING))
    assert found.sub_indicators["10.2"] == Decimal("70.00")  # reference 001's "70.00"
    assert found.indicators[10] == Decimal("85.00")  # reference 000's published indicator 10
    assert found.weighted and "ยังไม่ได้ยืนยัน" in found.assumption
    assert oit.readiness(weighted_states(o26=oit.MISSING), weights_confirmed=True).assumption.startswith(
        "ใช้น้ำหนักของแต่ละข้อตามคู่มือ"
    )


def test_the_register_leads_with_what_is_certain_and_names_its_assumption(client, org):
    weigh_2568_as_reference_000_fits()
    for question in Question.objects.filter(fiscal_year__year=2568, kind="oit_item").exclude(code="o26"):
        RegisterItemFactory(organisation=org, year=2568, code=question.code)
    client.force_login(member(org, Role.STAFF))
    page = client.get(reverse("oit:register", args=[org.pk, 2568])).content.decode()
    assert "พร้อม 26/27" in page
    assert "ตัวชี้วัดที่ 10 85.00" in page
    assert "ซึ่งยังไม่ได้ยืนยันกับคู่มือการประเมิน" in page
    FiscalYear.objects.filter(year=2568).update(oit_weights_confirmed=True)
    assert "ตามคู่มือการประเมินของปีนี้" in client.get(reverse("oit:register", args=[org.pk, 2568])).content.decode()


def test_the_loader_reads_weights_and_leaves_them_equal_by_default():
    assert not Question.objects.filter(fiscal_year__year=2568, weight__isnull=False).exists()
    assert not FiscalYear.objects.get(year=2568).oit_weights_confirmed


def test_weights_are_framework_data_loaded_from_the_file():
    import json
    from pathlib import Path

    from assessments.services import framework_load

    data = json.loads(
        (Path(__file__).resolve().parents[2] / "fixtures/frameworks/2568.json").read_text("utf-8")
    )
    next(q for q in data["questions"] if q["code"] == "o26")["weight"] = "30"
    next(s for s in data["sub_indicators"] if s["code"] == "10.2")["weight"] = "50"
    data["oit_weights_confirmed"] = True
    framework_load(data=data)
    assert Question.objects.get(fiscal_year__year=2568, code="o26").weight == Decimal("30")
    assert SubIndicator.objects.get(indicator__fiscal_year__year=2568, code="10.2").weight == Decimal("50")
    assert FiscalYear.objects.get(year=2568).oit_weights_confirmed
