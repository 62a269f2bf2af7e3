"""The documents' charts, drawn by matplotlib as SVG that is put inline in the HTML.

Text stays text (``svg.fonttype = none``), so WeasyPrint and browsers lay out the Thai
labels with Sarabun and shape them properly; matplotlib only places them. Figures are
built without pyplot, so nothing is kept between renders.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from django.conf import settings
from matplotlib import font_manager
from matplotlib.figure import Figure

from assessments.scoring import format_score

for _style in ("Regular", "Bold"):
    font_manager.fontManager.addfont(str(settings.BASE_DIR / "static" / "fonts" / f"Sarabun-{_style}.ttf"))

STYLE = {
    "font.family": "Sarabun",
    "font.size": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "ita-portal",  # the same records give the same SVG, so the same PDF
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = {"keep": "#2f6f9f", "improve": "#e0a030", "urgent": "#c0392b", "target": "#7a1f1f"}


@dataclass(frozen=True)
class Bar:
    label: str  # the indicator number
    score: Decimal
    group: str  # a key of COLOURS


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline SVG: no XML declaration or doctype


def _floor(values: Sequence[Decimal]) -> int:
    """Where the score axis starts: ten points below the lowest value, in tens, never below 0."""
    lowest = min(values)
    return max(0, int((lowest - 10) // 10 * 10))


def indicator_chart(bars: Sequence[Bar], target: Decimal, legend: dict[str, str]) -> str:
    """Bars of the indicator scores against a dashed target line."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.3, 3.2))
        axes = figure.add_subplot()
        drawn = axes.bar(
            [bar.label for bar in bars],
            [float(bar.score) for bar in bars],  # matplotlib draws floats; the labels print the Decimals
            color=[COLOURS[bar.group] for bar in bars],
            width=0.65,
        )
        axes.bar_label(drawn, labels=[format_score(bar.score) for bar in bars], fontsize=7, padding=2)
        axes.axhline(float(target), color=COLOURS["target"], linestyle="--", linewidth=1)
        axes.set_ylim(_floor([*(bar.score for bar in bars), target]), 104)
        axes.set_xlabel("ตัวชี้วัดที่")
        axes.set_ylabel("คะแนน")
        handles = [
            matplotlib.patches.Patch(color=COLOURS[group], label=label)
            for group, label in legend.items()
            if any(bar.group == group for bar in bars)
        ]
        handles.append(
            matplotlib.lines.Line2D(
                [], [], color=COLOURS["target"], linestyle="--", label=f"ค่าเป้าหมาย {format_score(target)}"
            )
        )
        # Above the bars, so neither the axis label nor the value labels run into it.
        axes.legend(
            handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.06), ncol=2, frameon=False, fontsize=8
        )
        figure.subplots_adjust(left=0.09, right=0.97, top=0.76, bottom=0.16)
        return _svg(figure)


def trend_chart(years: Sequence[int], overall: Sequence[Decimal | None], target: Decimal) -> str:
    """The overall score over the organisation's years, with the target."""
    points = [(str(year), value) for year, value in zip(years, overall, strict=True) if value is not None]
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.3, 2.3))
        axes = figure.add_subplot()
        labels = [label for label, _value in points]
        values = [float(value) for _label, value in points]
        axes.plot(labels, values, marker="o", color=COLOURS["keep"], linewidth=1.5)
        for label, value in points:
            axes.annotate(
                format_score(value),
                (label, float(value)),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
            )
        axes.axhline(float(target), color=COLOURS["target"], linestyle="--", linewidth=1)
        axes.set_ylim(_floor([value for _label, value in points] + [target]), 104)
        axes.set_xlabel("ปีงบประมาณ พ.ศ.")
        axes.set_ylabel("คะแนนภาพรวม")
        axes.margins(x=0.08)
        figure.subplots_adjust(left=0.09, right=0.99, top=0.95, bottom=0.2)
        return _svg(figure)
