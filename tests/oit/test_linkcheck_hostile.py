"""The link checker against hostile websites and links: a site that drips its answer, headers and
redirects that break the HTTP libraries, addresses that carry a private IPv4 inside, pages built
to make a regular expression take hours, and one bad link among many. A local server only."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import pytest

from oit import linkcheck
from oit.linkcheck import FAIL, OK, Policy

pytestmark = pytest.mark.slow

DRIP_SECONDS = 30  # how long the dripping site would go on


def serve(handler):
    """A raw TCP server on 127.0.0.1 answering each connection with ``handler(socket)``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    def answer(connection):
        try:
            connection.recv(65536)
            handler(connection)
        except OSError:
            pass
        finally:
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}/"


@pytest.fixture
def site(request):
    listener, url = serve(request.param)
    yield url
    listener.close()


def drip_body(connection):
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><title>2568")
    for _ in range(DRIP_SECONDS):
        connection.sendall(b"x")
        time.sleep(1)


def drip_headers(connection):
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * DRIP_SECONDS:
        connection.sendall(bytes([byte]))
        time.sleep(1)


def odd_length(connection):
    body = "<html><title>แผน 2568</title></html>".encode()
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \xc2\xb2\r\n\r\n" + body
    )


def broken_redirect(connection):
    connection.sendall(b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n")


def redirect_to_port_zero(connection):
    connection.sendall(
        b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:99999/\r\nContent-Length: 0\r\n\r\n"
    )


POLICY = Policy(timeout=2.0, max_bytes=1024 * 1024, per_host_interval=0, allow_loopback=True)


@pytest.mark.parametrize("site", [drip_body, drip_headers], indirect=True)
def test_a_site_that_drips_its_answer_is_cut_at_the_deadline(site):
    started = time.monotonic()
    fetched = linkcheck.fetch(site, POLICY)
    assert time.monotonic() - started < POLICY.timeout + 1
    assert fetched.error == "timeout"
    assert linkcheck.judge(fetched, [2568], POLICY).reason == "เว็บไซต์ไม่ตอบภายใน 2 วินาที"


@pytest.mark.parametrize("site", [odd_length], indirect=True)
def test_a_length_header_that_is_not_a_number_is_ignored(site):
    fetched = linkcheck.fetch(site, POLICY)
    assert fetched.error == "" and fetched.size == len(fetched.body)
    assert linkcheck.judge(fetched, [2568], POLICY).level == OK


@pytest.mark.parametrize("site", [broken_redirect, redirect_to_port_zero], indirect=True)
def test_a_redirect_the_url_libraries_cannot_parse_is_a_verdict(site):
    fetched = linkcheck.fetch(site, POLICY)
    assert fetched.error == "invalid"
    assert "รูปแบบไม่ถูกต้อง" in linkcheck.judge(fetched, [2568], POLICY).reason


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://example.go.th:99999/", "invalid"),
        ("http://example.go.th:0/", "invalid"),
        ("http://example.go.th:abc/", "invalid"),
        ("http://[::1", "invalid"),
        ("https://officer:secret@example.go.th/oit", "credentials"),
        ("http://[2002:7f00:1::1]/", "blocked"),  # 6to4 around 127.0.0.1
        ("http://[2002:a9fe:a9fe::1]/", "blocked"),  # 6to4 around the cloud metadata address
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "blocked"),  # Teredo, client 127.0.0.1
        ("http://[64:ff9b::a00:1]/", "blocked"),  # NAT64 around 10.0.0.1
        ("http://[::a00:1]/", "blocked"),  # IPv4-compatible 10.0.0.1
    ],
)
def test_bad_links_are_verdicts_before_any_connection(url, error):
    fetched = linkcheck.fetch(url, Policy(timeout=2, per_host_interval=0))
    assert fetched.error == error
    assert linkcheck.judge(fetched, [2568]).level == FAIL


def test_addresses_that_carry_an_ipv4_are_judged_by_it():
    public = ipaddress.IPv6Address("2002:0808:0808::1")  # 6to4 around 8.8.8.8
    private = ipaddress.IPv6Address("2002:7f00:0001::1")
    assert linkcheck.embedded_ipv4(public) == [ipaddress.IPv4Address("8.8.8.8")]
    assert linkcheck.embedded_ipv4(private) == [ipaddress.IPv4Address("127.0.0.1")]


HOSTILE = {
    "titles": b"<title>" * 750_000,
    "lone brackets": b"<" * 5_000_000,
    "inputs that never close": b"<input type=" * 420_000,
    "scripts that never close": b"<script>" * 625_000,
    "nested tags": b"<a<b<c<d>" * 550_000,
    "a password field at the end": b"x" * 4_999_950 + b'<input type="password">',
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_judging_5_mb_of_hostile_html_takes_under_a_second_of_cpu(name):
    body = HOSTILE[name][: 5 * 1024 * 1024]
    fetched = linkcheck.Fetched(
        url="http://x/", final_url="http://x/", status=200, content_type="text/html", body=body
    )
    started = time.process_time()
    linkcheck.judge(fetched, [2568], POLICY)
    assert time.process_time() - started < 1.0, name


def test_the_html_reading_finds_what_the_regular_expressions_found():
    page = b'<html><head><TITLE lang="th">\xe0\xb9\x81\xe0\xb8\x9c\xe0\xb8\x99 2568</TITLE><style>p{}</style></head>'
    page += b"<body><script>var y = 2540;</script><p>1 < 2</p><input TYPE='password'></body></html>"
    title, text = linkcheck.html_title_and_text(page)
    assert title.decode() == "แผน 2568"
    assert b"2540" not in text and b"p{}" not in text and b"1 < 2" in text
    assert b"script" not in text and b"style" not in text
    assert linkcheck.has_password_field(page)
    assert not linkcheck.has_password_field(b"<input type=text><p>password</p>")


@pytest.mark.django_db
def test_one_hostile_link_does_not_stop_the_rest_of_the_register():
    from assessments.models import FiscalYear, Question
    from oit.models import LinkCheck, RegisterItem
    from oit.services import register_check
    from tests.factories import OrganisationFactory

    sites = [serve(h) for h in (odd_length, broken_redirect, drip_body, odd_length)]
    try:
        year = FiscalYear.objects.get(year=2569)
        item = RegisterItem.objects.create(
            organisation=OrganisationFactory(),
            fiscal_year=year,
            question=Question.objects.get(fiscal_year=year, code="O1"),
            urls="\n".join(url + str(n) for n, (_listener, url) in enumerate(sites)),
        )
        summary = register_check(items=[item], policy=POLICY)
    finally:
        for listener, _url in sites:
            listener.close()
    assert summary.links == 4 and LinkCheck.objects.filter(item=item).count() == 4
    codes = sorted(LinkCheck.objects.filter(item=item).values_list("code", flat=True))
    # The two good pages name 2568, older than the item's 2569; one redirect is unreadable; one drips.
    assert codes == ["invalid", "outdated", "outdated", "timeout"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("http://www.example.go.th:99999/oit", "พอร์ตที่ใช้ไม่ได้"),
        ("http://www.example.go.th:0/oit", "พอร์ตที่ใช้ไม่ได้"),
        ("https://admin:p4ss@www.example.go.th/oit", "ชื่อผู้ใช้หรือรหัสผ่าน"),
    ],
)
def test_the_register_refuses_links_with_a_bad_port_or_a_password(link, message):
    from django.core.exceptions import ValidationError

    from oit.services import clean_urls

    with pytest.raises(ValidationError, match=f"บรรทัดที่ 2 .*{message}"):
        clean_urls("https://www.example.go.th/ok\n" + link)
