"""The OIT link checker against a local HTTP server started here: every verdict an assessor's
visit can end in, and the outbound rules (no private addresses, timeouts, a size cap, a pace per
host). Nothing here touches the network: the server is on 127.0.0.1, the "private" targets are
refused before any connection is tried."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from oit import linkcheck
from oit.linkcheck import FAIL, OK, WARN, Policy

YEARS_2568 = [2568]  # an item whose content must be of the assessment's year


def pdf_with(text: str) -> bytes:
    """A one-page PDF whose text layer is ``text`` (ASCII), written by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def html(title: str, body: str = "") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


PAGES = {
    "/ok": (200, "text/html; charset=utf-8", html("แผนดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2568")),
    "/lessons/2568/ok": (200, "text/html; charset=utf-8", html("บทเรียน ปี 2568")),
    "/tis-620": (
        200,
        "text/html; charset=windows-874",
        html("รายงาน", "ปีงบประมาณ พ.ศ. ๒๕๖๘").decode().encode("cp874"),
    ),
    "/thai-digits": (200, "text/html; charset=utf-8", html("รายงาน", "ปีงบประมาณ พ.ศ. ๒๕๖๘")),
    "/old": (200, "text/html; charset=utf-8", html("แผนดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2567")),
    "/no-year": (200, "text/html; charset=utf-8", html("ติดต่อเรา", "โทร 055 000 000")),
    "/pdf-2568": (200, "application/pdf", pdf_with("Annual plan fiscal year 2568")),
    "/pdf-2567": (200, "application/pdf", pdf_with("Annual plan fiscal year 2567")),
    "/scanned": (200, "application/pdf", pdf_with("")),
    "/forbidden": (403, "text/html", html("Forbidden")),
    "/accounts/login": (200, "text/html", html("เข้าสู่ระบบ", '<form><input type="password" name="p"></form>')),
    "/password-page": (200, "text/html", html("เอกสาร 2568", '<input type="password" name="p">')),
    "/broken-server": (500, "text/html", html("error")),
}
REDIRECTS = {
    "/moved": "/ok",
    "/to-lessons": "/lessons/2568/ok",  # "sso" inside a word is not a sign-in page
    "/moved-twice": "/moved",
    "/needs-login": "/accounts/login?next=/doc",
    "/loop": "/loop",
    "/to-private": "http://10.0.0.1/secret",
    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
}
HUGE = 20 * 1024 * 1024  # bytes the /huge page would send


class Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, float]] = []

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        Handler.seen.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
        path = self.path.split("?")[0]
        if path in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[path])
            self.end_headers()
            return
        if path == "/slow":
            time.sleep(3)
        if path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            try:
                for _ in range(HUGE // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the checker stopped reading at its cap
            return
        status, kind, body = PAGES.get(path, (404, "text/html", html("Not found")))
        if path == "/slow":
            status, kind, body = 200, "text/html", html("ช้า 2568")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Mon, 03 Nov 2025 08:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


LOCAL = Policy(timeout=1.0, max_bytes=1024 * 1024, per_host_interval=0, allow_loopback=True)


def verdict(url, years=YEARS_2568, policy=LOCAL):
    fetched, found = linkcheck.check(url, years, policy)
    return fetched, found


@pytest.mark.parametrize(
    ("path", "level", "code", "reason"),
    [
        ("/ok", OK, "ok", "เปิดได้ พบปี ๒๕๖๘"),
        ("/thai-digits", OK, "ok", "เปิดได้ พบปี ๒๕๖๘"),
        ("/tis-620", OK, "ok", "เปิดได้ พบปี ๒๕๖๘"),  # Thai digits in the Thai Windows encoding
        ("/to-lessons", OK, "ok", "เปิดได้ พบปี ๒๕๖๘"),
        ("/old", WARN, "outdated", "ยังเป็นเอกสารปี ๒๕๖๗"),
        ("/no-year", WARN, "no_year", "ไม่พบปี ๒๕๖๘ ในเนื้อหา"),
        ("/pdf-2568", OK, "ok", "เปิดได้ พบปี ๒๕๖๘"),
        ("/pdf-2567", WARN, "outdated", "ยังเป็นเอกสารปี ๒๕๖๗"),
        ("/scanned", WARN, "unreadable", "อ่านข้อความในไฟล์ไม่ได้ (อาจเป็นภาพสแกน) ตรวจปี ๒๕๖๘ ด้วยตนเอง"),
        ("/missing", FAIL, "not_found", "ลิงก์เสีย 404"),
        ("/broken-server", FAIL, "server", "เว็บไซต์ขัดข้อง (500)"),
        ("/forbidden", FAIL, "login", "ต้องเข้าสู่ระบบจึงจะเปิดได้"),
        ("/needs-login", FAIL, "login", "ต้องเข้าสู่ระบบจึงจะเปิดได้"),
        ("/password-page", FAIL, "login", "ต้องเข้าสู่ระบบจึงจะเปิดได้"),
        ("/loop", FAIL, "redirects", "เปลี่ยนเส้นทางเกิน 5 ครั้ง"),
        ("/to-private", FAIL, "blocked", "ลิงก์ชี้ไปยังที่อยู่ภายในเครือข่ายหรือเครื่องนี้ ผู้ประเมินเปิดไม่ได้"),
        ("/to-metadata", FAIL, "blocked", "ลิงก์ชี้ไปยังที่อยู่ภายในเครือข่ายหรือเครื่องนี้ ผู้ประเมินเปิดไม่ได้"),
    ],
)
def test_each_verdict_against_the_local_server(server, path, level, code, reason):
    _fetched, found = verdict(server + path)
    assert (found.level, found.code, found.reason) == (level, code, reason)


def test_redirects_are_followed_and_the_page_read(server):
    fetched, found = verdict(server + "/moved-twice")
    assert found.level == OK and fetched.status == 200 and fetched.final_url == server + "/ok"
    assert found.title == "แผนดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2568"
    assert fetched.content_type == "text/html" and fetched.last_modified.startswith("Mon, 03 Nov 2025")
    assert fetched.body == b""  # judged, then let go


def test_an_annual_report_may_be_of_the_year_before(server):
    _fetched, found = verdict(server + "/old", years=[2568, 2567])
    assert (found.level, found.reason) == (OK, "เปิดได้ พบปี ๒๕๖๗")


@pytest.mark.slow  # waits for the timeout
def test_a_slow_site_times_out(server):
    started = time.monotonic()
    _fetched, found = verdict(server + "/slow")
    assert (found.level, found.code, found.reason) == (FAIL, "timeout", "เว็บไซต์ไม่ตอบภายใน 1 วินาที")
    assert time.monotonic() - started < 2.5  # gave up at its timeout, not when the site answered


def test_a_huge_response_is_read_only_up_to_the_cap(server):
    fetched = linkcheck.fetch(server + "/huge", LOCAL)
    assert fetched.truncated and len(fetched.body) == LOCAL.max_bytes  # 1 MB of the 20 MB sent
    assert fetched.size == HUGE  # as the server announced it
    found = linkcheck.judge(fetched, YEARS_2568, LOCAL)
    assert (found.level, found.reason) == (WARN, "ไฟล์ใหญ่ ตรวจเฉพาะส่วนต้น ไม่พบปี ๒๕๖๘")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",  # loopback, closed to a checker on a server
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://0.0.0.0/",
        "http://[::ffff:10.0.0.1]/",  # a private IPv4 address written as IPv6
        "http://100.64.0.1/",  # carrier-grade NAT: not global
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused_before_connecting(url):
    fetched = linkcheck.fetch(url, Policy(timeout=1.0))
    assert fetched.error == "blocked" and fetched.status is None


def test_only_http_and_https(server):
    for url in ("ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)"):
        assert linkcheck.fetch(url, LOCAL).error == "scheme"


def test_the_local_server_itself_is_refused_without_the_test_setting(server):
    assert linkcheck.fetch(server + "/ok", Policy(timeout=1.0)).error == "blocked"


def test_requests_name_the_checker(server):
    Handler.seen.clear()
    linkcheck.fetch(server + "/ok", LOCAL)
    assert Handler.seen[-1][1].startswith("ITA-Portal-LinkChecker/")


def test_hosts_are_visited_in_turn_and_each_one_paced():
    clock = {"now": 0.0}
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        clock["now"] += seconds

    urls = ["http://a.example/1", "http://a.example/2", "http://b.example/1", "http://a.example/3"]
    order = list(
        linkcheck.paced(urls, Policy(per_host_interval=1.0), clock=lambda: clock["now"], sleep=sleep)
    )
    # a and b in turn; then only a is left and the checker waits a second between its requests
    assert order == ["http://a.example/1", "http://b.example/1", "http://a.example/2", "http://a.example/3"]
    assert slept == [1.0, 1.0]


def test_years_are_read_in_arabic_and_thai_digits():
    assert linkcheck.years_in("ปีงบประมาณ พ.ศ. ๒๕๖๘ และ 2567, เลขที่ 25681") == (2568, 2567)


def test_a_certificate_the_checker_cannot_trust_is_a_tls_failure(tmp_path):
    """A local HTTPS server with a self-signed certificate: refused as an untrusted site would be."""
    import datetime
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        _fetched, found = verdict(f"https://127.0.0.1:{httpd.server_address[1]}/ok")
    finally:
        httpd.shutdown()
    assert (found.level, found.code, found.reason) == (
        FAIL,
        "tls",
        "ใบรับรองความปลอดภัย (HTTPS) ของเว็บไซต์ไม่ถูกต้อง",
    )
