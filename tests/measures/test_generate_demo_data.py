"""The national data generator: consistent rows (every model's own checks pass), the national
proportions, scores near the year's mean, repeatable with a seed, never mixed with real rows."""

from decimal import Decimal
from statistics import mean

import pytest
from django.core.management import CommandError, call_command

from assessments.choices import OrganisationType
from assessments.models import Assessment, IndicatorScore, Organisation, QuestionScore
from assessments.selectors import assessment_results
from assessments.services import results_drifted
from measures.models import COUNTER_FIELDS, Measure, MeasurePlan, ProgressUpdate
from measures.services import plan_counters_refresh

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def generate(*args):
    call_command("generate_demo_data", "--organisations", "100", "--years", "2567-2568", *args, verbosity=0)


def test_it_builds_consistent_records_in_the_national_proportions():
    generate("--plans")
    organisations = Organisation.objects.filter(code__startswith="GEN-")
    assert organisations.count() == 100
    assert organisations.filter(org_type=OrganisationType.PAO).count() == 76  # one per province first
    assert Assessment.objects.count() == 200 and IndicatorScore.objects.count() == 2000
    assert QuestionScore.objects.exists()
    for model in (
        Organisation,
        Assessment,
        IndicatorScore,
        QuestionScore,
        MeasurePlan,
        Measure,
        ProgressUpdate,
    ):
        for row in model.objects.order_by("?")[:20]:
            row.full_clean()  # the model's own validation: ranges, choices, uniqueness
    scores_2568 = IndicatorScore.objects.filter(assessment__fiscal_year__year=2568).values_list(
        "score", flat=True
    )
    assert abs(mean(scores_2568) - Decimal("93.82")) < 3
    results = assessment_results(Assessment.objects.with_scores().filter(fiscal_year__year=2568))
    assert all(item.result is not None and item.result.level for item in results)
    assert MeasurePlan.objects.count() == 200 and Measure.objects.count() > 2000
    # The stored results and plan counters are what the services would have stored.
    assert Assessment.objects.filter(overall__isnull=True).count() == 0
    assert results_drifted(Assessment.objects.all()) == []
    before = list(MeasurePlan.objects.order_by("pk").values_list(*COUNTER_FIELDS))
    plan_counters_refresh(MeasurePlan.objects.all())
    assert list(MeasurePlan.objects.order_by("pk").values_list(*COUNTER_FIELDS)) == before
    assert MeasurePlan.objects.filter(measure_count=0).count() == 0
    # New rows after the generated ones get ids of their own (sequences moved on).
    Organisation.objects.create(name="อบต.หลังข้อมูลจำลอง", org_type="sao", district="เมือง", province="ตาก")


def test_the_same_seed_gives_the_same_data_and_a_second_run_needs_replace():
    generate("--seed", "7")
    first = list(
        IndicatorScore.objects.order_by(
            "assessment__organisation__code", "indicator__number", "assessment__fiscal_year__year"
        ).values_list("score", flat=True)
    )
    with pytest.raises(CommandError, match="--replace"):
        generate("--seed", "7")
    generate("--seed", "7", "--replace")
    again = list(
        IndicatorScore.objects.order_by(
            "assessment__organisation__code", "indicator__number", "assessment__fiscal_year__year"
        ).values_list("score", flat=True)
    )
    assert first == again


def test_bad_years_are_refused_in_thai():
    with pytest.raises(CommandError, match="ต้องเป็นปี พ.ศ."):
        call_command("generate_demo_data", "--years", "2025-2026", verbosity=0)


def test_generated_measures_know_their_planned_end():
    generate("--plans")
    for measure in Measure.objects.select_related("plan").order_by("?")[:50]:
        assert measure.planned_end_on == measure.planned_end
