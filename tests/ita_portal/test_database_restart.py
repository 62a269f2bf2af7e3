"""A database restart is not a 500: the production web server (gunicorn, DEBUG off) under a steady
load of logged-in pages, public pages and health checks while its PostgreSQL server restarts.
Every request is answered 200, or 503 with Retry-After while the database is away; never 500.

The test makes its own throw-away PostgreSQL cluster (as scripts/with-postgres.sh does), so that it
may restart it."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
PG_BIN = (
    next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
    if Path("/usr/lib/postgresql").exists()
    else None
)

SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from assessments.models import Membership, Organisation
organisation = Organisation.objects.create(name="อบต.ทดสอบ", org_type="sao", district="เมือง", province="ตาก")
user = get_user_model().objects.create_user("staff1", password="a-long-password-1")
Membership.objects.create(user=user, organisation=organisation, role="staff")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(organisation.pk, session.session_key)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ita-restart-"))
        self.port = free_port()
        root = os.getuid() == 0
        if root:
            shutil.chown(self.dir, "postgres")
        self.prefix = ["runuser", "-u", "postgres", "--"] if root else []
        self.run("initdb", "-D", str(self.dir / "data"), "-U", "ita", "--auth=trust", "-E", "UTF8")
        self.options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("start")

    def run(self, program, *args):
        subprocess.run([*self.prefix, str(PG_BIN / program), *args], check=True, capture_output=True)

    def pg_ctl(self, action, *extra):
        self.run(
            "pg_ctl",
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            self.options,
            *extra,
            action,
        )

    @property
    def url(self) -> str:
        return f"postgres://ita@127.0.0.1:{self.port}/postgres"

    def remove(self):
        subprocess.run(
            [*self.prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    if PG_BIN is None:
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    cluster = Cluster()
    yield cluster
    cluster.remove()


def test_requests_during_a_postgresql_restart_get_503_never_500(cluster, tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PLAIN_STATIC": "1",
        "WORK_ROOT": str(tmp_path / "work"),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, capture_output=True)
    made = subprocess.run(
        [*manage, "shell", "--no-imports", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    organisation, session = made.stdout.strip().splitlines()[-1].split()
    log = open(tmp_path / "web.log", "w")  # noqa: SIM115 (kept open while the server runs)
    web = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "ita_portal.wsgi:application", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    paths = ["/healthz", "/", f"/public/organisations/{organisation}/", "/help/"]
    answers: list[tuple[str, int, str]] = []
    stop = threading.Event()

    def ask(path):
        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
                return response.status, response.headers.get("Retry-After", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Retry-After", "")
        except OSError:
            return 0, ""

    def load(n):
        while not stop.is_set():
            path = paths[n % len(paths)]
            status, retry = ask(path)
            answers.append((path, status, retry))
            n += 1

    try:
        deadline = time.monotonic() + 60
        while ask("/healthz")[0] != 200:
            assert web.poll() is None and time.monotonic() < deadline, (tmp_path / "web.log").read_text()[
                -2000:
            ]
            time.sleep(0.3)
        threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        cluster.pg_ctl("restart", "-m", "fast")
        time.sleep(4)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(web.pid, 15)
        web.wait(timeout=30)
        log.close()
    statuses = [status for _path, status, _retry in answers]
    assert len(statuses) > 50
    assert 500 not in statuses, [a for a in answers if a[1] == 500][:5]
    assert all(retry for _path, status, retry in answers if status == 503)  # each 503 says when to retry
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert statuses[-8:].count(200) == 8  # and the portal is back once the database is
