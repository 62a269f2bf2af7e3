"""The documents' charts, drawn by matplotlib as SVG that is put inline in the HTML.

Text stays text (``svg.fonttype = none``), so WeasyPrint and browsers lay out the Thai
labels with Sarabun and shape them properly; matplotlib only places them. Figures are
built without pyplot, so nothing is kept between renders.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import matplotlib
import matplotlib.ticker
from django.conf import settings
from django.utils.html import escape
from matplotlib import font_manager
from matplotlib.figure import Figure

from ita_portal.caching import remember
from ita_portal.numbers import format_score

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


_SVG_ID = re.compile(r'(\bid="|xlink:href="#|href="#|url\(#)([^"()]+)')


# Charts are drawn once per data and kept (Django's cache, shared by every web process): a
# dashboard viewed again after one organisation's change redraws only the charts whose numbers
# moved. The key names the data and this module's own text (a new release draws anew).
CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def kept_by_data(draw):
    @functools.wraps(draw)
    def kept(*args, **kwargs):
        data = repr((args, sorted(kwargs.items()))).encode()
        key = f"chart:{draw.__name__}:{CODE}:{hashlib.sha256(data).hexdigest()}"
        return remember(key, lambda: draw(*args, **kwargs))

    return kept


def _svg(figure: Figure, name: str) -> str:
    """The figure as inline SVG (no XML declaration or doctype), its ids prefixed with ``name``:
    matplotlib numbers every figure's ids from 1, and two charts in one document must not share one."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return _SVG_ID.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text[text.index("<svg") :])


def _floor(values: Sequence[Decimal]) -> int:
    """Where the score axis starts: ten points below the lowest value, in tens, never below 0."""
    lowest = min(values)
    return max(0, int((lowest - 10) // 10 * 10))


@kept_by_data
def indicator_chart(bars: Sequence[Bar], target: Decimal, legend: dict[str, str]) -> str:
    """Bars of the indicator scores against a dashed target line (the same figures give the same
    SVG, kept for the documents page, which renders every document to know if it changed)."""
    return _indicator_chart(tuple(bars), target, tuple(legend.items()))


@functools.lru_cache(maxsize=64)
def _indicator_chart(bars: tuple[Bar, ...], target: Decimal, legend: tuple[tuple[str, str], ...]) -> str:
    legend = dict(legend)
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
        return _svg(figure, "indicator")


@kept_by_data
def trend_chart(years: Sequence[int], overall: Sequence[Decimal | None], target: Decimal) -> str:
    """The overall score over the organisation's years, with the target (kept like the bars)."""
    return _trend_chart(tuple(years), tuple(overall), target)


@functools.lru_cache(maxsize=64)
def _trend_chart(years: tuple[int, ...], overall: tuple[Decimal | None, ...], target: Decimal) -> str:
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
        return _svg(figure, "trend")


# --- The overseer's dashboard (insights.dashboard): pages, not documents ----------------------

YEAR_COLOURS = ("#9bb7cf", "#2f6f9f")  # the year before, the year
LEVEL_COLOURS = ("#1e7b4a", "#5aa469", "#a8c96a", "#e0a030", "#c0392b", "#8e2a20", "#5b1a14")


def _fmt(value: float) -> str:
    return f"{value:.2f}"


@kept_by_data
def bands_chart(labels: Sequence[str], counts: dict[int, Sequence[int]]) -> str:
    """Organisations per band of the overall score, a bar per year side by side."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.6, 2.8))
        axes = figure.add_subplot()
        width = 0.8 / max(len(counts), 1)
        positions = range(len(labels))
        for i, (year, values) in enumerate(counts.items()):
            colour = YEAR_COLOURS[-len(counts) + i]
            drawn = axes.bar(
                [p + (i - (len(counts) - 1) / 2) * width for p in positions],
                values,
                width,
                color=colour,
                label=f"ปี {year}",
            )
            axes.bar_label(drawn, labels=[f"{v:,}" if v else "" for v in values], fontsize=6, padding=1)
        axes.set_xticks(list(positions), labels, rotation=30, ha="right", fontsize=7)
        axes.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # whole organisations
        axes.set_ylabel("จำนวนหน่วยงาน")
        axes.set_xlabel("ช่วงคะแนนภาพรวม")
        axes.legend(frameon=False, fontsize=8)
        figure.subplots_adjust(left=0.1, right=0.99, top=0.95, bottom=0.32)
        return _svg(figure, "bands")


@kept_by_data
def levels_chart(years: dict[int, Sequence[tuple[str, int]]]) -> str:
    """Each year's organisations by level as one bar of 100 %, best level first (each year has its
    own levels, so the bars are not matched label by label)."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.6, 0.6 + 0.55 * max(len(years), 1)))
        axes = figure.add_subplot()
        for row, levels in enumerate(years.values()):
            total = sum(count for _label, count in levels) or 1
            left = 0.0
            for index, (label, count) in enumerate(levels):
                share = 100 * count / total
                axes.barh(row, share, left=left, color=LEVEL_COLOURS[index % len(LEVEL_COLOURS)], height=0.6)
                if share >= 7:
                    axes.text(
                        left + share / 2,
                        row,
                        f"{label}\n{share:.1f}%",
                        ha="center",
                        va="center",
                        fontsize=6.5,
                        color="white",
                    )
                left += share
        axes.set_yticks(range(len(years)), [f"ปี {year}" for year in years])
        axes.set_xlim(0, 100)
        axes.set_xlabel("ร้อยละของหน่วยงานที่มีผลการประเมิน")
        axes.invert_yaxis()
        figure.subplots_adjust(
            left=0.1, right=0.99, top=0.97, bottom=0.6 / (0.6 + 0.55 * max(len(years), 1)) + 0.12
        )
        return _svg(figure, "levels")


@kept_by_data
def heat_map(
    rows: Sequence[str], columns: Sequence[int], values: Sequence[Sequence[float]], target: float
) -> str:
    """The mean of each indicator (columns) in each group (rows), each cell printed and coloured
    from red (the table's lowest mean) through yellow to green (its highest), so differences show
    even when every group is near the top; a mean below ``target`` is printed in bold. Written as
    SVG directly, not by matplotlib: 77 provinces × 10 indicators are 770 cells, which matplotlib
    draws in half a second, in several times the bytes, and with ``imshow`` as an embedded PNG."""
    cmap = matplotlib.colormaps["RdYlGn"]
    present = [value for row in values for value in row if value is not None and value == value]
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    spread = (high - low) or 1.0
    label_width, cell_width, cell_height, top = 150, 52, 20, 34
    width = label_width + cell_width * len(columns)
    height = top + cell_height * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="Sarabun, sans-serif" font-size="11" role="img" '
        f'aria-label="ค่าเฉลี่ยรายตัวชี้วัดของแต่ละกลุ่ม (ตัวเลขอยู่ในตารางของแผนภาพนี้)">',
        f'<text x="{label_width + cell_width * len(columns) / 2}" y="12" text-anchor="middle">ตัวชี้วัดที่</text>',
    ]
    for c, number in enumerate(columns):
        parts.append(
            f'<text x="{label_width + cell_width * (c + 0.5)}" y="28" text-anchor="middle">{number}</text>'
        )
    box = f'width="{cell_width - 1}" height="{cell_height - 1}"'
    for r, (label, row) in enumerate(zip(rows, values, strict=True)):
        y = top + cell_height * r
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(str(label))}</text>'
        )
        for c, value in enumerate(row):
            x = label_width + cell_width * c
            if value is None or value != value:  # NaN: no score in this group
                parts.append(f'<rect x="{x}" y="{y}" {box} fill="#eee"/>')
                continue
            colour = matplotlib.colors.to_hex(cmap(0.1 + 0.8 * (value - low) / spread))
            weight = ' font-weight="bold"' if value < target else ""
            parts.append(
                f'<rect x="{x}" y="{y}" {box} fill="{colour}"/>'
                f'<text x="{x + cell_width / 2}" y="{y + 14}" text-anchor="middle"{weight}>{value:.2f}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


@kept_by_data
def indicator_trend_chart(years: Sequence[int], lines: dict[int, Sequence[float]]) -> str:
    """Each indicator's mean over the years, one line per indicator number."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.6, 3.0))
        axes = figure.add_subplot()
        cmap = matplotlib.colormaps["tab10"]
        positions = list(range(len(years)))
        for index, (number, values) in enumerate(lines.items()):
            axes.plot(
                positions,
                values,
                marker="o",
                markersize=3,
                linewidth=1.2,
                color=cmap(index % 10),
                label=str(number),
            )
        axes.set_xticks(positions, [str(year) for year in years])
        axes.set_xlabel("ปีงบประมาณ พ.ศ.")
        axes.set_ylabel("คะแนนเฉลี่ย")
        axes.legend(
            title="ตัวชี้วัดที่",
            frameon=False,
            fontsize=7,
            title_fontsize=7,
            ncol=2,
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
        )
        figure.subplots_adjust(left=0.09, right=0.83, top=0.96, bottom=0.17)
        return _svg(figure, "indicator-trend")


@kept_by_data
def effect_chart(
    indicators: Sequence[int],
    groups: dict[str, Sequence[tuple[float, float, float] | None]],
    labels: dict[str, str],
) -> str:
    """Per indicator, each group's mean change with its 95 % interval as a point and a bar
    (a group too small to show is left out), against a line at no change."""
    colours = {"done": "#1e7b4a", "not_done": "#e0a030", "none": "#7a7a7a"}
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.6, 3.0))
        axes = figure.add_subplot()
        offsets = {key: (i - (len(groups) - 1) / 2) * 0.22 for i, key in enumerate(groups)}
        for key, values in groups.items():
            xs, ys, lows, highs = [], [], [], []
            for position, value in enumerate(values):
                if value is None:
                    continue
                mean, low, high = value
                xs.append(position + offsets[key])
                ys.append(mean)
                lows.append(mean - low if low == low else 0)  # NaN-safe: low != low for NaN
                highs.append(high - mean if high == high else 0)
            if xs:
                axes.errorbar(
                    xs,
                    ys,
                    yerr=[lows, highs],
                    fmt="o",
                    markersize=4,
                    capsize=2,
                    color=colours.get(key, "#333"),
                    label=labels[key],
                )
        axes.axhline(0, color="#444", linewidth=0.8)
        axes.set_xticks(range(len(indicators)), [str(n) for n in indicators])
        axes.set_xlabel("ตัวชี้วัดที่")
        axes.set_ylabel("คะแนนที่เปลี่ยน (เฉลี่ย)")
        axes.legend(frameon=False, fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=1)
        figure.subplots_adjust(left=0.1, right=0.99, top=0.74, bottom=0.16)
        return _svg(figure, "effect")
