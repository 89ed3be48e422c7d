"""Issue 20 §3 in a real browser: the supplier answers once and a second care organisation
completes its own review of that answer set. The hospital's security officer makes its
assessment joint and invites a care home → the care home joins with its own relationship →
the supplier sees who its answers go to and submits once → the care home adopts the lead's
verdicts in one action and completes its own review → the lead sees who completed.

Screenshots: E2E_SHOTS or build/e2e-shots/joint/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from questionnaires import assessments as svc
from questionnaires.joint.models import JointParticipant
from tests.access import assessment_at
from tests.access_joint import _third

from .test_journey_incident import _person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _shot(page, name: str) -> None:
    base = os.environ.get("E2E_SHOTS")
    folder = Path(base) / "joint" if base else ROOT / "build/e2e-shots/joint"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_one_answer_set_two_reviews_in_the_browser(cast, live_server, browser):
    world = assessment_at(cast, "sent")
    lead = world["assessment"]
    third, third_admin, third_rel = _third(cast)
    url, errors = live_server.url, []

    # 1. The lead's security officer invites the care home from its assessment.
    ciso = _person(browser, url, cast.ciso.user.email, errors)
    ciso.on("dialog", lambda d: d.accept())
    ciso.goto(f"{url}/assessments/{lead.pk}/")
    with ciso.expect_navigation():
        ciso.get_by_role("link", name="Invite other care organisations").click()
    ciso.get_by_label("Derde Zorg").check()
    with ciso.expect_navigation():
        ciso.get_by_role("button", name="Send the invitations").click()
    assert "Derde Zorg" in ciso.inner_text("main") and "Invited" in ciso.inner_text("main")
    _shot(ciso, "01-invited")

    # 2. The care home joins with its own relationship with the supplier.
    home = _person(browser, url, third_admin.user.email, errors)
    home.on("dialog", lambda d: d.accept())
    home.goto(f"{url}/joint/")
    with home.expect_navigation():
        home.get_by_role("link", name="Leverancier B.V. — Mini").click()
    home.get_by_label("Join with your relationship").select_option(str(third_rel.pk))
    with home.expect_navigation():
        home.get_by_role("button", name="Join").click()
    assert JointParticipant.objects.get().status == "joined"
    assert "Your copy arrives when the supplier submits" in home.inner_text("main")

    # 3. The supplier sees one questionnaire, with who its answers go to, and submits once.
    svc.answer_save(assessment=lead, code="A-01", value="yes", actor=cast.supplier_owner.user)
    supplier = _person(browser, url, cast.supplier_owner.user.email, errors)
    supplier.on("dialog", lambda d: d.accept())
    supplier.goto(f"{url}/assessments/")
    assert supplier.locator("main table tbody tr").count() == 1
    supplier.goto(f"{url}/assessments/{lead.pk}/")
    banner = supplier.inner_text("#kw-joint")
    assert "Joint assessment" in banner and "Derde Zorg" in banner
    _shot(supplier, "02-supplier")
    with supplier.expect_navigation():
        supplier.click("main button:has-text('Submit')")
    lead.refresh_from_db()
    assert lead.status == "submitted"

    # 4. The lead accepts the answer; the care home adopts that verdict in one action and
    #    completes its own review: its own score, on its own relationship.
    svc.answer_review(assessment=lead, code="A-01", verdict="accepted", actor=cast.ciso.user)
    home.goto(f"{url}/joint/{lead.joint.pk}/")
    with home.expect_navigation():
        home.get_by_role("button", name="Adopt the lead’s verdicts").click()
    copy = JointParticipant.objects.get().assessment
    assert home.url.endswith(f"/assessments/{copy.pk}/")
    assert "1 verdict of the lead adopted." in home.inner_text("main")
    _shot(home, "03-copy")
    with home.expect_navigation():
        home.get_by_role("button", name="Complete").click()
    copy.refresh_from_db()
    third_rel.refresh_from_db()
    world["relationship"].refresh_from_db()
    assert copy.status == "completed" and third_rel.assessed
    assert not world["relationship"].assessed  # the lead's own review is still open

    # 5. The lead sees who joined, reviewed and completed.
    ciso.goto(f"{url}/joint/{lead.joint.pk}/")
    row = ciso.locator("main table tbody tr", has_text="Derde Zorg").inner_text()
    assert "Joined" in row and "Completed" in row
    _shot(ciso, "04-lead-overview")
    assert not errors, errors
