"""Run by test_production_headers.py in a fresh interpreter with the production environment
(DJANGO_DEBUG=0 …): sets up a throwaway database and the static manifest, makes requests with
django.test.Client through the real middleware and prints what a browser would see as JSON.

Usage: python -m tests.security.production_probe OUTPUT.json
"""

from __future__ import annotations

import json
import sys

PASSWORD = "Production-probe-2026!"  # noqa: S105 - a throwaway account in a throwaway database
HOST = "portal.example"


def _cookie(response, name: str) -> dict | None:
    morsel = response.cookies.get(name)
    if morsel is None:
        return None
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
        "max-age": morsel["max-age"],
        "expires": morsel["expires"],
    }


def _seen(response) -> dict:
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "headers": {k.lower(): v for k, v in response.items()},
        "cookies": {n: _cookie(response, n) for n in ("csrftoken", "sessionid")},
        "body": response.content.decode(errors="replace")[:3000]
        if not getattr(response, "streaming", False)
        else "",
    }


def main() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    # The real manifest storage, without the libraries' files that the probed pages never use
    # (compressing the Swagger and admin bundles would take most of the test's time).
    call_command(
        "collectstatic",
        verbosity=0,
        interactive=False,
        ignore_patterns=["drf_spectacular_sidecar", "admin", "rest_framework"],
    )

    from portal.core.accounts.services import member_add, organisation_create

    org = organisation_create(slug="zh", name="Ziekenhuis", kind="care")
    member_add(organisation=org, email="ciso@zh.example", role="security", password=PASSWORD)

    client = Client(HTTP_HOST=HOST)
    seen = {
        "debug": settings.DEBUG,
        "plain_http": _seen(client.get("/accounts/login/")),
        "login_page": _seen(client.get("/accounts/login/", secure=True)),
        "behind_proxy": _seen(client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")),
        "static_file": _seen(client.get("/static/js/ketenwacht.js", secure=True)),
        "not_found": _seen(client.get("/bestaat-niet/", secure=True)),
    }
    seen["sign_in"] = _seen(
        client.post(
            "/accounts/login/",
            {"login": "ciso@zh.example", "password": PASSWORD},
            secure=True,
        )
    )
    seen["home"] = _seen(client.get("/", secure=True))
    seen["api"] = _seen(client.get("/api/v1/me/", secure=True))
    return seen


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(main(), out)
