"""One HTTP POST to an endpoint, refusing private addresses (DESIGN §15, SSRF).

The host is resolved here, every address it resolves to is checked, and the connection goes to
the checked address itself (the Host header and TLS server name stay the hostname), so a DNS
answer that changes between the check and the connect (rebinding) cannot redirect the request.
Redirects are never followed: a 3xx is a failed attempt. Timeouts are short.

Private, loopback, link-local, reserved, multicast and unspecified addresses are refused unless
the host is listed in WEBHOOK_ALLOWED_PRIVATE_HOSTS; with DEBUG (`make run`) loopback is
allowed so a local receiver can be tried.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 10.0
EXCERPT = 500
READ_LIMIT = 64 * 1024


class Refused(Exception):
    """The URL may not be called (scheme, address); the attempt fails without a connection."""


@dataclass(frozen=True)
class Answer:
    status_code: int
    excerpt: str


def address_allowed(host: str, address: str, allowed_hosts=None) -> bool:
    """May `host`, resolved to `address`, be called? Public addresses yes; a private one only
    for a host in `allowed_hosts` (WEBHOOK_ALLOWED_PRIVATE_HOSTS unless given), loopback also
    with DEBUG. The CSAF feeds use the same rule with their own list."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allowed_hosts is None:
        allowed_hosts = settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS
    if host.lower() in {h.lower() for h in allowed_hosts}:
        return True
    if ip.is_loopback and settings.DEBUG:
        return True
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> str:
    """The first address of `host`, after checking that every address it resolves to may be
    called (a name with one private address among public ones is refused as a whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"cannot resolve {host}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise Refused(f"cannot resolve {host}")
    for address in addresses:
        if not address_allowed(host, address):
            raise Refused(f"{host} resolves to a private or reserved address ({address})")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url`; raises Refused (not called) or OSError (network failure)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("only http and https URLs")
    if parts.username or parts.password:
        raise Refused("no credentials in the URL")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(host, port)
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = kind(host, port, address, CONNECT_TIMEOUT)
    deadline = time.monotonic() + TOTAL_TIMEOUT
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request("POST", path, body=body, headers={**headers, "Connection": "close"})
        response = conn.getresponse()
        data = b""
        while len(data) < READ_LIMIT and time.monotonic() < deadline:
            chunk = response.read(min(8192, READ_LIMIT - len(data)))
            if not chunk:
                break
            data += chunk
        return Answer(response.status, data.decode("utf-8", errors="replace")[:EXCERPT])
    finally:
        conn.close()
