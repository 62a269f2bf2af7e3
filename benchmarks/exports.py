"""Benchmark: the national exports as the worker makes them, for a national overseer.

    DATABASE_URL=… .venv/bin/python benchmarks/exports.py [--runs 3]

Runs each export task's body in this process on the national dataset (``benchmarks/pages.py``
generates it): the year export of 2568 (every organisation, its scores and computed result),
the import template of 2568 and the plans overview .xlsx of 2569. Prints per export the rows,
the median seconds, the peak of Python memory above the start (tracemalloc, in a separate run,
as it slows Python down), the growth of the process's resident memory, the file's size, and
the ratio to a floor measured in the same run: openpyxl's write-only mode writing as many rows
of as many constant cells, no database.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from assessments import exports as score_exports  # noqa: E402
from assessments import importing, selectors  # noqa: E402
from assessments.models import FiscalYear, Organisation  # noqa: E402
from benchmarks.pages import users  # noqa: E402
from measures import selectors as plan_selectors  # noqa: E402
from measures.exports import overview_workbook  # noqa: E402


def rss_mb() -> float:
    """The resident memory of this process now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def floor(rows: int, columns: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("floor")
    for _ in range(rows):
        sheet.append(["องค์การบริหารส่วนตำบลตัวอย่าง", 95.5] * (columns // 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure(make, runs: int) -> dict:
    times, before = [], rss_mb()
    for _ in range(runs):
        started = time.perf_counter()
        content = make()
        times.append(time.perf_counter() - started)
    grown = rss_mb() - before
    tracemalloc.start()
    make()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"s": statistics.median(times), "peak": peak / 2**20, "rss": grown, "kb": len(content) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    user = users()["national"]
    fiscal_year = FiscalYear.objects.get(year=2568)
    catalogue = importing.catalogue_for(fiscal_year)
    today = timezone.localdate()
    count = Organisation.objects.visible_to(user).count()
    exports = {
        "year export 2568": (
            count,
            lambda: score_exports.year_scores_workbook(catalogue, selectors.year_export(user, fiscal_year)),
        ),
        "import template 2568": (
            count,
            lambda: score_exports.import_template(
                catalogue, Organisation.objects.visible_to(user).order_by("province", "district", "name")
            ),
        ),
        "overview .xlsx 2569": (
            None,
            lambda: overview_workbook(plan_selectors.administrator_overview(user, 2569, today), 2569),
        ),
    }
    print(
        f"{'export':<22} {'rows':>6} {'median s':>9} {'peak MB':>8} {'RSS +MB':>8} {'KB':>7} {'× floor':>8}"
    )
    for label, (rows, make) in exports.items():
        found = measure(make, args.runs)
        rows = rows or len(plan_selectors.administrator_overview(user, 2569, today))
        base = measure(lambda rows=rows: floor(rows, 40), args.runs)
        print(
            f"{label:<22} {rows:>6,} {found['s']:>9.2f} {found['peak']:>8.1f} {found['rss']:>8.1f} "
            f"{found['kb']:>7.0f} {found['s'] / base['s']:>8.1f}"
        )
        print(
            f"{'  floor (write-only)':<22} {rows:>6,} {base['s']:>9.2f} {base['peak']:>8.1f} {base['rss']:>8.1f}"
        )


if __name__ == "__main__":
    main()
