"""The production stack once, end to end: `scripts/serve.sh` (what `make serve` runs) with DEBUG
off — gunicorn, WhiteNoise's hashed static files, the CSP — and a real task worker process that
renders the PDF a person asks for: queue → render in the worker → download.

It runs on its own SQLite file and folders under a temporary directory, with the demo data.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, accessibility_violations, watch_pages

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


# The demo's 2568 result of อบต.วังหมี, its plan generated and approved by the working group.
APPROVED_PLAN = """
from django.contrib.auth.models import User
from assessments.models import Assessment
from measures.services import plan_approve, plan_generate, plan_submit
wg = User.objects.get(username="workgroup")
assessment = Assessment.objects.get(organisation__code="DEMO-WANGMEE", fiscal_year__year=2568)
plan = plan_generate(assessment=assessment, user=wg).plan
plan_submit(plan=plan, user=wg)
plan_approve(plan=plan, user=wg)
print(plan.pk)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The served portal's address; stops gunicorn and the worker afterwards."""
    home = tmp_path_factory.mktemp("stack")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PORT": str(port),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "STATIC_ROOT": str(home / "static"),
        "EVIDENCE_ROOT": str(home / "evidence"),
        "PUBLISHED_ROOT": str(home / "published"),
        "WORK_ROOT": str(home / "work"),
        "WEB_CONCURRENCY": "2",
    }
    manage = [sys.executable, "manage.py"]
    setup_env = {**env, "DEBUG": "1"}
    for command in (["migrate", "-v", "0"], ["load_framework"], ["load_measure_templates"], ["load_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=setup_env, check=True, capture_output=True)
    made = subprocess.run(
        [*manage, "shell", "-c", APPROVED_PLAN],
        cwd=ROOT,
        env=setup_env,
        check=True,
        capture_output=True,
        text=True,
    )
    plan_id = int(made.stdout.strip().splitlines()[-1])
    log = open(home / "serve.log", "w")  # noqa: SIM115 (kept open while the stack runs)
    server = subprocess.Popen(
        ["scripts/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (http, loopback)
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("make serve did not start:\n" + (home / "serve.log").read_text()[-3000:])
            time.sleep(0.3)
    yield {"url": url, "log": home / "serve.log", "plan": plan_id, "db": home / "db.sqlite3"}
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    log.close()


def totp_code(database, username: str) -> str:
    """The code the person's phone would show now, from the served portal's own database."""
    import sqlite3

    from django_otp.oath import totp

    with sqlite3.connect(database) as connection:
        key, step, t0, digits = connection.execute(
            "SELECT d.key, d.step, d.t0, d.digits FROM otp_totp_totpdevice d JOIN auth_user u ON u.id = d.user_id"
            " WHERE u.username = ? ORDER BY d.id DESC",
            (username,),
        ).fetchone()
    return f"{totp(bytes.fromhex(key), step=step, t0=t0, digits=digits):0{digits}d}"


def test_make_serve_serves_styled_pages_and_its_worker_renders_a_queued_pdf(browser, stack):
    context = browser.new_context(base_url=stack["url"], accept_downloads=True)
    served = watch_pages(context)
    page = context.new_page()
    login = page.goto("/login/")
    assert "script-src 'self'" in login.headers["content-security-policy"]
    # Styled by the collected, hashed Bootstrap (DEBUG is off), in the Sarabun font.
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert stylesheet.startswith("/static/vendor/bootstrap/bootstrap.min.") and stylesheet.count(".") == 3
    static = context.request.get(stylesheet)
    assert static.ok and "immutable" in static.headers["cache-control"]
    assert (
        page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgb(10, 88, 202)"  # the portal's primary: 6.4:1 against white text
    )

    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "ItaDemo!2568")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert page.evaluate("document.fonts.check('16px Sarabun')")
    # A publisher enrols the second factor first (on by default when DEBUG is off).
    expect(page.get_by_role("heading", name="ยืนยันตัวตนสองขั้นตอน")).to_be_visible()
    page.locator("#id_code").fill(totp_code(stack["db"], "admin"))
    page.get_by_role("button", name="ยืนยัน").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="ไปต่อ").click()
    expect(page.get_by_role("link", name="ดูผล").first).to_be_visible()

    # The approved plan's analysis report: queued, rendered by the worker process, downloaded.
    page.goto(f"/plans/{stack['plan']}/documents/")
    page.get_by_role("link", name="ดาวน์โหลด PDF (ยังไม่เผยแพร่)").first.click()
    expect(page.locator("#job")).to_have_attribute("data-status", "done", timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "4-production-job-done.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลด PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    context.close()
    # WCAG 2.1 AA on the pages as served in production (the hashed, compressed CSS and scripts).
    failing = accessibility_violations(browser, served, "make serve")
    assert failing == [] or os.environ.get("AXE_REPORT_ONLY") == "1", failing

    log = stack["log"].read_text()
    assert "reports.tasks.render_document state=SUCCESSFUL" in log  # the worker process, not the web
    assert '"logger": "access"' in log and '"request_id": "' in log
