"""What the link checker is told (``Policy``) and what it finds (``Fetched``, ``Verdict``)."""

from __future__ import annotations

from dataclasses import dataclass, field

OK, WARN, FAIL = "ok", "warn", "fail"
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Policy:
    timeout: float = 10.0  # seconds for a connection or a read, and for the whole fetch
    max_bytes: int = 5 * 1024 * 1024  # the most of a body read (a PDF's first pages hold its year)
    max_redirects: int = 5
    per_host_interval: float = 1.0  # seconds between two requests to one host
    allow_loopback: bool = False  # tests only
    # ASCII only (an HTTP header): says who asks and why, so a site's administrator can tell.
    user_agent: str = (
        "ITA-Portal-LinkChecker/1.0 (checks an agency's own OIT links before the ITA assessment)"
    )


@dataclass
class Fetched:
    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    size: int | None = None  # Content-Length, else the bytes read
    last_modified: str = ""
    body: bytes = b""
    truncated: bool = False
    error: str = ""  # scheme, credentials, invalid, blocked, dns, timeout, connect, tls, redirects
    elapsed: float = 0.0


@dataclass(frozen=True)
class Verdict:
    level: str  # OK, WARN or FAIL
    code: str  # what was found, for the register's counts: ok, outdated, no_year, login, …
    reason: str  # in Thai, for the register
    title: str = ""
    years: tuple[int, ...] = field(default_factory=tuple)

    @property
    def broken(self) -> bool:
        return self.level == FAIL

    @property
    def outdated(self) -> bool:
        return self.code == "outdated"
