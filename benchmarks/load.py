"""Load benchmark: logged-in users on a running portal (make serve), pages and PDF downloads mixed.

    DATABASE_URL=… .venv/bin/python benchmarks/load.py --prepare [--users 200]   # accounts, once
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000 --users 50,100,200 [--seconds 60]

``--prepare`` (run with the same DATABASE_URL as the server) makes ``--users`` accounts
(bench-user-N, password below): on the national dataset (``generate_demo_data``'s GEN-
organisations) each is a member of an organisation with a plan of the latest year, as staff, the
working group or an administrator in turn; otherwise of the demo organisations, whose plans it
approves. Each simulated user logs in, then until the time is up opens a page chosen by weight
(home, result, analysis, plan, progress, documents) or — 15 % of the time — downloads a PDF,
following its job as the job page does (its state after 1 s, then less often), with a pause of
0.5–1.5 s between requests, as a person would.

For each number of users it prints requests/s, page p50/p95 (all pages, and each), PDF ready
p50/p95 (from the click to the file, queue and render included), errors, the trivial logged-in
view (the user's list of jobs) timed every half second by one more user during the run, and the
CPU seconds each group of processes used (web, worker, PostgreSQL, this load generator).
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
from django.db.models import Max
from assessments.choices import Role
from assessments.models import Assessment, Membership, Organisation
from measures.models import MeasurePlan
from measures.services import plan_approve, plan_generate, plan_submit
roles = [Role.STAFF, Role.WORKING_GROUP, Role.ADMINISTRATOR]
generated = MeasurePlan.objects.filter(assessment__organisation__code__startswith="GEN-")
if generated.exists():
    latest = generated.aggregate(year=Max("plan_year"))["year"]
    chosen = list(generated.filter(plan_year=latest).order_by("pk").values_list("assessment__organisation_id", flat=True)[:USERS])
    for n in range(USERS):
        user, made = User.objects.get_or_create(username=f"bench-user-{n}")
        if made:  # a password hash is half a second: once
            user.set_password("PASSWORD")
            user.save()
        Membership.objects.get_or_create(user=user, organisation_id=chosen[n % len(chosen)], defaults={"role": roles[n % 3]})
    print("prepared on the national dataset")
    raise SystemExit
wg = User.objects.get(username="workgroup")
for assessment in Assessment.objects.filter(organisation__code__startswith="DEMO-"):
    if getattr(assessment, "plan", None) is None:
        Membership.objects.get_or_create(user=wg, organisation=assessment.organisation,
                                         defaults={"role": Role.WORKING_GROUP})
        plan = plan_generate(assessment=assessment, user=wg).plan
        plan_submit(plan=plan, user=wg)
        plan_approve(plan=plan, user=wg)
organisations = list(Organisation.objects.filter(code__startswith="DEMO-"))
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


GROUPS = (
    ("web (gunicorn)", lambda c: "gunicorn" in c and "ita_portal.wsgi" in c),
    ("worker (run_worker + children)", lambda c: "db_worker" in c or "run_worker" in c),
    # The backends ("postgres: user db …") and the postmaster (".../bin/postgres -D …"), which
    # reaps the backends of closed connections: without it their CPU is lost.
    ("PostgreSQL", lambda c: c.startswith("postgres") or c.split(" ", 1)[0].endswith("/postgres")),
)
TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[str, tuple[float, float]]:
    """Per group of processes: (resident MB, CPU seconds used so far, its ended children's
    included), from /proc; this load generator is a group of its own. A process that ended during
    the run without being reaped by one of its group is missed (say so when a figure is negative)."""
    found: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            # utime + stime, and cutime + cstime: the children it has reaped (a worker child
            # replaced after its tasks, a PostgreSQL backend whose connection closed).
            cpu = sum(int(f) for f in fields[11:15]) / TICKS
            rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, IndexError, ValueError):
            continue
        if int(entry.name) == os.getpid():
            name = "load generator (this script)"
        else:
            name = next((group for group, matches in GROUPS if matches(command)), "")
        if name:
            found[name][0] += rss
            found[name][1] += cpu
    return {name: (rss, cpu) for name, (rss, cpu) in found.items()}


class User(threading.Thread):
    def __init__(self, number: int, args, stop_at: float, results: dict, lock: threading.Lock):
        super().__init__(daemon=True)
        import requests

        self.session = requests.Session()
        self.number, self.args, self.stop_at = number, args, stop_at
        self.results, self.lock = results, lock
        self.random = random.Random(number)
        self.signed_in = False

    def sign_in(self) -> None:
        """Before the clock starts: a sign-in costs a password hash (about half a second of CPU by
        design), which is not what the pages' times are about."""
        self.signed_in = self.login()
        if not self.signed_in:
            self.record("login", 0.0, False)

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
        if not self.signed_in:
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
        clicked = time.monotonic()
        response = self.get("pdf (first request)", path, allow_redirects=False)
        if response is not None and response.status_code == 200:  # made before: served at once
            self.ready(clicked)
            return
        if response is None or "/jobs/" not in response.headers.get("Location", ""):
            return
        job = response.headers["Location"].rstrip("/")
        delay = 1.0
        while time.monotonic() < self.stop_at + 90:
            time.sleep(delay)  # as the job page's script does: after 1 s, then less often
            delay = min(delay * 1.4, 5.0)
            state = self.get("job state", job + "/state/")
            if state is None or state.status_code != 200:
                continue
            if state.json()["finished"]:
                if self.get("pdf (made)", path) is not None:
                    self.ready(clicked)
                return
        with self.lock:
            self.results["errors"].append("pdf not ready within 90 s of the end")

    def ready(self, clicked: float) -> None:
        with self.lock:
            self.results["pdf ready (click to file)"].append(time.monotonic() - clicked)


class Floor(threading.Thread):
    """The trivial logged-in view (the user's list of jobs) timed every half second during the run."""

    def __init__(self, url: str, stop_at: float):
        super().__init__(daemon=True)
        import requests

        self.url, self.stop_at, self.times, self.failed = url, stop_at, [], 0
        self.session = requests.Session()

    def run(self) -> None:
        user = User(0, argparse.Namespace(url=self.url), self.stop_at, defaultdict(list), threading.Lock())
        user.session = self.session
        if not user.login():
            return
        while time.monotonic() < self.stop_at:
            started = time.perf_counter()
            try:
                self.session.get(self.url + "/jobs/", timeout=30)
            except Exception:  # noqa: BLE001 — a timeout counts as the time waited
                self.failed += 1
            self.times.append(time.perf_counter() - started)
            time.sleep(0.5)


def run_load(args, users: int) -> None:
    """``users`` people for ``args.seconds``, then the report."""
    from concurrent.futures import ThreadPoolExecutor

    results: dict[str, list] = defaultdict(list)
    lock = threading.Lock()
    people = [User(n, args, 0.0, results, lock) for n in range(users)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(User.sign_in, people))
    stop_at = time.monotonic() + args.seconds
    for person in people:
        person.stop_at = stop_at
    floor = Floor(args.url, stop_at)
    floor.start()
    before = processes()
    started = time.monotonic()
    for person in people:
        person.start()
        time.sleep(min(0.05, 5 / users))  # people arrive over a few seconds
    for person in people:
        person.join(timeout=args.seconds + 150)
    elapsed = time.monotonic() - started
    after = processes()
    report(users, elapsed, results, floor.times, before, after)


def report(users, elapsed, results, floor, before, after) -> None:
    errors = results.pop("errors", [])
    ready = results.pop("pdf ready (click to file)", [])
    made = sum(len(v) for v in results.values())
    pages = [t for page, times in results.items() if page in PAGES for t in times]
    print(f"\n{users} users, {elapsed:.0f} s: {made} requests, {made / elapsed:.1f} requests/s")
    if floor:
        print(
            f"trivial view (/jobs/) under this load: p50 {statistics.median(floor) * 1000:.0f} ms, "
            f"p95 {percentile(floor, 0.95) * 1000:.0f} ms ({len(floor)} requests)"
        )
    if pages:
        print(
            f"pages (all): p50 {statistics.median(pages) * 1000:.0f} ms, p95 {percentile(pages, 0.95) * 1000:.0f} ms"
        )
    print(f"{'request':>22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for page, times in sorted(results.items()):
        print(
            f"{page:>22} {len(times):>6} {statistics.median(times) * 1000:>8.0f} "
            f"{percentile(times, 0.95) * 1000:>8.0f} {max(times) * 1000:>8.0f}"
        )
    asked = len(results.get("pdf (first request)", []))
    if ready:
        print(
            f"PDF ready (click to file, queue and render): {len(ready)} of {asked} asked, "
            f"p50 {statistics.median(ready):.1f} s, p95 {percentile(ready, 0.95):.1f} s"
        )
    print(f"errors: {len(errors)} {sorted(set(errors)) if errors else ''}")
    for name in sorted(set(before) | set(after)):
        rss, cpu = after.get(name, (0.0, 0.0))
        used = cpu - before.get(name, (0.0, 0.0))[1]
        print(f"  {name:<32} CPU {used:7.1f} s ({used / elapsed:4.2f} cores)  RSS {rss:6.0f} MB")


PAGES = {"home", "result", "analysis", "plan", "progress", "documents"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", default="50", help="how many people, or several runs: 50,100,200")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--prepare", action="store_true")
    args = parser.parse_args()
    if args.prepare:
        most = max(int(n) for n in str(args.users).split(","))
        code = PREPARE.replace("USERS", str(most)).replace("PASSWORD", PASSWORD)
        subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            check=True,
            env=os.environ,
        )
        return
    args.plans = ["1"]
    for users in [int(n) for n in str(args.users).split(",")]:
        run_load(args, users)


if __name__ == "__main__":
    main()
