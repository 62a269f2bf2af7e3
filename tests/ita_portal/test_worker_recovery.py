"""Background work survives a killed process: the real worker (manage.py run_worker and its child)
is killed with SIGKILL in the middle of a link check, and the job is run again and finishes; when
the whole worker is gone, the next worker finds the job by its expired lease. The task rows agree
with the jobs, and asking again never joins a dead job."""

import http.server
import os
import signal
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

SETUP = """
from assessments.models import FiscalYear, Organisation, Question
from oit.models import RegisterItem
organisation = Organisation.objects.create(name="อบต.ทดสอบ", org_type="sao", district="เมือง", province="ตาก")
year = FiscalYear.objects.get(year=2569)
RegisterItem.objects.create(organisation=organisation, fiscal_year=year,
    question=Question.objects.get(fiscal_year=year, code="O1"), urls="{url}")
print("ok")
"""


class Site:
    """A local web site whose first answer hangs until released; later ones answer at once."""

    def __init__(self):
        self.requests = 0
        self.release = threading.Event()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.requests += 1
                if site.requests == 1:
                    site.release.wait(120)  # the worker is killed while it waits here
                body = "<html><title>โครงสร้าง ปี 2569</title><body>ปีงบประมาณ 2569</body></html>".encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client was killed

            def log_message(self, *args):
                pass

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/structure"

    def close(self):
        self.release.set()
        self.server.shutdown()


@pytest.fixture
def site():
    site = Site()
    yield site
    site.close()


@pytest.fixture
def home(tmp_path, site):
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WORK_ROOT": str(tmp_path / "work"),
        "LINKCHECK_ALLOW_LOOPBACK": "1",
        "LINKCHECK_HOST_INTERVAL": "0",
        "LINKCHECK_TIMEOUT": "120",  # the hanging answer is ended by the kill, not by a timeout
        "JOB_HEARTBEAT_SECONDS": "0.5",
        "JOB_LEASE_SECONDS": "4",
        "WORKER_NICE": "0",
    }
    for command in (
        ["migrate", "-v", "0"],
        ["load_framework", "2569"],
        ["shell", "-c", SETUP.format(url=site.url)],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    return tmp_path, env


def queue_check(env):
    subprocess.run(
        [sys.executable, "manage.py", "check_oit_links", "--year", "2569"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def start_worker(env, log, *, schedule: bool = False):
    return subprocess.Popen(
        # --no-schedule: the portal's own schedule would queue its periodic tasks beside the one
        # under test (the schedule's claims are tested in test_schedule.py).
        # --processes 1: the test kills the one child that runs the job under test.
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--processes", "1"]
        + ([] if schedule else ["--no-schedule"]),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def job_state(db: Path) -> tuple:
    with sqlite3.connect(db, timeout=20) as connection:
        return connection.execute("SELECT status, attempts, task_id, message FROM ita_portal_job").fetchone()


def task_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db, timeout=20) as connection:
        return connection.execute(
            "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at"
        ).fetchall()


def wait_for(condition, seconds=60, step=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    pytest.fail("waited too long")


def child_of(pid: int) -> int:
    found = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    return int(found[0]) if found else 0


def test_a_killed_worker_child_leaves_no_job_running_and_its_job_runs_again(home, site):
    tmp_path, env = home
    db = tmp_path / "db.sqlite3"
    queue_check(env)
    with open(tmp_path / "worker.log", "w") as log:
        worker = start_worker(env, log)
        try:
            wait_for(lambda: site.requests >= 1 and job_state(db)[0] == "running")
            child = wait_for(lambda: child_of(worker.pid))
            os.kill(child, signal.SIGKILL)  # mid link check, waiting for the site's answer
            # run_worker sees its child die, fails the task row and queues the same check again.
            state = wait_for(lambda: (s := job_state(db))[1] >= 2 and s)
            assert state[1] == 2
            site.release.set()
            state = wait_for(lambda: (s := job_state(db))[0] == "done" and s)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    assert state[0] == "done" and state[1] == 2 and "ตรวจ 1 ลิงก์แล้ว" in state[3]
    rows = task_rows(db)
    assert rows == [("FAILED", "ita_portal.recovery.WorkerLost"), ("SUCCESSFUL", "")]
    assert site.requests == 2


def test_a_worker_killed_whole_is_found_by_the_next_one_through_its_lease(home, site):
    tmp_path, env = home
    db = tmp_path / "db.sqlite3"
    queue_check(env)
    with open(tmp_path / "worker.log", "w") as log:
        worker = start_worker(env, log)
        wait_for(lambda: site.requests >= 1 and job_state(db)[0] == "running")
        os.killpg(worker.pid, signal.SIGKILL)  # the parent and its child: a crash or a power cut
        worker.wait(timeout=30)
        time.sleep(1)
        assert job_state(db)[0] == "running"  # nobody left to say otherwise
        site.release.set()
        time.sleep(4.5)  # the lease (4 s) runs out
        # Asking for the same check again does not join the dead job: it is recovered first
        # (queued again, its task row failed), and the new request joins the live one.
        queue_check(env)
        assert job_state(db)[:2] == ("queued", 1)
        assert task_rows(db) == [("FAILED", "ita_portal.recovery.WorkerLost"), ("READY", "")]
        worker = start_worker(env, log)
        try:
            state = wait_for(lambda: (s := job_state(db))[0] == "done" and s)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    assert state[1] == 2
    assert task_rows(db) == [("FAILED", "ita_portal.recovery.WorkerLost"), ("SUCCESSFUL", "")]


def test_the_worker_runs_the_portals_schedule_without_cron(home, site):
    """``run_worker`` as ``make run`` and ``make serve`` start it queues and runs the schedule's
    every-ten-minutes entry (its latest time is within a first start's 15 minutes)."""
    tmp_path, env = home
    # Between 02:30 and 02:45 (Bangkok) a first start also queues the nightly link checks, which
    # would check this module's register against the held site: let it answer, so the worker can
    # stop within the test's wait whatever the hour.
    site.release.set()
    db = tmp_path / "db.sqlite3"
    with open(tmp_path / "worker.log", "w") as log:
        worker = start_worker(env, log, schedule=True)
        try:
            with sqlite3.connect(db, timeout=20) as connection:
                claimed = wait_for(
                    lambda: connection.execute("SELECT name FROM ita_portal_scheduledrun").fetchall()
                )
            ran = wait_for(lambda: ("SUCCESSFUL", "") in task_rows(db))
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    assert ("send-pending",) in claimed and ran  # (at 02:15–03:00 or 07:00–07:45 others too)
