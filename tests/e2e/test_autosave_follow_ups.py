"""In a real browser: an autosave shows and hides the follow-up questions in place (htmx
out-of-band swaps), keeps the focus and leaves the other questions untouched."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.questionnaires.test_autosave import follow_up_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_follow_ups_appear_and_disappear_in_place(cast, live_server, page):
    a = follow_up_assessment(cast)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "eigenaar@lev.test")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/assessments/{a.pk}/?all=1")  # every section on one page
    assert not page.is_visible("text=Which cloud regions?")
    assert not page.is_visible("#s-B")
    page.evaluate("document.getElementById('q-C-01').dataset.untouched = 'yes'")

    page.focus("#v-A-01")
    with page.expect_response(lambda r: "/answers/A-01/" in r.url):
        page.select_option("#v-A-01", "yes")
    page.wait_for_selector("text=Which cloud regions?", state="visible")
    assert page.is_visible("#s-B") and page.is_visible("text=Cloud exit tested?")
    assert page.is_visible("#q-A-01 [role=status]:has-text('Saved')")
    assert page.evaluate("document.activeElement.id") == "v-A-01"  # focus survives the swap
    assert page.evaluate("document.getElementById('q-C-01').dataset.untouched") == "yes"
    assert "2 of 5 answered" not in page.inner_text("#kw-progress")
    assert "1 of 5 answered" in page.inner_text("#kw-progress")

    with page.expect_response(lambda r: "/answers/A-02/" in r.url):
        page.select_option("#v-A-02", "partial")  # the follow-up saves like any question
    page.wait_for_selector("#q-A-02 [role=status]")
    assert "2 of 5 answered" in page.inner_text("#kw-progress")

    with page.expect_response(lambda r: "/answers/A-01/" in r.url):
        page.select_option("#v-A-01", "no")
    page.wait_for_selector("text=Which cloud regions?", state="hidden")
    assert not page.is_visible("#s-B")
    assert "1 of 3 answered" in page.inner_text("#kw-progress")
    assert a.answers.get(question__code="A-01").value == "no"


def test_one_section_at_a_time_with_the_navigation_following_the_answers(cast, live_server, page):
    a = follow_up_assessment(cast)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "eigenaar@lev.test")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/assessments/{a.pk}/")
    nav = "#kw-section-nav"
    assert page.is_visible("text=Backups tested?") and not page.is_visible("text=Logging per NEN")
    assert page.inner_text(f"{nav} [aria-current=step]").strip().startswith("A")
    assert page.locator(f"{nav} li").count() == 2  # A and C; B is hidden by A-01

    page.focus("#v-A-01")
    with page.expect_response(lambda r: "/answers/A-01/" in r.url):
        page.select_option("#v-A-01", "yes")
    page.wait_for_selector("text=Which cloud regions?", state="visible")
    page.wait_for_function("document.querySelectorAll('#kw-section-nav li').length === 3")
    assert "1 of 3 answered" in page.inner_text("#kw-nav-count-A")
    assert page.evaluate("document.activeElement.id") == "v-A-01"  # focus survives the swap

    with page.expect_response(lambda r: "/answers/A-03/" in r.url):
        page.select_option("#v-A-03", "yes")  # nothing shows or hides: only its form comes back
    page.wait_for_selector("#q-A-03 [role=status]")
    assert "2 of 3 answered" in page.inner_text("#kw-nav-count-A")

    with page.expect_navigation():
        page.click("a[rel=next]")
    assert page.is_visible("text=Cloud exit tested?") and not page.is_visible("text=Backups")
    assert "Section 2 of 3" in page.inner_text("#kw-answers")
    # A link to a question of another section (only the fragment) opens that section.
    page.goto(f"{live_server.url}/assessments/{a.pk}/#q-C-01")
    page.wait_for_selector("text=Logging per NEN 7513?", state="visible")
    assert "q=C-01" in page.url
    # The message form of a question loads when it is opened.
    page.click("#q-C-01 details:has-text('Reply or ask a question') summary")
    page.wait_for_selector("#msg-C-01", state="visible")
