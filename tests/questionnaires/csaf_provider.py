"""A CSAF provider served by a real HTTP(S) server thread on loopback, for the feed tests:
files by path (with ETag and Last-Modified, answering conditional requests with 304),
redirects by path, and a record of every request."""

from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Fri, 20 Nov 2026 09:00:00 GMT"


class Provider:
    """What the loopback provider serves: path -> (body, etag); and what it was asked."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[tuple[str, dict]] = []

    def put(self, path: str, body, etag: str = "") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.files[path] = (data, etag or f'"{abs(hash(data))}"')

    def hits(self, path: str) -> list[dict]:
        return [headers for p, headers in self.requests if p == path]


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            provider.requests.append((self.path, dict(self.headers)))
            if self.path in provider.redirects:
                self.send_response(302)
                self.send_header("Location", provider.redirects[self.path])
                self.end_headers()
                return
            if self.path not in provider.files:
                self.send_response(404)
                self.end_headers()
                return
            body, etag = provider.files[self.path]
            if self.headers.get("If-None-Match") == etag or (
                self.headers.get("If-Modified-Since") == LAST_MODIFIED
                and not self.headers.get("If-None-Match")
            ):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@contextlib.contextmanager
def serve(host: str = "127.0.0.1", tls=None):
    """A real HTTP(S) server thread on `host` (a port in this session's 8300-8399 range)."""
    state = Provider()
    server = None
    for port in range(8300, 8400):
        try:
            server = ThreadingHTTPServer((host, port), _handler(state))
            break
        except OSError:
            continue
    assert server is not None
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"{'https' if tls else 'http'}://{host}:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
