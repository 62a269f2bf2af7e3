"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Run on their own (``pytest -m e2e``; ``make test`` does): pytest-django's live server
uses a transactional database that is emptied after each test, so each test loads
the frameworks it needs. Playwright never downloads a browser here: it launches the
system's ``/usr/bin/chromium`` (``CHROMIUM`` to use another). Each test leaves a
screenshot of its last step in ``tests/screenshots/`` (ignored by git).
"""

import html
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an event loop in this thread; the ORM calls of the tests are still
# made one at a time from it, which is what Django's async-safety check is there to protect.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PASSWORD = "Journey!2568"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def frameworks(transactional_db):
    call_command("load_framework", verbosity=0)
    call_command("load_measure_templates", verbosity=0)


# What only a maintainer's note or a program's internals would show on a page.
NOT_FOR_USERS = [".md", "FRAMEWORK_SOURCES", "Traceback", "['", "None", "{{", "{%"]
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.S)


def watch_pages(context) -> list:
    """Keep every page the browser is served in ``context``, to read once the test is done."""
    served: list = []

    def keep(response):
        html_page = "text/html" in response.headers.get("content-type", "")
        if response.request.resource_type == "document" and response.status == 200 and html_page:
            served.append((response.url, response.text()))  # read now: gone once the page moves on

    context.on("response", keep)
    return served


def maintainers_notes(served: list) -> list[str]:
    """What the pages showed that is meant for maintainers: file names, sources, Python reprs."""
    from assessments.models import FiscalYear, Indicator, Question

    sources = {
        note[:25]
        for model in (FiscalYear, Indicator, Question)
        for note in model.objects.exclude(source_note="").values_list("source_note", flat=True)
    }
    found = []
    for url, body in served:
        text = html.unescape(_TAGS.sub(" ", body))
        found += [f"{url}: {bad}" for bad in NOT_FOR_USERS if bad in text]
        found += [f"{url}: source “{source}”" for source in sources if source in text]
    return found


# WCAG 2.1 A and AA, as axe-core tags them; a critical or serious violation fails the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("critical", "serious")
AXE_LOG = SCREENSHOTS / "axe.jsonl"


def replay(body: str):
    """A route handler that answers with the page as it was served."""

    def answer(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    return answer


def accessibility_violations(browser, served: list, label: str, **viewport) -> list[str]:
    """axe-core (bundled by axe-playwright-python, injected by Playwright, so the portal's CSP is
    untouched) on each page the test was served, once per address: the page exactly as it was
    served (replayed from what was kept, so a later step of the test cannot change it), with the
    portal's CSS and scripts, in the viewport the test used. Every violation goes to ``tests/screenshots/axe.jsonl``; the critical and serious
    ones are returned."""
    import json
    from urllib.parse import urlsplit

    from axe_playwright_python.sync_playwright import Axe

    replaying = browser.new_context(locale="th-TH", **viewport)
    axe, page, failing, seen = Axe(), replaying.new_page(), [], set()
    SCREENSHOTS.mkdir(exist_ok=True)
    with AXE_LOG.open("a", encoding="utf-8") as log:
        for url, body in served:
            where = urlsplit(url)
            address = where.path + (f"?{where.query}" if where.query else "")
            if address in seen:
                continue
            seen.add(address)
            page.route(url, replay(body))
            page.goto(url)
            page.unroute(url)
            log.write(
                json.dumps({"test": label, "page": address, "checked": True}, ensure_ascii=False) + "\n"
            )
            options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
            for violation in axe.run(page, options=options).response["violations"]:
                nodes = [node["target"] for node in violation["nodes"]]
                details = [
                    {
                        "target": node["target"],
                        "html": node["html"][:160],
                        "data": (node.get("any") or [{}])[0].get("data"),
                    }
                    for node in violation["nodes"][:5]
                ]
                log.write(
                    json.dumps(
                        {
                            "test": label,
                            "page": address,
                            "id": violation["id"],
                            "impact": violation["impact"],
                            "nodes": len(nodes),
                            "details": details,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                if violation["impact"] in FAILING_IMPACTS:
                    failing.append(
                        f"{address}: {violation['id']} ({violation['impact']}) × {len(nodes)}, e.g. {nodes[0]}"
                    )
    replaying.close()
    return failing


def checked(browser, opened: list, label: str) -> None:
    """What the pages of each context showed: no maintainer's note, and — unless
    AXE_REPORT_ONLY=1, for a measurement — no critical or serious WCAG 2.1 AA violation."""
    notes, failing = [], []
    for served, viewport in opened:
        notes += maintainers_notes(served)
        failing += accessibility_violations(browser, served, label, **viewport)
    assert all(served for served, _ in opened) and notes == []
    if os.environ.get("AXE_REPORT_ONLY") != "1":
        assert failing == [], "WCAG 2.1 AA (axe-core):\n" + "\n".join(failing)


@pytest.fixture
def open_context(browser, live_server, request):
    """``open_context(viewport=…, is_mobile=…)``: a browser context on the live server whose pages
    are checked when the test ends (``checked``), whether or not the test closed it."""
    opened = []

    def make(**options):
        options = {"base_url": live_server.url, "locale": "th-TH", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(30_000)
        viewport = {key: options[key] for key in ("viewport", "is_mobile") if key in options}
        opened.append((watch_pages(context), viewport))
        return context

    yield make
    checked(browser, opened, request.node.nodeid)


@pytest.fixture
def context(open_context, frameworks):
    return open_context(accept_downloads=True)


@pytest.fixture
def page(context):
    return context.new_page()


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/")


GUIDE = Path(__file__).resolve().parents[2] / "static" / "help"


def screenshot(page, name: str, *, guide: bool = False) -> Path:
    """A full-page screenshot in ``tests/screenshots/``; with ``guide``, the visible screen is also
    kept in ``static/help/`` for the user guide (``/help/``), so the guide shows the portal as it is."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if guide:
        GUIDE.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(GUIDE / f"{name}.png"))
    return path
