"""Did the measures work? Across the organisations a user follows, each indicator's change by
what the plans did about it (the statistics: ``assessments.analytics.measure_effect``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessments import analytics
from ita_portal.snapshot import snapshot
from measures.choices import PlanStatus
from measures.models import Measure, MeasurePlan

from . import dashboard
from .tables import CHANGE, COUNT, Column, Table


@dataclass
class MeasureEffect:
    year: int  # the year the plan's measures ran and the result they are compared on (N+1)
    organisations: int
    with_plan: int  # organisations with an approved or published plan for ``year``
    min_group: int
    table: Any  # the analytics frame: indicator, year, next_year, group, size, mean, low, high, shown
    indicator_names: dict[int, str]


@snapshot()
def measure_effect(user, year: int, filters, *, min_group: int) -> MeasureEffect:
    """For the organisations ``user`` follows (narrowed by ``filters``): each indicator's change
    from ``year`` − 1 to ``year`` by what the plan for ``year`` did about it. Plans count once
    approved (a draft was never carried out). Ten queries, whatever the number of organisations,
    seeing one snapshot of the database."""
    import pandas as pd

    scope = dashboard.organisations_in_scope(user, filters)
    frames = dashboard.read_frames(scope, years=(year - 1, year))
    plans = MeasurePlan.objects.filter(
        assessment__organisation__in=scope,
        plan_year=year,
        status__in=(PlanStatus.APPROVED, PlanStatus.PUBLISHED),
    )
    measures = pd.DataFrame(
        list(
            # No ORDER BY (the model orders by plan and position): 116,000 rows sorted on disk for nothing.
            Measure.objects.filter(plan__in=plans)
            .order_by()
            .values_list(
                "plan__assessment__organisation_id", "plan__plan_year", "indicator__number", "kind", "status"
            )
        ),
        columns=["organisation", "plan_year", "indicator", "kind", "status"],
    )
    table = analytics.measure_effect(frames.scores, measures, min_group=min_group)
    return MeasureEffect(
        year=year,
        organisations=len(frames.organisations),
        with_plan=plans.count(),
        min_group=min_group,
        table=table[table["year"] == year - 1].reset_index(drop=True),
        indicator_names={number: name for (y, number), name in frames.indicators.items() if y == year},
    )


def measure_effect_table(effect: MeasureEffect):
    """The effect as a dashboard table (page and .xlsx): a row per indicator and group."""

    def number(value):
        return None if value != value else float(value)  # NaN → None

    too_small = f"น้อยกว่า {effect.min_group} แห่ง ไม่แสดงค่าเฉลี่ย"
    return Table(
        "effect",
        f"คะแนนตัวชี้วัดที่เปลี่ยนจากปี {effect.year - 1} เป็นปี {effect.year} แยกตามมาตรการในแผนปี {effect.year}",
        (
            Column("ตัวชี้วัดที่"),
            Column("ชื่อตัวชี้วัด"),
            Column("กลุ่มหน่วยงาน"),
            Column("จำนวนหน่วยงาน", COUNT),
            Column("คะแนนที่เปลี่ยน (เฉลี่ย)", CHANGE),
            Column("ช่วงความเชื่อมั่น 95% ต่ำสุด", CHANGE),
            Column("ช่วงความเชื่อมั่น 95% สูงสุด", CHANGE),
            Column("หมายเหตุ"),
        ),
        [
            [
                str(r.indicator),
                effect.indicator_names.get(r.indicator, ""),
                analytics.GROUP_LABELS[r.group],
                int(r.size),
                number(r.mean),
                number(r.low),
                number(r.high),
                "" if r.shown else too_small,
            ]
            for r in effect.table.itertuples()
        ],
        note=f"{analytics.ASSOCIATION_NOTE} ช่วงความเชื่อมั่น 95% คำนวณด้วยการแจกแจงแบบ t "
        f"แสดงเฉพาะกลุ่มที่มีอย่างน้อย {effect.min_group} หน่วยงาน",
    )
