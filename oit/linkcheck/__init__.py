"""The OIT link checker: open a URL an agency will submit as an assessor would, safely, and say in
Thai what the assessor will find.

No Django here (the settings come in as a ``Policy``), so every rule is tested against a local
HTTP server started by the test.

**Safe outbound requests.** Only ``http`` and ``https``. The host is resolved once and every
address it resolves to must be public — no private, loopback, link-local, multicast, reserved or
unspecified address (IPv4 or IPv6, IPv4-mapped included) — and the connection is made to that
checked address (the name is kept for the ``Host`` header and TLS), so a DNS answer cannot
change between the check and the connection. Every redirect is checked the same way. One
connection has a timeout, the whole fetch a deadline, the body is read up to a size cap, a
clear User-Agent names the portal, and ``paced`` keeps a polite interval per host.
``Policy.allow_loopback`` opens 127.0.0.0/8 and ::1 only: for the tests' local server.

**What is judged** (``judge``): the HTTP status after redirects, a login wall (401/403, a
redirect to a sign-in page, a page asking for a password), and whether the page's text or the
PDF's text mentions one of the fiscal years the item's content may be of (Buddhist era, in
Arabic or Thai digits); a document that names only an older year is outdated.
"""

from .fetch import Blocked, Unresolved, embedded_ipv4, fetch, paced, resolve
from .judge import check, has_password_field, html_title_and_text, judge, text_of, thai_year, years_in
from .policy import FAIL, OK, WARN, Fetched, Policy, Verdict

__all__ = [
    "FAIL",
    "OK",
    "WARN",
    "Blocked",
    "Fetched",
    "Policy",
    "Unresolved",
    "Verdict",
    "check",
    "embedded_ipv4",
    "fetch",
    "has_password_field",
    "html_title_and_text",
    "judge",
    "paced",
    "resolve",
    "text_of",
    "thai_year",
    "years_in",
]
