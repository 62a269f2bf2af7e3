"""Load benchmark: logged-in users on a running portal (make serve), pages and PDF downloads mixed.

    DATABASE_URL=… .venv/bin/python benchmarks/load.py --prepare        # users and plans, once
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000 [--users 50] [--seconds 60]

``--prepare`` (run with the same DATABASE_URL as the server) makes ``--users`` accounts
(bench-user-N, password below) in the demo organisations and approves a plan for each demo
result. Each simulated user logs in, then until the time is up opens a page chosen by weight
(home, result, analysis, plan, progress, documents) or downloads a PDF — following the job page
while the worker renders it — with a short pause between requests, as a person would. Prints
requests/s, p50/p95/max per page, errors, the floor measured in the same run (/healthz: one
database query, no template), and the resident memory of the web and worker processes before
and after.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "LoadTest!2568"  # noqa: S105 (benchmark accounts on a throw-away database)

PREPARE = """
from django.contrib.auth.models import User
from assessments.choices import Role
from assessments.models import Assessment, Membership, Organisation
from measures.services import plan_approve, plan_generate, plan_submit
wg = User.objects.get(username="workgroup")
for assessment in Assessment.objects.filter(organisation__code__startswith="DEMO-"):
    if getattr(assessment, "plan", None) is None:
        Membership.objects.get_or_create(user=wg, organisation=assessment.organisation,
                                         defaults={"role": Role.WORKING_GROUP})
        plan = plan_generate(assessment=assessment, user=wg).plan
        plan_submit(plan=plan, user=wg)
        plan_approve(plan=plan, user=wg)
organisations = list(Organisation.objects.filter(code__startswith="DEMO-"))
roles = [Role.STAFF, Role.WORKING_GROUP, Role.ADMINISTRATOR]
for n in range(USERS):
    user, _ = User.objects.get_or_create(username=f"bench-user-{n}")
    user.set_password("PASSWORD")
    user.save()
    for organisation in organisations:
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": roles[n % 3]})
print("prepared")
"""

# What a person does, by weight: pages of the portal, and downloading a document.
MIX = [
    ("home", 25),
    ("result", 15),
    ("analysis", 10),
    ("plan", 15),
    ("progress", 10),
    ("documents", 10),
    ("pdf", 15),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def processes() -> dict[str, float]:
    """Resident memory (MB) of the gunicorn processes and of the worker's processes."""
    found: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            rss = next(
                int(line.split()[1]) / 1024
                for line in (entry / "status").read_text().splitlines()
                if line.startswith("VmRSS:")
            )
        except (OSError, StopIteration):
            continue
        if "gunicorn" in command and "ita_portal.wsgi" in command:
            found["web (gunicorn, all processes)"] += rss
        elif "db_worker" in command or "run_worker" in command:
            found["worker (run_worker + child)"] += rss
    return dict(found)


class User(threading.Thread):
    def __init__(self, number: int, args, stop_at: float, results: dict, lock: threading.Lock):
        super().__init__(daemon=True)
        import requests

        self.session = requests.Session()
        self.number, self.args, self.stop_at = number, args, stop_at
        self.results, self.lock = results, lock
        self.random = random.Random(number)

    def record(self, page: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.results[page].append(seconds)
            if not ok:
                self.results["errors"].append(page)

    def get(self, page: str, path: str, **kwargs):
        started = time.perf_counter()
        try:
            response = self.session.get(self.args.url + path, timeout=30, **kwargs)
        except Exception:  # a refused or timed-out request is an error of the run, not of this script
            self.record(page, time.perf_counter() - started, False)
            return None
        self.record(page, time.perf_counter() - started, response.status_code < 400)
        return response

    def login(self) -> bool:
        page = self.session.get(self.args.url + "/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.session.post(
            self.args.url + "/login/",
            data={
                "username": f"bench-user-{self.number}",
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.args.url + "/login/"},
            timeout=30,
        )
        return response.ok and "ออกจากระบบ" in response.text

    def run(self) -> None:
        if not self.login():
            self.record("login", 0.0, False)
            return
        home = self.session.get(self.args.url + "/", timeout=30).text
        results = sorted(set(re.findall(r'href="(/assessments/\d+/)"', home)))
        plans = sorted(set(re.findall(r"/plans/(\d+)/", home)))
        if not plans:
            plans = self.args.plans
        names, weights = zip(*MIX, strict=True)
        while time.monotonic() < self.stop_at:
            choice = self.random.choices(names, weights)[0]
            plan = self.random.choice(plans)
            result = self.random.choice(results) if results else "/"
            if choice == "home":
                self.get("home", "/")
            elif choice == "result":
                self.get("result", result)
            elif choice == "analysis":
                self.get("analysis", result + "analysis/")
            elif choice == "plan":
                self.get("plan", f"/plans/{plan}/")
            elif choice == "progress":
                self.get("progress", f"/plans/{plan}/progress/")
            elif choice == "documents":
                self.get("documents", f"/plans/{plan}/documents/")
            else:
                self.download(plan)
            time.sleep(self.random.uniform(0.5, 1.5))

    def download(self, plan: str) -> None:
        kind = self.random.choice(["analysis", "implementation"])
        path = f"/plans/{plan}/documents/{kind}/pdf/"
        response = self.get("pdf (first request)", path, allow_redirects=False)
        if (
            response is None
            or response.status_code != 302
            or "/jobs/" not in response.headers.get("Location", "")
        ):
            return
        job = response.headers["Location"]
        waited = time.monotonic()
        while time.monotonic() < self.stop_at + 60:
            page = self.get("job page", job)
            if page is None or 'data-status="done"' in page.text or 'data-status="failed"' in page.text:
                break
            time.sleep(2)  # as the page's own refresh does
        with self.lock:
            self.results["pdf wait (queue + render)"].append(time.monotonic() - waited)
        self.get("pdf (cached)", path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--prepare", action="store_true")
    args = parser.parse_args()
    if args.prepare:
        code = PREPARE.replace("USERS", str(args.users)).replace("PASSWORD", PASSWORD)
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, check=True, env=os.environ
        )
        return
    args.plans = ["1"]
    memory_before = processes()
    import requests

    floor = []
    for _ in range(20):
        started = time.perf_counter()
        requests.get(args.url + "/healthz", timeout=10)
        floor.append(time.perf_counter() - started)
    results: dict[str, list] = defaultdict(list)
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds
    users = [User(n, args, stop_at, results, lock) for n in range(args.users)]
    started = time.monotonic()
    for user in users:
        user.start()
        time.sleep(0.05)  # people arrive over a few seconds
    for user in users:
        user.join(timeout=args.seconds + 120)
    elapsed = time.monotonic() - started
    during = []
    for _ in range(5):
        tick = time.perf_counter()
        requests.get(args.url + "/healthz", timeout=10)
        during.append(time.perf_counter() - tick)
    memory_after = processes()

    errors = results.pop("errors", [])
    waits = results.pop("pdf wait (queue + render)", [])
    requests_made = sum(len(v) for v in results.values())
    print(
        f"{args.users} users, {elapsed:.0f} s: {requests_made} requests, {requests_made / elapsed:.1f} requests/s"
    )
    print(f"floor /healthz before the run: p50 {statistics.median(floor) * 1000:.1f} ms")
    print(f"{'page':>22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p50/floor':>10}")
    for page, times in sorted(results.items()):
        p50 = statistics.median(times)
        print(
            f"{page:>22} {len(times):>6} {p50 * 1000:>8.0f} {percentile(times, 0.95) * 1000:>8.0f} "
            f"{max(times) * 1000:>8.0f} {p50 / statistics.median(floor):>10.1f}"
        )
    if waits:
        print(
            f"PDF from click to ready (queue + render), {len(waits)} downloads: p50 {statistics.median(waits):.1f} s, "
            f"p95 {percentile(waits, 0.95):.1f} s"
        )
    print(f"errors: {len(errors)} {sorted(set(errors)) if errors else ''}")
    for name in sorted(set(memory_before) | set(memory_after)):
        print(
            f"RSS {name}: {memory_before.get(name, 0):.0f} MB before, {memory_after.get(name, 0):.0f} MB after"
        )


if __name__ == "__main__":
    main()
