"""A phone pass (390 px): the pages people open on the go fit the screen — no page wider than
the phone, tables stacked as cards — with a screenshot of each in build/e2e-shots/phone/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.access import _finding
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "build" / "e2e-shots" / "phone"
PAGES = {
    "ciso@zh.test": ["/", "/portfolio/", "/portfolio/relationships/", "/assessments/",
                     "/findings/", "/notifications/", "/notifications/settings/"],
    "eigenaar@lev.test": ["/", "/assessments/", "/findings/", "/notifications/"],
    "bestuur@zh.test": ["/", "/decisions/"],
}  # fmt: skip


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    yield context.new_page()
    context.close()


def test_the_pages_people_open_on_a_phone_fit_the_screen(cast, live_server, phone):
    _finding(cast)  # a completed assessment with a finding
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    too_wide = {}
    for email, urls in PAGES.items():
        phone.context.clear_cookies()
        phone.goto(f"{live_server.url}/accounts/login/")
        phone.fill("input[name=login]", email)
        phone.fill("input[name=password]", PASSWORD)
        with phone.expect_navigation():
            phone.click("main button[type=submit]")
        for url in urls:
            phone.goto(live_server.url + url)
            name = email.split("@")[0] + url.strip("/").replace("/", "-")
            phone.screenshot(path=str(SHOTS / f"{name or 'home'}.png"), full_page=True)
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide[f"{email} {url}"] = width
    assert too_wide == {}
    assert errors == []
