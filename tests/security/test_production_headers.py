"""Headers and cookies in production mode (ASVS V3, V14): the real settings module is imported
in a fresh interpreter with DJANGO_DEBUG=0 and a production environment, and requests go
through the real middleware stack (tests/security/production_probe.py). The one concession is
the database: a throwaway SQLite file through the settings' ALLOW_SQLITE_IN_PRODUCTION switch.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Q9#" + "x" * 30
HOST = "portal.example"


def production_env(tmp: Path) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp / 'production.sqlite3'}",
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
        "ALLOW_LOCAL_CACHE": "1",
        "STATIC_ROOT": str(tmp / "static"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "ERROR",
    }


@pytest.fixture(scope="module")
def prod(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("production")
    out = tmp / "seen.json"
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.security.production_probe", str(out)],
        cwd=ROOT,
        env=production_env(tmp),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(out.read_text())
    seen["tmp"] = str(tmp)
    return seen


def csp(response: dict) -> dict[str, list[str]]:
    header = response["headers"]["content-security-policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_production_mode_is_really_on(prod):
    assert prod["debug"] is False
    assert "Traceback" not in prod["not_found"]["body"]
    assert prod["not_found"]["status"] == 404


def test_plain_http_is_redirected_to_https(prod):
    response = prod["plain_http"]
    assert response["status"] == 301
    assert response["location"] == f"https://{HOST}/accounts/login/"
    # Behind the TLS-terminating proxy (X-Forwarded-Proto: https) there is no loop.
    assert prod["behind_proxy"]["status"] == 200


@pytest.mark.parametrize("page", ["login_page", "home", "api", "not_found", "static_file"])
def test_hsts_with_subdomains(prod, page):
    hsts = prod[page]["headers"]["strict-transport-security"]
    parts = [p.strip() for p in hsts.split(";")]
    assert int(parts[0].removeprefix("max-age=")) >= 365 * 24 * 3600
    assert "includeSubDomains" in parts


@pytest.mark.parametrize("page", ["login_page", "home", "api", "not_found", "static_file"])
def test_hardening_headers_on_every_response(prod, page):
    headers = prod[page]["headers"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers.get("referrer-policy") == "same-origin"
    assert headers.get("cross-origin-opener-policy") == "same-origin"
    if page != "static_file":
        assert headers["x-frame-options"] == "DENY"
    # No software or version leaks.
    assert "server" not in headers and "x-powered-by" not in headers


@pytest.mark.parametrize("page", ["login_page", "home", "not_found"])
def test_content_security_policy(prod, page):
    policy = csp(prod[page])
    scripts = policy.get("script-src", policy["default-src"])
    assert scripts == ["'self'"]
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in policy.get(directive, [])
        assert "'unsafe-eval'" not in policy.get(directive, [])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("*" in v or v.startswith("http") for vs in policy.values() for v in vs)


def test_csrf_cookie_is_secure_httponly_and_same_site(prod):
    cookie = prod["login_page"]["cookies"]["csrftoken"]
    assert cookie == {**cookie, "secure": True, "httponly": True, "samesite": "Lax"}


def test_session_cookie_is_secure_httponly_same_site_and_ends_with_the_browser(prod):
    sign_in = prod["sign_in"]
    assert sign_in["status"] == 302 and prod["home"]["status"] == 200
    cookie = sign_in["cookies"]["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    # SESSION_EXPIRE_AT_BROWSER_CLOSE: no persistent cookie; the server side ends it earlier.
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_application_server_does_not_announce_a_version(prod):
    """gunicorn, as deployed, in front of the production settings."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=production_env(Path(prod["tmp"])),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(
                    "GET",
                    "/accounts/login/",
                    headers={"Host": HOST, "X-Forwarded-Proto": "https"},
                )
                response = conn.getresponse()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        headers = {k.lower(): v for k, v in response.getheaders()}
        assert response.status == 200
        assert headers.get("server", "") in ("", "gunicorn")  # the name only, no version
        assert "x-powered-by" not in headers
        assert "includeSubDomains" in headers["strict-transport-security"]
    finally:
        server.terminate()
        server.wait(timeout=30)
