"""In a real browser: send a questionnaire, the supplier answers with autosave and submits,
the security officer completes it and the relationship shows the residual risk."""

from __future__ import annotations

import pytest

from questionnaires.models import Assessment
from questionnaires.services import template_import
from tests.access import MINI_TEMPLATE, _relationship
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, email):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_send_answer_submit_complete(cast, live_server, page):
    rel = _relationship(cast)["relationship"]
    template_import(data=MINI_TEMPLATE, publish=True)
    page.on("dialog", lambda d: d.accept())
    _login(page, live_server, "inkoop@zh.test")
    page.goto(f"{live_server.url}/relationships/{rel.pk}/assess/")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    a = Assessment.objects.get(relationship=rel)
    assert a.status == "sent"

    _login(page, live_server, "eigenaar@lev.test")
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    with page.expect_response(lambda r: "/answers/A-01/" in r.url):
        page.select_option("#v-A-01", "yes")  # autosave through htmx
    page.wait_for_selector("#kw-answers [role=status]:has-text('Saved')")
    with page.expect_navigation():
        page.click("main button:has-text('Submit')")
    a.refresh_from_db()
    assert a.status == "submitted"

    _login(page, live_server, "ciso@zh.test")
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    with page.expect_navigation():
        page.click("main button:has-text('Complete')")
    page.goto(f"{live_server.url}/relationships/{rel.pk}/")
    text = page.inner_text("main")
    assert "Control score 100.0 (Strong)" in text
    a.refresh_from_db()
    assert a.status == "completed" and a.residual_risk == "medium"  # critical tier × strong


def test_supplier_answers_with_the_keyboard_alone(cast, live_server, page):
    """Tab to the answer, choose with the arrow keys (autosave), keep focus after the save,
    and submit with Enter — no mouse."""
    rel = _relationship(cast)["relationship"]
    template = template_import(data=MINI_TEMPLATE, publish=True)
    from questionnaires import assessments as svc

    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    _login(page, live_server, "eigenaar@lev.test")
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "v-A-01":
            break
    assert page.evaluate("document.activeElement.id") == "v-A-01"
    with page.expect_response(lambda r: "/answers/A-01/" in r.url):
        page.keyboard.press("ArrowDown")  # "yes"
    page.wait_for_selector("#kw-answers [role=status]:has-text('Saved')")
    assert page.evaluate("document.activeElement.id") == "v-A-01"  # focus survives the swap
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Submit":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Submit"
    page.on("dialog", lambda d: d.accept())  # the confirmation before submitting
    with page.expect_navigation():
        page.keyboard.press("Enter")
    a.refresh_from_db()
    assert a.status == "submitted"
    assert a.answers.get().value == "yes"
