"""Benchmark: the analysis reports of many organisations as one background batch.

    .venv/bin/python benchmarks/batch_documents.py [--organisations 100] [--publish]

On a throw-away SQLite database: ``--organisations`` organisations with document 001's result
and an approved plan each, one administrator of all of them. Queues one batch job (what the
"เอกสารของหลายหน่วยงาน" page does) and runs ``manage.py run_worker --batch`` until it is done.
Prints the batch's wall time, per organisation, and the floor measured in the same run: the
bare WeasyPrint render of one organisation's HTML, times the number of organisations.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PREPARE = """
import datetime, time
from decimal import Decimal
from django.contrib.auth.models import User
from assessments.choices import OrganisationType, Role
from assessments.models import FiscalYear, Membership, Organisation
from assessments.services import ScoreSheet, assessment_save_scores
from measures.services import plan_approve, plan_generate, plan_submit
from reports import pdf, services
WANGMEE = ["93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"]
year = FiscalYear.objects.get(year=2568)
wg = User.objects.create_user("bench-wg")
admin = User.objects.create_user("bench-admin")
plans = []
for n in range(COUNT):
    org = Organisation.objects.create(code=f"B{n:05d}", name=f"องค์การบริหารส่วนตำบลทดสอบ {n}",
                                      org_type=OrganisationType.SAO, district="เมือง", province="ตาก")
    Membership.objects.create(user=wg, organisation=org, role=Role.WORKING_GROUP)
    Membership.objects.create(user=admin, organisation=org, role=Role.ADMINISTRATOR)
    sheet = ScoreSheet(indicators={i + 1: Decimal(v) for i, v in enumerate(WANGMEE)})
    assessment = assessment_save_scores(organisation=org, fiscal_year=year, sheet=sheet, user=None)
    plan = plan_generate(assessment=assessment, user=wg).plan
    plan_submit(plan=plan, user=wg)
    plans.append(plan_approve(plan=plan, user=wg).pk)
html = services.document_render(plan=plan, kind="analysis", today=datetime.date.today(),
                                extra={"base_url": "http://127.0.0.1"}).html
pdf.render_pdf(html)  # warm
started = time.perf_counter()
for _ in range(3):
    pdf.render_pdf(html)
print((time.perf_counter() - started) / 3)
print(",".join(map(str, plans)))
"""

QUEUE = """
import datetime
from django.contrib.auth.models import User
from ita_portal import jobs
from reports import tasks
admin = User.objects.get(username="bench-admin")
plan_ids = [PLANS]
job = jobs.start(kind="batch", title="bench", user=admin, total=len(plan_ids))
tasks.document_batch.enqueue(job.pk, plan_ids, "analysis", PUBLISH, admin.pk,
                             datetime.date.today().isoformat(), "http://127.0.0.1")
print(job.pk)
"""

RESULT = """
from ita_portal.models import Job
job = Job.objects.get(pk=JOB)
print(job.status, sum(1 for item in job.items if item["ok"]), job.message)
"""


def shell(env: dict, code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--publish", action="store_true")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="ita-batch-bench-"))
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "WORK_ROOT": str(home / "work"),
        "PUBLISHED_ROOT": str(home / "published"),
        "LOG_LEVEL": "WARNING",
    }
    for command in (["migrate", "-v", "0"], ["load_framework"], ["load_measure_templates"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    started = time.monotonic()
    floor_line, plans = shell(env, PREPARE.replace("COUNT", str(args.organisations)))[-2:]
    print(
        f"prepared {args.organisations} organisations with approved plans in {time.monotonic() - started:.0f} s"
    )
    [job_id] = shell(env, QUEUE.replace("PLANS", plans).replace("PUBLISH", str(args.publish)))[-1:]
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--batch", "--nice", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    elapsed = time.monotonic() - started
    [result] = shell(env, RESULT.replace("JOB", job_id))[-1:]
    floor = float(floor_line) * args.organisations
    print(f"batch job: {result}")
    print(
        f"{args.organisations} analysis reports{' published' if args.publish else ''}: {elapsed:.1f} s "
        f"({elapsed / args.organisations:.2f} s each); floor (bare WeasyPrint render × {args.organisations}): "
        f"{floor:.1f} s; ratio {elapsed / floor:.2f}"
    )


if __name__ == "__main__":
    main()
