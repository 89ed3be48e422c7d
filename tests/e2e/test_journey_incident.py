"""Issue 19 in a real browser: the supplier reports an incident once → the care organisation's
security officer sees it on the home page, acknowledges it and assesses the impact → sends the
rapid questionnaire to everything behind the fourth party in one step (after its preview) → the
suppliers answer →
the board sees the summary (live board and its one-page PDF).

Screenshots: E2E_SHOTS or build/e2e-shots/incident/."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from questionnaires.models import RapidAssessment
from suppliers.models import Product, Relationship, SubProcessor, SupplierLink
from suppliers.services import relationship_create
from tests.access import _relationship
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
INTAKE = {"data": 3, "volume": 2, "continuity": 3, "access": 2, "substitutability": 2}


def _shots():
    base = os.environ.get("E2E_SHOTS")
    folder = Path(base) / "incident" if base else ROOT / "build/e2e-shots/incident"
    folder.mkdir(parents=True, exist_ok=True)
    count = [0]

    def shot(page, name: str) -> None:
        count[0] += 1
        page.screenshot(path=str(folder / f"{count[0]:02d}-{name}.png"), full_page=True)

    return shot


def _person(browser, url: str, email: str, errors: list):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("console", lambda m: errors.append(f"{email}: {m.text}") if m.type == "error" else None)
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.wait_for_selector("header .kw-org-name")
    return page


def _world(cast) -> dict:
    """Two suppliers of the hospital host their product at the same fourth party."""
    rel = _relationship(cast)["relationship"]
    epd = Product.objects.create(supplier=cast.supplier, name="EPD Online")
    SubProcessor.objects.create(product=epd, name="Azure (Microsoft)", service="Hosting",
                                country="NL", data_access=True)  # fmt: skip
    rel.products.add(epd)
    Relationship.objects.filter(pk=rel.pk).update(status="active")
    SupplierLink.objects.get_or_create(care_org=cast.hospital, supplier=cast.other_supplier)
    portal = Product.objects.create(supplier=cast.other_supplier, name="Patiëntportaal")
    SubProcessor.objects.create(product=portal, name="Azure (Microsoft)", service="Hosting",
                                country="IE", data_access=True)  # fmt: skip
    second = relationship_create(
        care_org=cast.hospital, supplier=cast.other_supplier, name="Patiëntportaal",
        supplier_types=["cloud"], intake=INTAKE, actor=cast.ciso.user, products=[portal],
        status="active",
    )  # fmt: skip
    return {"epd": epd, "relationships": [rel, second]}


def test_incident_to_rapid_questionnaire_to_the_board(cast, live_server, browser):
    world = _world(cast)
    url, errors, shot = live_server.url, [], _shots()

    # 1. The supplier reports the incident once, on its product.
    supplier = _person(browser, url, cast.supplier_owner.user.email, errors)
    supplier.goto(f"{url}/incidents/new/")
    supplier.get_by_label("Title").fill("Ransomware at our hosting partner")
    supplier.get_by_label("What happened").fill("Management servers encrypted since 06:10.")
    supplier.get_by_label("EPD Online").check()
    detected = timezone.localtime() - timedelta(hours=2)
    supplier.get_by_label("Detected at").fill(detected.strftime("%Y-%m-%dT%H:%M"))
    supplier.get_by_label("Health data may be affected").check()
    shot(supplier, "supplier-reports")
    with supplier.expect_navigation():
        supplier.get_by_role("button", name="Report to my customers").click()
    assert "delivered to 1 customer" in supplier.inner_text(".kw-messages")
    incident_url = supplier.url

    # 2. The security officer sees it on the home page, acknowledges and assesses it.
    ciso = _person(browser, url, cast.ciso.user.email, errors)
    assert "Ransomware at our hosting partner" in ciso.inner_text("main")
    with ciso.expect_navigation():
        ciso.get_by_role("link", name="Ransomware at our hosting partner").first.click()
    assert ciso.url == incident_url
    with ciso.expect_navigation():
        ciso.get_by_role("button", name="Acknowledge").click()
    ciso.get_by_label("Affected here?").select_option("yes")
    ciso.get_by_label("Effect on patient care").fill("Appointments portal down this morning.")
    with ciso.expect_navigation():
        ciso.get_by_role("button", name="Save the assessment").click()
    shot(ciso, "ciso-assesses")
    copy = cast.hospital.incident_copies.get()
    assert copy.acknowledged_at is not None and copy.affected == "yes"

    # 3. The supplier sees who has read it.
    supplier.goto(incident_url)
    assert "Ziekenhuis Test" in supplier.inner_text("main")

    # 4. One step: the rapid questionnaire to everything behind the fourth party, after the
    # preview of what the (loosely matched) name reaches.
    ciso.goto(f"{url}/rapid-assessments/")
    ciso.fill("#fourth_party", "Microsoft Azure")  # declared as "Azure (Microsoft)"
    with ciso.expect_navigation():
        ciso.get_by_role("button", name="Send the rapid questionnaire").click()
    assert "/rapid-assessments/preview/" in ciso.url
    assert not RapidAssessment.objects.exists()
    assert ciso.locator("input[name=relationships]:checked").count() == 2
    shot(ciso, "ciso-previews-rapid")
    ciso.once("dialog", lambda dialog: dialog.accept())
    with ciso.expect_navigation():
        ciso.get_by_role("button", name="Confirm and send the rapid questionnaire").click()
    rapid = RapidAssessment.objects.get(care_org=cast.hospital)
    assert not rapid.job.result.get("errors"), rapid.job.result
    assert {a.relationship_id for a in rapid.assessments.all()} == {
        r.pk for r in world["relationships"]
    }
    shot(ciso, "ciso-sends-rapid")

    # 5. The suppliers answer (one not affected, the other affected).
    for email, affected in ((cast.supplier_owner.user.email, "no"),
                            (cast.other_supplier_owner.user.email, "yes")):  # fmt: skip
        page = (
            supplier
            if email == cast.supplier_owner.user.email
            else _person(browser, url, email, errors)
        )
        mine = rapid.assessments.get(relationship__supplier=page_supplier(cast, email))
        page.goto(f"{url}/assessments/{mine.pk}/?all=1")
        with page.expect_response(lambda r: "/answers/KI-01/" in r.url):
            page.select_option("#v-KI-01", affected)
        if affected == "yes":
            page.wait_for_selector("#v-KI-02")
            with page.expect_response(lambda r: "/answers/KI-02/" in r.url):
                page.fill("#v-KI-02", "Patiëntportaal")
                page.press("#v-KI-02", "Tab")
            with page.expect_response(lambda r: "/answers/KI-03/" in r.url):
                page.select_option("#v-KI-03", "health")
            with page.expect_response(lambda r: "/answers/KI-04/" in r.url):
                page.fill("#v-KI-04", "Access revoked, backups checked.")
                page.press("#v-KI-04", "Tab")
            with page.expect_response(lambda r: "/answers/KI-05/" in r.url):
                page.fill("#v-KI-05", (timezone.localdate() + timedelta(days=2)).isoformat())
                page.press("#v-KI-05", "Tab")
        with page.expect_response(lambda r: "/answers/KI-06/" in r.url):
            page.fill("#v-KI-06", "Security desk, 030 123 45 67")
            page.press("#v-KI-06", "Tab")
        page.locator("#q-KI-06 [role=status]").wait_for()
        page.once("dialog", lambda dialog: dialog.accept())  # "Submit? …read-only…"
        with page.expect_navigation():
            page.get_by_role("button", name="Submit").first.click()
        shot(page, f"supplier-answers-{affected}")
        mine.refresh_from_db()
        assert mine.status == "submitted", mine.status

    # 6. The board sees the summary: the live board and its one-page PDF.
    board = _person(browser, url, cast.board.user.email, errors)
    assert "Ransomware at our hosting partner" in board.inner_text("main")
    board.goto(f"{url}/rapid-assessments/{rapid.pk}/")
    text = board.inner_text("main")
    assert "Patiëntportaal" in text and "Affected" in text and "Not affected" in text
    shot(board, "board-sees-summary")
    pdf = board.request.get(f"{url}/rapid-assessments/{rapid.pk}/summary.pdf")
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    assert not errors, errors


def page_supplier(cast, email: str):
    return cast.supplier if email == cast.supplier_owner.user.email else cast.other_supplier
