"""Benchmark: every page for a national overseer, a provincial one and a one-organisation user,
on the national dataset.

    DATABASE_URL=… .venv/bin/python benchmarks/pages.py [--organisations 8300] [--runs 3]

Generates the dataset first if the database has none (``generate_demo_data --plans``), and fills
the measured organisation's 2569 OIT register (26 items, two links each, checked). The
"national" user reaches every generated organisation, the "provincial" one those of one province,
the "single" one a single organisation. Requests go through Django's test client in this process
(no network): per page the number of queries, the median server time, the bytes of the response,
the peak of Python memory while it was made, and the ratio of its time to a trivial logged-in
view measured in the same run (the user's own job page). A PDF already made is downloaded too.

Growth with the country: run it on a dataset of 830 organisations with ``--save small.json``,
then on the national one with ``--compare small.json``: each page's time over its time at 830.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessments.choices import Role  # noqa: E402
from assessments.models import Assessment, Membership, Organisation, Oversight  # noqa: E402
from ita_portal import jobs  # noqa: E402
from measures.models import MeasurePlan  # noqa: E402


def users() -> dict[str, object]:
    """The three kinds of user, made once: a national overseer, the overseer of one province (the
    province of the first generated organisation) and a member of one organisation."""
    User = get_user_model()
    generated = Organisation.objects.filter(code__startswith="GEN-").order_by("code")
    province = generated.values_list("province", flat=True).first()
    made = {}
    for name in ("national", "provincial", "single"):
        user, created = User.objects.get_or_create(username=f"bench-{name}")
        if created and name == "single":
            Membership.objects.create(user=user, organisation=generated[100], role=Role.STAFF)
        elif created:
            Oversight.objects.create(user=user, province="" if name == "national" else province)
        made[name] = user
    return made


def measure(client: Client, url: str, runs: int) -> dict:
    """Time ``runs`` requests (median), then make one more under tracemalloc for the peak of Python
    memory (tracemalloc slows Python down severalfold, so it is kept out of the timed runs)."""
    times, size, queries = [], 0, 0
    for run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - started)
        size, queries = len(body), len(captured)
        if response.status_code >= 400:
            return {"status": response.status_code}
        if times[-1] > 5 and run == 0:
            break  # one run of a page this slow is enough
    tracemalloc.start()
    response = client.get(url)
    b"".join(response.streaming_content) if response.streaming else response.content
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "status": response.status_code,
        "ms": statistics.median(times) * 1000,
        "bytes": size,
        "queries": queries,
        "peak": peak,
    }


def fill_register(organisation) -> None:
    """The measured organisation's 2569 register as an agency fills it: two links per item, each
    checked twice (the public OIT page reads the last time each was found working)."""
    from django.utils import timezone

    from assessments.models import FiscalYear
    from oit.models import LinkCheck, RegisterItem

    fiscal_year = FiscalYear.objects.get(year=2569)
    if RegisterItem.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        return
    for question in fiscal_year.questions.filter(kind="oit_item"):
        urls = [f"https://www.example.go.th/oit/{question.code}/{n}" for n in (1, 2)]
        item = RegisterItem.objects.create(
            organisation=organisation,
            fiscal_year=fiscal_year,
            question=question,
            urls="\n".join(urls),
            status="present",
        )
        for url in urls:
            for latest in (False, True):
                LinkCheck.objects.create(
                    item=item,
                    url=url,
                    latest=latest,
                    checked_at=timezone.now(),
                    verdict="ok",
                    code="ok",
                    reason="ok",
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=8300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only", default="", help="comma-separated user kinds (national, provincial, single)"
    )
    parser.add_argument("--save", default="", help="write the figures to this JSON file")
    parser.add_argument(
        "--compare",
        default="",
        help="a JSON file saved from a smaller dataset (e.g. 830 organisations): print each page's growth",
    )
    args = parser.parse_args()
    figures: dict[str, dict] = {}
    call_command("collectstatic", "--noinput", verbosity=0)  # pages link the hashed static files
    if not Organisation.objects.filter(code__startswith="GEN-").exists():
        started = time.monotonic()
        call_command("generate_demo_data", "--organisations", str(args.organisations), "--plans")
        print(f"generated in {time.monotonic() - started:.0f} s")
        if connection.vendor == "postgresql":
            # Settle the fresh tables now, or autovacuum does it during the timed requests
            # (on two cores that cost the first pages up to a quarter of their time).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    counts = {
        "organisations": Organisation.objects.count(),
        "assessments": Assessment.objects.count(),
        "plans": MeasurePlan.objects.count(),
    }
    print("dataset:", ", ".join(f"{k} {v:,}" for k, v in counts.items()), f"on {connection.vendor}")
    people = users()
    chosen = [k for k in args.only.split(",") if k] or list(people)
    print(
        f"{'user':>10} {'page':<28} {'status':>6} {'queries':>7} {'median ms':>10} {'KB':>8} {'peak MB':>8} {'× floor':>8}"
    )
    for kind in chosen:
        user = people[kind]
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        job = jobs.start(kind="export", title="floor", user=user)
        floor = measure(client, job.get_absolute_url(), max(5, args.runs))
        organisation = (
            Organisation.objects.visible_to(user).filter(code__startswith="GEN-").order_by("code").first()
        )
        assessment = (
            Assessment.objects.filter(organisation=organisation).order_by("-fiscal_year__year").first()
        )
        plan = (
            MeasurePlan.objects.filter(assessment__organisation=organisation).order_by("-plan_year").first()
        )
        pages = [
            ("trivial (own job page)", job.get_absolute_url()),
            ("home", "/"),
            ("home, filtered, by overall", "/?year=2568&level=good&plan=approved&late=late&sort=overall"),
            ("home, page 40", "/?page=40"),
            ("plans overview", "/progress/?year=2569"),
            ("overview, filtered", "/progress/?year=2569&level=good&plan=approved&late=late&type=sao"),
            ("overview, most overdue", "/progress/?year=2569&sort=late&page=3"),
            ("jobs", "/jobs/"),
            ("dashboard", "/dashboard/"),
            ("dashboard, type + size", "/dashboard/?type=sao&size=S&by=org_type"),
            ("dashboard table .xlsx", "/dashboard/heat.xlsx"),
            ("did the measures work", "/dashboard/measures/"),
            ("overview .xlsx", "/progress.xlsx?year=2569"),
            ("year export 2568", "/exports/2568/scores.xlsx"),
            ("import template 2568", "/imports/template/2568.xlsx"),
            ("result", f"/assessments/{assessment.pk}/"),
            ("analysis", f"/assessments/{assessment.pk}/analysis/"),
            ("plan", f"/plans/{plan.pk}/"),
            ("plan progress", f"/plans/{plan.pk}/progress/"),
            ("documents", f"/plans/{plan.pk}/documents/"),
            ("public OIT page", f"/public/organisations/{organisation.pk}/oit/2569/"),
            ("public OIT .xlsx", f"/public/organisations/{organisation.pk}/oit/2569.xlsx"),
        ]
        fill_register(organisation)
        pages.append(("PDF, already made", cached_pdf(user, plan)))
        for label, url in pages:
            found = floor if label.startswith("trivial") else measure(client, url, args.runs)
            figures[f"{kind}|{label}"] = {**found, "floor": floor["ms"]}
            if "ms" not in found:
                print(f"{kind:>10} {label:<28} {found['status']:>6}")
                continue
            print(
                f"{kind:>10} {label:<28} {found['status']:>6} {found['queries']:>7} {found['ms']:>10.1f} "
                f"{found['bytes'] / 1024:>8.0f} {found['peak'] / 2**20:>8.1f} {found['ms'] / floor['ms']:>8.1f}"
            )
    forget_queued(people.values())
    if args.save:
        Path(args.save).write_text(json.dumps({"organisations": counts["organisations"], "pages": figures}))
    if args.compare:
        growth(json.loads(Path(args.compare).read_text()), counts["organisations"], figures)


def forget_queued(people) -> None:
    """The exports the measured pages queued (a national overseer's .xlsx files go to the worker)
    are dropped with their jobs: nobody will fetch them, and a worker started later — the load
    benchmark's — would spend its first minutes making them."""
    from django_tasks_db.models import DBTaskResult

    from ita_portal.models import Job

    queued = Job.objects.filter(created_by__in=list(people)).exclude(task_id="")
    DBTaskResult.objects.filter(
        id__in=list(queued.values_list("task_id", flat=True)), status="READY"
    ).delete()
    Job.objects.filter(created_by__in=list(people)).delete()


def cached_pdf(user, plan) -> str:
    """The address of the plan's analysis report as a PDF, rendered once beforehand (as the worker
    does), so that what is timed is a download of a PDF already made."""
    from django.utils import timezone

    from reports import fingerprint, rendering, tasks

    today = timezone.localdate()
    key = fingerprint.document_key(plan, "analysis", today=today, site="http://localhost")
    name = rendering.cache_name(plan.pk, "analysis", key)
    if not rendering.storage().exists(name):
        job = jobs.start(kind="document", title="benchmark", user=user, key=name)
        tasks.render_document.call(job.pk, plan.pk, "analysis", today.isoformat(), "http://localhost", name)
    return f"/plans/{plan.pk}/documents/analysis/pdf/"


def growth(smaller: dict, organisations: int, figures: dict) -> None:
    """Each page's time here over its time on the smaller dataset (both medians), and the same for
    its ratio to the trivial view of its own run (which takes out a slower or faster machine)."""
    print(f"\ngrowth from {smaller['organisations']:,} to {organisations:,} organisations")
    print(f"{'user | page':<40} {'ms small':>9} {'ms here':>9} {'growth':>7} {'of × floor':>10}")
    for name, here in figures.items():
        small = smaller["pages"].get(name)
        if not small or "ms" not in small or "ms" not in here:
            continue
        ratio = here["ms"] / small["ms"]
        relative = (here["ms"] / here["floor"]) / (small["ms"] / small["floor"])
        print(f"{name:<40} {small['ms']:>9.1f} {here['ms']:>9.1f} {ratio:>7.2f} {relative:>10.2f}")


if __name__ == "__main__":
    main()
