"""Benchmark: the task worker's memory over many PDF renders, with and without recycling its child.

    .venv/bin/python benchmarks/worker_memory.py [--renders 500] [--max-tasks 50]

On a throw-away SQLite database (the demo data and one approved plan), queues ``--renders``
render tasks of the analysis report (each HTML made distinct, so none is served from the cache)
and runs ``manage.py run_worker --batch`` twice: children replaced every ``--max-tasks`` renders,
then one child for all of them (the floor to compare with). Samples the resident memory of the
worker's child processes every 0.2 s and prints, per run, the RSS after the first render, at the
end, the highest, and the time per render.
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


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def setup(env: dict) -> None:
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v", "0"], ["load_framework"], ["load_measure_templates"], ["load_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)


QUEUE = """
import datetime, sys
from django.contrib.auth.models import User
from assessments.models import Assessment
from measures.services import plan_approve, plan_generate, plan_submit
from ita_portal import jobs
from reports import rendering, services, tasks
wg = User.objects.get(username="workgroup")
admin = User.objects.get(username="admin")
assessment = Assessment.objects.get(organisation__code="DEMO-WANGMEE", fiscal_year__year=2568)
plan = getattr(assessment, "plan", None)
if plan is None:
    plan = plan_generate(assessment=assessment, user=wg).plan
    plan_submit(plan=plan, user=wg)
    plan_approve(plan=plan, user=wg)
today = datetime.date.today().isoformat()
for n in range(RENDERS):
    name = rendering.cache_name(plan.pk, "analysis", f"{n:064d}")  # a name of its own: rendered each time
    job = jobs.start(kind="document", title=f"render {n}", user=admin, key=name)
    tasks.render_document.enqueue(job.pk, plan.pk, "analysis", today, "http://127.0.0.1", name)
print(plan.measures.count())
"""


def run(env: dict, renders: int, max_tasks: int) -> dict:
    queued = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", QUEUE.replace("RENDERS", str(renders))],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    measures = int(queued.stdout.strip().splitlines()[-1])
    started = time.monotonic()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--batch", "--max-tasks", str(max_tasks)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: dict[int, list[float]] = {}
    while worker.poll() is None:
        for child in children_of(worker.pid):
            value = rss_mb(child)
            if value is not None:
                seen.setdefault(child, []).append(value)
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    samples = [s for s in seen.values() if s]
    return {
        "measures": measures,
        "children": len(samples),
        "first": samples[0][min(5, len(samples[0]) - 1)] if samples else 0.0,
        "last": samples[-1][-1] if samples else 0.0,
        "peak": max(max(s) for s in samples) if samples else 0.0,
        "per_child_end": [round(s[-1]) for s in samples],
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=500)
    parser.add_argument("--max-tasks", type=int, default=50)
    args = parser.parse_args()
    results = {}
    for label, limit in (("recycled", args.max_tasks), ("one child (floor)", args.renders)):
        home = Path(tempfile.mkdtemp(prefix="ita-worker-bench-"))
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
            "WORK_ROOT": str(home / "work"),
            "LOG_LEVEL": "WARNING",
        }
        setup(env)
        results[label] = run(env, args.renders, limit)
        print(f"{label}: done", flush=True)
    print(f"\n{args.renders} renders of the analysis report ({results['recycled']['measures']} measures)")
    for label, found in results.items():
        print(
            f"{label:>18}: {found['children']} child process(es); child RSS after its first renders "
            f"{found['first']:.0f} MB, at the end {found['last']:.0f} MB, highest {found['peak']:.0f} MB; "
            f"{found['seconds'] / args.renders:.2f} s per render"
        )
    recycled, floor = results["recycled"], results["one child (floor)"]
    print(f"each recycled child ended at (MB): {recycled['per_child_end']}")
    print(f"highest RSS, recycled / one child: {recycled['peak'] / floor['peak']:.2f}")


if __name__ == "__main__":
    main()
