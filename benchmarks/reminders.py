"""Benchmark: the morning's reminders for the national dataset, computed and written.

    scripts/with-postgres.sh sh -c 'benchmarks/reminders.sh'      # a throw-away cluster, end to end
    DATABASE_URL=… .venv/bin/python benchmarks/reminders.py [--day 2026-12-20] [--runs 3]

Needs the national dataset with plans (``generate_demo_data --organisations 8300 --plans``);
``--prepare`` (a process of its own, so its memory is not counted) gives each organisation without
members a staff member, a working-group member and an administrator (unusable passwords). Then, median of ``--runs``, each in a transaction rolled
back afterwards so every run writes the same rows:

- the floor: one raw query for the measures whose quarterly report is due — the least any
  reminder has to read;
- ``notifications.reminders.remind(day)``: progress due and overdue, late measures, NACC's windows,
  with every notification row written;

the queries, the rows written, the peak of memory allocated (tracemalloc, a separate run) and the
process's peak resident size. Targets: at most 60 s and 200 MB.
"""

from __future__ import annotations

import argparse
import datetime
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.choices import Role  # noqa: E402
from assessments.models import Membership, Organisation  # noqa: E402
from ita_portal.thai import fiscal_year_of, quarter_bounds, quarter_of  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.reminders import remind  # noqa: E402

ROLES = (Role.STAFF, Role.WORKING_GROUP, Role.ADMINISTRATOR)


def people() -> int:
    """Three members for every organisation without any; how many organisations got them."""
    bare = list(Organisation.objects.filter(memberships__isnull=True).values_list("pk", flat=True))
    users = get_user_model()
    password = make_password(None)
    made = users.objects.bulk_create(
        [
            users(username=f"bench-{pk}-{role}", email=f"{role}.{pk}@example.go.th", password=password)
            for pk in bare
            for role in ROLES
        ],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                organisation_id=int(user.username.split("-")[1]), user=user, role=user.username.split("-")[2]
            )
            for user in made
        ],
        batch_size=5000,
    )
    return len(bare)


def floor(day: datetime.date) -> int:
    year, quarter = fiscal_year_of(day), quarter_of(day)
    start, _ = quarter_bounds(year, quarter)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.title, m.owner_person, p.id FROM measures_measure m"
            " JOIN measures_measureplan p ON p.id = m.plan_id"
            " WHERE p.plan_year = %s AND p.status IN ('approved', 'published')"
            " AND m.period_start <= %s AND m.period_end >= %s AND m.status NOT IN ('done', 'cancelled')"
            " AND (m.last_update_on IS NULL OR m.last_update_on < %s)",
            [year, quarter, quarter, start],
        )
        return len(cursor.fetchall())


def rolled_back(call):
    with transaction.atomic():
        result = call()
        written = Notification.objects.count()
        transaction.set_rollback(True)
    return result, written


def timed(call, runs: int) -> tuple[float, int, int]:
    """Median seconds, the queries of a run (counted, not kept: a kept bulk insert's SQL would be
    the benchmark's own memory), and the rows it wrote."""
    times, counted, written = [], [0], 0

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    for _ in range(runs):
        counted[0] = 0
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            _, written = rolled_back(call)
            times.append(time.perf_counter() - started)
    return statistics.median(times), counted[0] - 2, written  # less the count and the savepoint


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--day", type=datetime.date.fromisoformat, default=datetime.date(2026, 12, 20))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--prepare", action="store_true", help="only give the organisations members (a process of its own)"
    )
    args = parser.parse_args()
    if args.prepare:
        print(f"organisations given members: {people():,}")
        return
    reverse("home")  # the URL configuration, and every view module it imports, as a worker has them
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"organisations {Organisation.objects.count():,} · members {Membership.objects.count():,} · "
        f"day {args.day} · database {connection.vendor}"
    )
    floor_time, _, _ = timed(lambda: floor(args.day), args.runs)
    print(f"floor (due measures, one raw query, {floor(args.day):,} rows): {floor_time:.2f} s")
    took, queries, written = timed(lambda: remind(args.day), args.runs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before tracemalloc's own overhead
    tracemalloc.start()
    rolled_back(lambda: remind(args.day))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"remind: {took:.2f} s (median of {args.runs}), {queries} queries, {written:,} notifications written"
    )
    print(f"ratio to the floor: {took / floor_time:.1f}×")
    print(
        f"peak allocated {peak:.0f} MB · peak resident {rss:.0f} MB, {rss - start_rss:.0f} MB above the"
        f" {start_rss:.0f} MB of start-up (Django, the portal's modules and URLs) · targets 60 s, 200 MB"
    )


if __name__ == "__main__":
    main()
