"""No page runs inline code (ASVS V14.4 with the CSP of portal/settings.py): every page that the
cast can open is rendered and parsed; a <script> must load a file, and no element carries an
on…= event handler, a javascript: URL, an inline style or an htmx hx-on handler — all of which
the Content-Security-Policy (script-src/style-src 'self') would block in the browser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import ROUTES, Route
from tests.conftest import client_for

# Script types a browser does not execute (data blocks), allowed inline.
DATA_TYPES = {"application/json", "application/ld+json", "text/template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts = 0
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
        if tag == "script":
            self.scripts += 1
            self._in_script = attributes
        if tag == "style":
            self.problems.append("<style> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is None or not data.strip():
            return
        if (self._in_script.get("type") or "").lower() in DATA_TYPES:
            return
        self.problems.append(f"inline <script> body: {data.strip()[:60]!r}")


def inline_code(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_the_inspector_finds_what_it_looks_for():
    """The checker itself: each kind of inline code is found, a script file is not."""
    page = (
        '<script src="/static/a.js"></script><script type="application/json">{"a":1}</script>'
        '<script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:x()">x</a>'
        '<div style="color:red" hx-on:click="x()"></div><style>p{}</style>'
    )
    problems = inline_code(page)
    assert len(problems) == 6, problems
    assert inline_code('<script src="/static/a.js" defer></script><p class="x">ok</p>') == []


PAGES = [r for r in ROUTES if r.method == "get" and not r.public and not r.api]


def _html(response) -> str | None:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


@pytest.mark.parametrize("route", PAGES, ids=[r.name for r in PAGES])
def test_no_inline_code_on_any_page(cast, route: Route):
    world = route.setup(cast)
    url = reverse(route.name, kwargs=route.kwargs(cast, world)) + route.query
    rendered = 0
    for who in route.allowed:
        client = client_for(cast.membership(who))
        # A fragment route (an htmx target) answers its fragment only to htmx.
        response = client.get(url)
        if response.status_code == 200 and "text/html" not in response.get("Content-Type", ""):
            rendered += 1  # a file (PDF, spreadsheet): no page to inspect
            continue
        html = _html(response) or _html(client.get(url, HTTP_HX_REQUEST="true"))
        if html is None:
            continue
        rendered += 1
        assert inline_code(html) == [], f"{url} as {who}"
    # Exports and downloads answer with files; every other page was really looked at.
    if not any(word in route.name for word in ("xlsx", "export", "download", "pdf")):
        assert rendered, f"{route.name}: no page rendered"


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("account_login", None),
        ("account_reset_password", None),
        ("account_request_login_code", None),
        ("account_change_password", "ciso"),
        ("mfa_index", "ciso"),
        ("mfa_activate_totp", "ciso"),
        ("api-docs", None),
    ],
)
def test_no_inline_code_on_sign_in_and_library_pages(cast, name, who):
    client = client_for(cast.membership(who)) if who else Client()
    response = client.get(reverse(name), follow=True)  # MFA set-up asks to sign in again first
    html = _html(response)
    assert html is not None, (name, response.status_code)
    assert inline_code(html) == []


def test_no_inline_code_on_error_pages(cast):
    response = client_for(cast.ciso).get("/bestaat-niet/")
    assert response.status_code == 404
    assert inline_code(response.content.decode()) == []
