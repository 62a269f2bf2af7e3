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

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

OK, WARN, FAIL = "ok", "warn", "fail"
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
YEAR = re.compile(r"(?<!\d)(25[4-9]\d)(?!\d)")  # BE 2540–2599
# A sign-in page's address: the word on its own in the path or query, or Google's accounts site.
LOGIN_URL = re.compile(
    r"(?:^|[/.?=&_-])(?:log-?in|sign-?in|servicelogin|sso|auth)(?:$|[/.?=&_-])|accounts\.google\.com", re.I
)
PASSWORD_FIELD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.I)
TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
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
    error: str = ""  # scheme, blocked, dns, timeout, connect, tls, redirects
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


class Blocked(Exception):
    """The URL leads somewhere the checker must not go."""


class Unresolved(Exception):
    """The host name does not resolve."""


def _public(address: str, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return not (
        ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(host: str, port: int, policy: Policy) -> str:
    """The address to connect to: every address ``host`` resolves to must be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolved(host) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(_public(a, policy.allow_loopback) for a in addresses):
        raise Blocked(host)
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    """HTTP to an address already checked, with the URL's host name in the Host header."""

    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, policy: Policy) -> Fetched:
    """GET ``url`` as the policy allows, following redirects; never raises for what a site does."""
    started = time.monotonic()
    deadline = started + policy.timeout
    result = Fetched(url=url)
    current = url
    try:
        for _hop in range(policy.max_redirects + 1):
            parts = urllib.parse.urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                result.error = "scheme"
                return result
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = resolve(parts.hostname, port, policy)
            kind = _PinnedTLS if parts.scheme == "https" else _Pinned
            connection = kind(
                parts.hostname, address, port, max(0.1, min(policy.timeout, deadline - time.monotonic()))
            )
            try:
                # A Thai file name in the path is sent percent-encoded, as a browser sends it.
                path = urllib.parse.urlunsplit(
                    ("", "", urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=~"), parts.query, "")
                )
                connection.request(
                    "GET",
                    path,
                    headers={"User-Agent": policy.user_agent, "Accept": "*/*", "Connection": "close"},
                )
                response = connection.getresponse()
                result.final_url, result.status = current, response.status
                if response.status in REDIRECTS and response.getheader("Location"):
                    current = urllib.parse.urljoin(current, response.getheader("Location"))
                    continue
                result.content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
                result.last_modified = response.getheader("Last-Modified") or ""
                length = response.getheader("Content-Length")
                result.size = int(length) if length and length.isdigit() else None
                result.body, result.truncated = _read(response, policy.max_bytes, deadline)
                if result.size is None:
                    result.size = len(result.body)
                return result
            finally:
                connection.close()
        result.error = "redirects"
    except Blocked:
        result.error = "blocked"
    except Unresolved:
        result.error = "dns"
    except TimeoutError:
        result.error = "timeout"
    except ssl.SSLError:
        result.error = "tls"
    except (OSError, http.client.HTTPException):
        result.error = "connect"
    finally:
        result.elapsed = time.monotonic() - started
    return result


def _read(response, limit: int, deadline: float) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, within the deadline; and whether there was more."""
    chunks, read = [], 0
    while read < limit:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read(min(65536, limit - read))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        read += len(chunk)
    return b"".join(chunks), bool(response.read(1))


# --- What the assessor will find -------------------------------------------------------------


def thai_year(year: int) -> str:
    return str(year).translate(TO_THAI)


def years_in(text: str) -> tuple[int, ...]:
    """The Buddhist-era years a text mentions (Arabic or Thai digits), newest first."""
    return tuple(sorted({int(y) for y in YEAR.findall(text.translate(THAI_DIGITS))}, reverse=True))


def text_of(fetched: Fetched) -> tuple[str, str]:
    """(title, text) of an HTML page or a PDF; ("", "") for what cannot be read."""
    body = fetched.body
    kind = fetched.content_type
    if kind == "application/pdf" or body.startswith(b"%PDF"):
        return "", _pdf_text(body)
    if kind.startswith("text/") or kind in ("application/xhtml+xml", "") or body.lstrip()[:1] == b"<":
        found = TITLE.search(body)
        title = _decode(found.group(1)).strip() if found else ""
        text = re.sub(rb"<(script|style)[^>]*>.*?</\1>", b" ", body, flags=re.I | re.S)
        text = re.sub(rb"<[^>]+>", b" ", text)
        return " ".join(title.split())[:255], _decode(text)
    return "", ""


def _decode(data: bytes) -> str:
    """UTF-8, or the Thai Windows encoding (TIS-620's superset) older Thai sites still serve."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp874", "replace")


def _pdf_text(body: bytes, pages: int = 5) -> str:
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(body))
        return " ".join((page.extract_text() or "") for page in reader.pages[:pages])
    except Exception:  # a truncated or damaged PDF: nothing readable  # noqa: BLE001
        return ""


def judge(fetched: Fetched, accepted_years: Iterable[int], policy: Policy = Policy()) -> Verdict:
    """What an assessor opening the URL would find, for an item whose content may be of
    ``accepted_years`` (Buddhist era)."""
    accepted = sorted(accepted_years, reverse=True)
    failures = {
        "scheme": "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://",
        "blocked": "ลิงก์ชี้ไปยังที่อยู่ภายในเครือข่ายหรือเครื่องนี้ ผู้ประเมินเปิดไม่ได้",
        "dns": "ไม่พบชื่อเว็บไซต์นี้ (DNS)",
        "timeout": f"เว็บไซต์ไม่ตอบภายใน {policy.timeout:g} วินาที",
        "tls": "ใบรับรองความปลอดภัย (HTTPS) ของเว็บไซต์ไม่ถูกต้อง",
        "connect": "เชื่อมต่อเว็บไซต์ไม่ได้",
        "redirects": f"เปลี่ยนเส้นทางเกิน {policy.max_redirects} ครั้ง",
    }
    if fetched.error:
        return Verdict(FAIL, fetched.error, failures[fetched.error])
    status = fetched.status or 0
    redirected_to_login = fetched.final_url != fetched.url and LOGIN_URL.search(fetched.final_url)
    if status in (401, 403) or redirected_to_login:
        return Verdict(FAIL, "login", "ต้องเข้าสู่ระบบจึงจะเปิดได้")
    if status in (404, 410):
        return Verdict(FAIL, "not_found", f"ลิงก์เสีย {status}")
    if status >= 500:
        return Verdict(FAIL, "server", f"เว็บไซต์ขัดข้อง ({status})")
    if not 200 <= status < 300:
        return Verdict(FAIL, "status", f"เปิดไม่ได้ (HTTP {status})")
    if PASSWORD_FIELD.search(fetched.body[:200_000]):
        return Verdict(FAIL, "login", "ต้องเข้าสู่ระบบจึงจะเปิดได้")
    title, text = text_of(fetched)
    found = years_in(f"{title} {text}")
    matching = [year for year in accepted if year in found]
    if matching:
        return Verdict(OK, "ok", f"เปิดได้ พบปี {thai_year(matching[0])}", title, found)
    if found and max(found) < min(accepted):
        return Verdict(WARN, "outdated", f"ยังเป็นเอกสารปี {thai_year(max(found))}", title, found)
    wanted = thai_year(accepted[0])
    if not text.strip():
        return Verdict(
            WARN, "unreadable", f"อ่านข้อความในไฟล์ไม่ได้ (อาจเป็นภาพสแกน) ตรวจปี {wanted} ด้วยตนเอง", title
        )
    if fetched.truncated:
        return Verdict(WARN, "no_year", f"ไฟล์ใหญ่ ตรวจเฉพาะส่วนต้น ไม่พบปี {wanted}", title, found)
    return Verdict(WARN, "no_year", f"ไม่พบปี {wanted} ในเนื้อหา", title, found)


def check(url: str, accepted_years: Iterable[int], policy: Policy) -> tuple[Fetched, Verdict]:
    fetched = fetch(url, policy)
    verdict = judge(fetched, accepted_years, policy)
    fetched.body = b""  # judged: not kept
    return fetched, verdict


def paced(urls: Iterable[str], policy: Policy, *, clock=time.monotonic, sleep=time.sleep) -> Iterator[str]:
    """``urls`` in an order that visits hosts in turn, waiting only when every host left was
    asked less than ``policy.per_host_interval`` seconds ago."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault((urllib.parse.urlsplit(url).hostname or "").lower(), []).append(url)
    last: dict[str, float] = {}
    while by_host:
        now = clock()
        ready = [h for h in by_host if h not in last or last[h] + policy.per_host_interval <= now]
        if not ready:
            sleep(min(last[h] + policy.per_host_interval for h in by_host) - now)
            continue
        for host in ready:
            last[host] = clock()
            yield by_host[host].pop(0)
            if not by_host[host]:
                del by_host[host]
