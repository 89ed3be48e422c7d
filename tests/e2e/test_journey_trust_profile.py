"""In a real browser (issue 20): the supplier chooses per item what its trust profile shows,
a care organisation reads the summary, asks for access, downloads a document once granted and
starts an assessment from the profile; the question the profile does not cover goes to the
supplier as a short questionnaire."""

from __future__ import annotations

import copy

import pytest

from questionnaires.models import Assessment
from questionnaires.services import template_import
from questionnaires.sharing.models import ProfileAccess, ProfileLogEntry, TrustProfile
from tests.access import MINI_TEMPLATE, _document, _trust_profile
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


def _two_questions():
    data = copy.deepcopy(MINI_TEMPLATE)
    data["key"] = "twee"
    question = data["sections"][0]["questions"][0]
    data["sections"][0]["questions"] = [{**question, "code": c} for c in ("A-01", "A-02")]
    return template_import(data=data, publish=True)


def test_profile_items_access_download_and_assess(cast, live_server, page):
    world = {**_trust_profile(cast, status=None), **_document(cast)}
    template = _two_questions()
    profile_url = f"{live_server.url}/trust-profiles/{world['profile'].pk}/"

    _login(page, live_server, "eigenaar@lev.test")
    page.goto(profile_url)
    page.select_option("select[name='answer:A-01']", "summary")
    page.select_option(f"select[name='document:{world['document'].pk}']", "on_request")
    with page.expect_navigation():
        page.click("main button:has-text('Save the visibility')")
    profile = TrustProfile.objects.get()
    assert profile.answer_visibility == {"A-01": "summary"}
    assert list(profile.documents.values_list("visibility", flat=True)) == ["on_request"]

    _login(page, live_server, "inkoop@zh.test")
    page.goto(profile_url)
    text = page.inner_text("main")
    assert "A-01" in text and "NEN 7510-certificaat" not in text  # summary only
    page.fill("#tp-msg", "Graag inzage")
    with page.expect_navigation():
        page.click("main button:has-text('Request access')")
    access = ProfileAccess.objects.get()
    assert access.status == "requested"

    _login(page, live_server, "eigenaar@lev.test")
    page.goto(profile_url)
    with page.expect_navigation():
        page.click("main button:has-text('Grant')")
    access.refresh_from_db()
    assert access.status == "granted"

    _login(page, live_server, "inkoop@zh.test")
    page.goto(profile_url)
    with page.expect_download() as download:
        page.click("main a:has-text('NEN 7510-certificaat')")
    assert download.value.suggested_filename.endswith(".pdf")
    assert ProfileLogEntry.objects.filter(action="downloaded").count() == 1
    page.select_option("#tp-rel", str(world["relationship"].pk))
    page.select_option("#tp-tpl", str(template.pk))
    with page.expect_navigation():
        page.click("main button:has-text('Start the assessment')")
    main = Assessment.objects.get(from_profile=profile)
    follow = Assessment.objects.get(follows_up=main)
    assert main.status == "in_review" and follow.status == "sent"
    assert follow.only_codes == ["A-02"]
    assert "as a short questionnaire" in page.inner_text("#kw-profile-origin")
    with page.expect_navigation():
        page.click("#kw-profile-origin a:has-text('Open the short questionnaire')")
    assert f"/assessments/{follow.pk}/" in page.url
