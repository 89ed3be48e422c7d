"""In a real browser: a security officer builds, previews and publishes a questionnaire."""

from __future__ import annotations

import pytest

from questionnaires.models import QuestionnaireTemplate
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_security_officer_builds_previews_and_publishes(cast, live_server, page):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "ciso@zh.test")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/questionnaires/new/")
    page.fill("input[name=key]", "browser-lijst")
    page.fill("input[name=title_nl]", "Browserlijst")
    page.fill("input[name=title_en]", "Browser list")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.fill("input[name=code]", "ACC")
    page.fill("input[name=title_nl]", "Toegang")
    page.fill("input[name=title_en]", "Access")
    with page.expect_navigation():
        page.click("text=Add section")
    with page.expect_navigation():
        page.click("text=Add a question")
    page.fill("input[name=code]", "ACC-01")
    page.fill("textarea[name=text_nl]", "Gebruikt u MFA?")
    page.fill("textarea[name=text_en]", "Do you use MFA?")
    page.fill("input[name=references]", "NEN7510-2:8.5")
    page.check("input[name=knockout]")
    with page.expect_navigation():
        page.click("text=Save question")
    assert "ACC-01" in page.inner_text("main")
    page.click("text=Preview as a supplier")
    page.wait_for_selector("#kw-preview-body")
    assert "Do you use MFA?" in page.inner_text("#kw-preview-body")
    page.go_back()
    page.on("dialog", lambda dialog: dialog.accept())  # the publish confirmation
    with page.expect_navigation():
        page.click("main button:has-text('Publish')")
    template = QuestionnaireTemplate.objects.get(key="browser-lijst")
    assert template.status == "published"
    assert template.questions.get().knockout is True
