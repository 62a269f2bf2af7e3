"""The house's size rules (ARCHITECTURE.md): no module of the portal over 400 lines, no function
over 60 (migrations, tests and benchmarks aside). The layers are checked by import-linter
(``.importlinter``, run by ``make test``)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
# The portal's own apps: those of INSTALLED_APPS that live in this repository (a new app is checked
# the day it is installed).
APPS = tuple(app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app).is_dir())
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in modules()
        if (lines := path.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = lines
    assert long == {}


# Pages anyone may open (signing in, the health check, the guide, what an agency publishes).
OPEN_PAGES = {
    "login",
    "logout",
    "healthz",
    "favicon",
    "help",
    "members:accept",
    "oidc-start",
    "oidc-callback",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def routes(patterns, namespace=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_signed_in_page_follows_the_one_view_rule():
    """login → scope → action → stale refusal: every view but the open ones is an
    ``OrganisationScopedMixin``, and no view module checks a permission by hand."""
    from django.urls import get_resolver

    from ita_portal.mixins import OrganisationScopedMixin

    outside = sorted(
        name
        for name, callback in routes(get_resolver().url_patterns)
        if not name.startswith("admin:")
        and not name.split(":")[-1].startswith("public")
        and name not in OPEN_PAGES
        and not issubclass(getattr(callback, "view_class", object), OrganisationScopedMixin)
    )
    assert outside == []
    by_hand = [
        str(path.relative_to(ROOT))
        for path in modules()
        if "views" in path.parts or path.name == "views.py"
        if "require(" in path.read_text(encoding="utf-8")
    ]
    assert by_hand == []
