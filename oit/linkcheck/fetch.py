"""Fetching an agency's link safely: public addresses only (checked after DNS and after every
redirect, the connection pinned to the checked address), a true wall-clock deadline, a size cap.
``fetch`` never raises: whatever a site or a link does becomes the result's ``error``."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator

from .policy import REDIRECTS, Fetched, Policy

logger = logging.getLogger(__name__)


class Blocked(Exception):
    """The URL leads somewhere the checker must not go."""


class Unresolved(Exception):
    """The host name does not resolve."""


NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
COMPATIBLE = ipaddress.IPv6Network("::/96")  # the deprecated IPv4-compatible addresses


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries inside it: mapped (::ffff:a.b.c.d), 6to4
    (2002:AABB:CCDD::), Teredo (its server and its client), NAT64 and IPv4-compatible (::a.b.c.d)."""
    inside = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if any(ip in network for network in NAT64) or (ip in COMPATIBLE and int(ip) > 1):
        inside.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [address for address in inside if address is not None]


def _public(address: str, allow_loopback: bool) -> bool:
    """Whether the checker may connect to ``address``: an IPv6 address that carries an IPv4 one is
    judged by that address too, so 2002:7f00:1:: (127.0.0.1 inside 6to4) is not public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inside = embedded_ipv4(ip)
        if inside:
            return all(_public(str(v4), allow_loopback) for v4 in inside) and (
                ip.ipv4_mapped is not None or not (ip.is_multicast or ip.is_unspecified)
            )
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


def resolve(host: str, port: int, policy: Policy, deadline: float) -> str:
    """The address to connect to: every address ``host`` resolves to must be public. The system's
    resolver has no timeout of its own, so it is asked in a thread given the time left."""
    answer: list = []

    def ask():
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError, ValueError) as exc:
            answer.append(exc)

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(max(0.0, deadline - time.monotonic()))
    if not answer:
        raise TimeoutError(host)
    if isinstance(answer[0], BaseException):
        raise Unresolved(host) from answer[0]
    addresses = [info[4][0] for info in answer[0]]
    if not addresses or not all(_public(a, policy.allow_loopback) for a in addresses):
        raise Blocked(host)
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    """HTTP to an address already checked, with the URL's host name in the Host header."""

    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self.raw = None  # the plain socket, for the deadline to cut

    def connect(self):
        self.sock = self.raw = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address
        self.raw = None

    def connect(self):
        self.raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(self.raw, server_hostname=self.host)


class _Deadline:
    """A true wall-clock limit over connect, TLS, status line, headers and body: when the time is
    up, the connection's socket is shut down from a timer thread, which ends any read in progress
    (a site sending one byte a second no longer keeps the checker)."""

    def __init__(self, connection, at: float):
        self.connection = connection
        self.passed = False
        self.timer = threading.Timer(max(0.0, at - time.monotonic()), self.cut)
        self.timer.daemon = True

    def cut(self):
        self.passed = True
        raw = self.connection.raw
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        return False


def fetch(url: str, policy: Policy) -> Fetched:
    """GET ``url`` as the policy allows, following redirects, within ``policy.timeout`` seconds in
    all. Never raises: whatever a site or a link does becomes the result's ``error``."""
    started = time.monotonic()
    result = Fetched(url=url)
    try:
        _follow(url, policy, started + policy.timeout, result)
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
    except ValueError:  # a port out of range, a broken IPv6 literal, in the link or a redirect
        result.error = "invalid"
    except Exception:  # anything else a hostile site manages: that link's failure only
        logger.warning("link check of %s failed unexpectedly", url[:200], exc_info=True)
        result.error = "connect"
    finally:
        result.elapsed = time.monotonic() - started
    if result.error and time.monotonic() >= started + policy.timeout:
        result.error = "timeout"  # the deadline cut the connection: that is what happened
    return result


def _follow(url: str, policy: Policy, deadline: float, result: Fetched) -> None:
    current = url
    for _hop in range(policy.max_redirects + 1):
        parts = urllib.parse.urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            result.error = "scheme"
            return
        if parts.username is not None or parts.password is not None:
            result.error = "credentials"
            return
        port = parts.port  # a ValueError for a port that is not a number or beyond 65535
        if port is not None and not 1 <= port <= 65535:
            raise ValueError(port)
        port = port or (443 if parts.scheme == "https" else 80)
        address = resolve(parts.hostname, port, policy, deadline)
        kind = _PinnedTLS if parts.scheme == "https" else _Pinned
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(current)
        connection = kind(parts.hostname, address, port, min(policy.timeout, left))
        try:
            with _Deadline(connection, deadline) as limit:
                location = _get(connection, parts, policy, result, current, deadline)
            if limit.passed:
                raise TimeoutError(current)
        finally:
            connection.close()
        if location is None:
            return
        current = urllib.parse.urljoin(current, location)
    result.error = "redirects"


def _get(connection, parts, policy: Policy, result: Fetched, current: str, deadline: float) -> str | None:
    """One request: the redirect's Location, or None once the response is read into ``result``."""
    # A Thai file name in the path is sent percent-encoded, as a browser sends it.
    path = urllib.parse.urlunsplit(
        ("", "", urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=~"), parts.query, "")
    )
    headers = {"User-Agent": policy.user_agent, "Accept": "*/*", "Connection": "close"}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    result.final_url, result.status = current, response.status
    if response.status in REDIRECTS and response.getheader("Location"):
        return response.getheader("Location")
    result.content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()[:100]
    result.last_modified = (response.getheader("Last-Modified") or "")[:64]
    length = (response.getheader("Content-Length") or "").strip()
    result.size = int(length) if length.isascii() and length.isdigit() and len(length) < 19 else None
    result.body, result.truncated = _read(response, policy.max_bytes, deadline)
    if result.size is None:
        result.size = len(result.body)
    return None


def _read(response, limit: int, deadline: float) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, within the deadline; and whether there was more."""
    chunks, read = [], 0
    while read < limit:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(min(65536, limit - read))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        read += len(chunk)
    return b"".join(chunks), bool(response.read1(1))


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
