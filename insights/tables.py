"""The dashboard's tables: one definition for the page and the .xlsx (``insights.exports``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .dashboard import GROUP_NAMES, GROUPINGS

if TYPE_CHECKING:
    from .dashboard import Dashboard

TEXT, COUNT, SCORE, CHANGE, PERCENT = "text", "count", "score", "change", "percent"
TABLE_SLUGS = (
    "summary",
    "bands",
    "levels",
    "targets",
    "heat",
    "trend",
    "indicators_below",
    "items_below",
    "risers",
    "fallers",
)


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT  # how a cell is printed and written: TEXT, COUNT, SCORE, CHANGE or PERCENT


@dataclass(frozen=True)
class Table:
    """A table of the dashboard: its slug (the .xlsx's name), title, columns and rows of plain
    values (``None`` where there is nothing: printed as a dash, left empty in the .xlsx)."""

    slug: str
    title: str
    columns: tuple[Column, ...]
    rows: list[list]
    note: str = ""

    @property
    def cells(self) -> list[list[tuple[object, str]]]:
        """The rows as (value, column kind) pairs, for the template."""
        kinds = [column.kind for column in self.columns]
        return [list(zip(row, kinds, strict=True)) for row in self.rows]


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def dashboard_tables(d: Dashboard) -> dict[str, Table]:
    """Every table of the dashboard ``d``, by slug, in the page's order."""
    tables = [*_overall_tables(d), *_indicator_tables(d), *_below_tables(d), *_mover_tables(d)]
    return {table.slug: table for table in tables}


def _overall_tables(d: Dashboard) -> list[Table]:
    """Overall scores, score bands, levels and the share meeting each target."""
    years = [d.previous, d.year]
    return [
        Table(
            "summary",
            f"คะแนนภาพรวม ปี {d.previous} และ {d.year}",
            (
                Column("ปีงบประมาณ"),
                Column("หน่วยงานที่มีผล", COUNT),
                Column("คะแนนเฉลี่ย", SCORE),
                Column("มัธยฐาน", SCORE),
            ),
            [
                [str(y), int(r["count"]), _number(r["mean"]), _number(r["median"])]
                for y, r in d.summary.iterrows()
            ],
        ),
        Table(
            "bands",
            "จำนวนหน่วยงานตามช่วงคะแนนภาพรวม",
            (Column("ช่วงคะแนน"), *(Column(f"ปี {y}", COUNT) for y in years)),
            [[band, *(int(r[y]) for y in years)] for band, r in d.bands.iterrows()],
        ),
        Table(
            "levels",
            "จำนวนหน่วยงานตามระดับผลการประเมิน",
            (Column("ปีงบประมาณ"), Column("ระดับ"), Column("จำนวน", COUNT), Column("ร้อยละ", PERCENT)),
            [[str(r.year), r.level, int(r.count), float(r.share)] for r in d.levels.itertuples()],
            note="ระดับเป็นของแต่ละปีตามเกณฑ์ของปีนั้น",
        ),
        Table(
            "targets",
            f"สัดส่วนหน่วยงานที่บรรลุค่าเป้าหมาย ปี {d.year}",
            (
                Column("ค่าเป้าหมาย"),
                Column("เกณฑ์", SCORE),
                Column("หน่วยงานที่มีผล", COUNT),
                Column("บรรลุ", COUNT),
                Column("ร้อยละ", PERCENT),
            ),
            [
                [r.target, _number(r.value), int(r.assessed), int(r.met), _number(r.share)]
                for r in d.targets.itertuples()
            ],
            note="คะแนนรายเครื่องมือคือค่าเฉลี่ยของตัวชี้วัดในเครื่องมือ; "
            "“ครบทุกค่าเป้าหมายของปี” ใช้ผลที่บันทึกไว้ของแต่ละหน่วยงาน ซึ่งรวม EIT ส่วนที่ 1 และ 2 ในปีที่แยกส่วน",
        ),
    ]


def _indicator_tables(d: Dashboard) -> list[Table]:
    """Indicator means by group and over the years."""
    group_title = GROUPINGS.get(d.heat.index.name, "กลุ่ม")
    group_names = GROUP_NAMES.get(d.heat.index.name, {})
    indicator_numbers = [c for c in d.heat.columns if c != "organisations"]
    return [
        Table(
            "heat",
            f"คะแนนเฉลี่ยรายตัวชี้วัด ปี {d.year} แยกตาม{group_title}",
            (
                Column(group_title),
                Column("หน่วยงาน", COUNT),
                *(Column(f"ตัวชี้วัดที่ {n}", SCORE) for n in indicator_numbers),
            ),
            [
                [
                    group_names.get(name, name),
                    int(r["organisations"]),
                    *(_number(r[n]) for n in indicator_numbers),
                ]
                for name, r in d.heat.iterrows()
            ],
        ),
        Table(
            "trend",
            "คะแนนเฉลี่ยรายตัวชี้วัดแต่ละปี",
            (Column("ตัวชี้วัดที่"), *(Column(f"ปี {y}", SCORE) for y in d.trend.columns)),
            [[str(n), *(_number(v) for v in r)] for n, r in d.trend.iterrows()],
            note="ตัวชี้วัดเทียบกันตามลำดับที่ของแต่ละปี ชื่อตัวชี้วัดอาจต่างกันตามกรอบการประเมินของปี",
        ),
    ]


def _below_tables(d: Dashboard) -> list[Table]:
    """What falls most often below the year's target: indicators, then items."""
    return [
        Table(
            "indicators_below",
            f"ตัวชี้วัดที่ต่ำกว่าค่าเป้าหมาย ({d.target:.2f}) บ่อยที่สุด ปี {d.year}",
            (
                Column("ตัวชี้วัดที่"),
                Column("ชื่อตัวชี้วัด"),
                Column("หน่วยงานที่มีคะแนน", COUNT),
                Column("ต่ำกว่าค่าเป้าหมาย", COUNT),
                Column("ร้อยละ", PERCENT),
                Column("คะแนนเฉลี่ย", SCORE),
            ),
            [
                [
                    str(r.indicator),
                    d.indicator_names.get(r.indicator, ""),
                    int(r.assessed),
                    int(r.below),
                    float(r.share),
                    float(r.mean),
                ]
                for r in d.below.itertuples()
            ],
        ),
        Table(
            "items_below",
            f"ข้อคำถามที่ต่ำกว่าค่าเป้าหมาย ({d.target:.2f}) บ่อยที่สุด ปี {d.year}",
            (
                Column("ข้อ"),
                Column("ข้อคำถาม"),
                Column("ตัวชี้วัดที่"),
                Column("หน่วยงานที่มีคะแนน", COUNT),
                Column("ต่ำกว่าค่าเป้าหมาย", COUNT),
                Column("ร้อยละ", PERCENT),
            ),
            [
                [r.code, r.text, str(r.indicator), int(r.assessed), int(r.below), float(r.share)]
                for r in d.items.itertuples()
            ],
            note="นับจากคะแนนรายข้อที่กรอกไว้เท่านั้น",
        ),
    ]


def _mover_tables(d: Dashboard) -> list[Table]:
    """Who rose and who fell most."""
    tables = []
    for slug, title, frame in (
        ("risers", f"หน่วยงานที่คะแนนภาพรวมเพิ่มขึ้นมากที่สุด ปี {d.previous} → {d.year}", d.risers),
        ("fallers", f"หน่วยงานที่คะแนนภาพรวมลดลงมากที่สุด ปี {d.previous} → {d.year}", d.fallers),
    ):
        tables.append(
            Table(
                slug,
                title,
                (
                    Column("หน่วยงาน"),
                    Column("จังหวัด"),
                    Column(f"ปี {d.previous}", SCORE),
                    Column(f"ปี {d.year}", SCORE),
                    Column("เปลี่ยนแปลง", CHANGE),
                ),
                [
                    [r.name, r.province, float(r.before), float(r.after), float(r.change)]
                    for r in frame.itertuples()
                ],
            )
        )
    return tables
