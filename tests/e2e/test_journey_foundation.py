"""The first journey in a real browser: sign in, switch organisation, invite a colleague."""

from __future__ import annotations

import pytest
from django.core import mail

from portal.core.accounts.services import member_add
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_remote_ciso_signs_in_and_switches_organisation(cast, live_server, page):
    second = member_add(organisation=cast.other_care, email="ciso@zh.test", role="security")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "ciso@zh.test")
    page.wait_for_selector("h1")
    assert "Ziekenhuis Test" in page.inner_text("header")
    # The switcher submits on change (no inline script: CSP allows only our own files).
    with page.expect_navigation():
        page.select_option("#kw-org", value=str(second.pk))
    assert "Andere Zorg" in page.inner_text("main")
    assert errors == []


def test_admin_invites_colleague_who_signs_up(cast, live_server, page):
    _login(page, live_server, "admin@zh.test")
    page.goto(f"{live_server.url}/org/members/")
    page.fill("input[name=email]", "collega@zh.test")
    page.select_option("select[name=role]", "procurement")
    with page.expect_navigation():
        page.locator("main button.btn-primary").last.click()
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invite/" in line).strip()
    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.fill("input[name=name]", "Collega Nieuw")
    page.fill("input[name=password1]", "een-heel-lang-wachtwoord")
    page.fill("input[name=password2]", "een-heel-lang-wachtwoord")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Ziekenhuis Test" in page.inner_text("main")
    assert "Collega" in page.inner_text("main h1")
