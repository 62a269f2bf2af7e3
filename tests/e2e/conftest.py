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


@pytest.fixture
def context(browser, live_server, frameworks):
    context = browser.new_context(base_url=live_server.url, locale="th-TH", accept_downloads=True)
    context.set_default_timeout(30_000)
    served = watch_pages(context)
    yield context
    notes = maintainers_notes(served)
    context.close()
    assert served and notes == []


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
