"""Benchmark: the overseer's dashboard data and "did the measures work?" at national size.

    DATABASE_URL=… .venv/bin/python benchmarks/dashboard.py [--runs 5] [--year 2569]

Needs the national dataset (``benchmarks/pages.py`` or ``generate_demo_data --organisations
8300 --years 2562-2569 --plans``). For a national overseer it times, median of ``--runs``:

- the floor: the indicator scores alone, read on a raw cursor and fetched (no Django, no pandas) —
  what any computation over every score has to pay;
- the dashboard's data (``insights.dashboard.dashboard``: every query and every pandas table,
  not the charts or the HTML);
- "did the measures work?" (``insights.selectors.measure_effect``);
- the dashboard's charts (``insights.charts.dashboard_charts``);
- the page's statistics as kept (``insights.kept.dashboard_statistics``: data, tables, charts) —
  with nothing kept, on the first view after one organisation's result is written again (only
  that year's entries are out of date), and on a repeat view;

and for each the peak of memory allocated while it ran (tracemalloc, which NumPy reports to, in a
separate untimed run) and the process's peak resident size at the end.
"""

from __future__ import annotations

import argparse
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessments.models import Assessment, IndicatorScore, Oversight  # noqa: E402
from assessments.services.results import results_refresh  # noqa: E402
from insights import dashboard, kept, selectors  # noqa: E402
from insights.charts import dashboard_charts  # noqa: E402
from reports import charts  # noqa: E402


def floor() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT assessment_id, indicator_id, score FROM assessments_indicatorscore")
        return len(cursor.fetchall())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, call, runs: int, before=None) -> dict:
    times, queries = [], 0
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    if before:
        before()
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"label": label, "queries": queries, "times": times, "peak": peak, "rss": rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=2569)
    args = parser.parse_args()
    user, created = get_user_model().objects.get_or_create(username="bench-national")
    if created:
        Oversight.objects.create(user=user, province="")
    everyone = dashboard.DashboardFilter()
    some = dashboard.DashboardFilter(org_type="sao", size_class="S", by="org_type")
    print(f"indicator scores: {IndicatorScore.objects.count():,} on {connection.vendor}")
    print(f"process at start (Django, pandas, matplotlib loaded): {rss_mb():.0f} MB resident")
    found = dashboard.dashboard(user, args.year, everyone)
    print(f"after one dashboard: {rss_mb():.0f} MB resident")
    one = Assessment.objects.filter(fiscal_year__year=args.year).order_by("pk")[:1]

    def page():
        """What the dashboard page asks for (insights.kept): data, tables and charts, kept."""
        return kept.dashboard_statistics(user, args.year, everyone)

    def change():
        """One organisation's scores saved again (results_refresh counts the change), as a form does."""
        page()
        results_refresh(Assessment.objects.filter(pk__in=list(one.values_list("pk", flat=True))))

    # The floor last: its list of Decimal rows would otherwise set the process's peak RSS.
    results = [
        measure(
            f"dashboard data {args.year}, national",
            lambda: dashboard.dashboard(user, args.year, everyone),
            args.runs,
        ),
        measure("dashboard data, type + size", lambda: dashboard.dashboard(user, args.year, some), args.runs),
        measure(
            f"measures effect {args.year - 1} → {args.year}",
            lambda: selectors.measure_effect(
                user, args.year, everyone, min_group=settings.ANALYTICS_MIN_GROUP
            ),
            args.runs,
        ),
        measure("dashboard charts (SVG)", lambda: dashboard_charts(found, charts), args.runs),
        measure("kept: first view (nothing kept)", lambda: page(), args.runs, before=cache.clear),
        measure("kept: first view after a change", lambda: page(), args.runs, before=change),
        measure("kept: repeat view", lambda: page(), args.runs, before=page),
        measure("floor: raw read of every score", floor, args.runs),
    ]
    base = statistics.median(results[-1]["times"])
    print(
        f"{'':<34} {'queries':>7} {'median ms':>10} {'min':>8} {'max':>8} {'peak MB':>9} {'RSS MB':>8} {'× floor':>8}"
    )
    for r in results:
        ms = statistics.median(r["times"]) * 1000
        print(
            f"{r['label']:<34} {r['queries']:>7} {ms:>10.0f} {min(r['times']) * 1000:>8.0f} "
            f"{max(r['times']) * 1000:>8.0f} {r['peak'] / 2**20:>9.1f} {r['rss']:>8.0f} {ms / 1000 / base:>8.2f}"
        )
    print("peak MB: allocated while it ran (tracemalloc, NumPy included); RSS MB: the process's peak so far")
    print(
        f"dashboard: {found.organisations:,} organisations, heat map {len(found.heat)} × {len(found.heat.columns) - 1}"
    )


if __name__ == "__main__":
    main()
