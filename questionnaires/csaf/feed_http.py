"""HTTP for the CSAF provider feeds (DESIGN §12, SSRF): only http(s); never a private,
loopback or link-local address unless the operator lists the host in
CSAF_FEED_ALLOWED_PRIVATE_HOSTS (tests, a local mirror); and every redirect re-checked before
it is followed — to another origin, from https to plain http, or to a private address it is
refused with a logged error and the target is never fetched."""

from __future__ import annotations

import logging
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from portal.core.webhooks.transport import address_allowed

log = logging.getLogger("questionnaires.csaf.feeds")
MAX_REDIRECTS = 5


class FeedError(Exception):
    pass


def _private_address(url: str) -> str | None:
    """The first address of the URL's host that may not be called, or None. A name that does
    not resolve is left to the connection (which then fails)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    allowed = getattr(settings, "CSAF_FEED_ALLOWED_PRIVATE_HOSTS", [])
    for info in infos:
        if not address_allowed(host, info[4][0], allowed):
            return info[4][0]
    return None


def http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(f"not an http(s) URL: {url[:200]}")
    return url


def check_url(url: str) -> str:
    """A URL the feed may ask: http(s), with a host, not on a private address."""
    parts = urlsplit(http_url(url))
    address = _private_address(url)
    if address is not None:
        raise FeedError(f"{url[:200]}: {parts.hostname} is a private or loopback address")
    return url


def _origin(url: str) -> tuple:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def redirect_refusal(current: str, target: str) -> str | None:
    """Why a redirect from `current` to `target` may not be followed, or None."""
    scheme = urlsplit(target).scheme
    if scheme not in ("http", "https"):
        return "not an http(s) URL"
    if urlsplit(current).scheme == "https" and scheme == "http":
        return "to plain http"
    if _private_address(target) is not None:
        return "to a private or loopback address"
    if _origin(target) != _origin(current):
        return "to another origin"
    return None


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        why = redirect_refusal(req.full_url, newurl)
        if why is not None:
            log.error(
                "CSAF feed: %s redirects %s (%s); refused, not fetched", req.full_url, why, newurl
            )
            fp.close()
            raise FeedError(f"{req.full_url[:200]}: redirect {why} refused ({newurl[:200]})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener() -> urllib.request.OpenerDirector:
    """HTTP(S) only: no file:, ftp: or data: handlers; redirects re-checked."""
    director = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _CheckedRedirects(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        director.add_handler(handler)
    return director
