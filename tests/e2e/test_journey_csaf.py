"""Issue 19 in a real browser, from a CSAF advisory: the security officer uploads the advisory
on the page → sees the relationships it matches (through the fourth party its products are
hosted at) → unticks one, confirms and sends the rapid questionnaire in one step → sees the
rapid board. Nothing is sent before the confirmation.

Screenshots: E2E_SHOTS or build/e2e-shots/csaf/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from questionnaires.csaf.models import Advisory
from questionnaires.models import Assessment, RapidAssessment
from suppliers.services import relationship_create
from tests.questionnaires.csaf_doc import advisory

from .test_journey_incident import INTAKE, _person, _world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _shot_folder() -> Path:
    base = os.environ.get("E2E_SHOTS")
    folder = Path(base) / "csaf" if base else ROOT / "build/e2e-shots/csaf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_csaf_advisory_to_confirmed_rapid_questionnaire(cast, live_server, browser, tmp_path):
    world = _world(cast)  # two suppliers' products hosted at "Azure (Microsoft)"
    spare = relationship_create(
        care_org=cast.hospital, supplier=cast.supplier, name="EPD tweede locatie",
        supplier_types=["cloud"], intake=INTAKE, actor=cast.ciso.user,
        products=[world["epd"]], status="active",
    )  # fmt: skip
    document = advisory([("Microsoft", "Azure", "2026.11")], tracking_id="NCSC-2026-0042")
    document["document"]["title"] = "Kwetsbaarheid in Azure-hosting"
    path = tmp_path / "ncsc-2026-0042.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    url, errors, shots = live_server.url, [], _shot_folder()

    # 1. The security officer uploads the advisory on the page.
    ciso = _person(browser, url, cast.ciso.user.email, errors)
    ciso.goto(f"{url}/advisories/")
    ciso.set_input_files("#document", str(path))
    with ciso.expect_navigation():
        ciso.get_by_role("button", name="Upload and match").click()
    item = Advisory.objects.get(care_org=cast.hospital)
    assert ciso.url.endswith(f"/advisories/{item.pk}/")
    assert item.status == "proposed" and not RapidAssessment.objects.exists()

    # 2. The matched relationships, with why they match; all ticked to start with.
    main = ciso.inner_text("main")
    assert "Kwetsbaarheid in Azure-hosting" in main and "NCSC-2026-0042" in main
    for name in ("Patiëntportaal", "EPD tweede locatie", "Azure (Microsoft)"):
        assert name in main, name
    expected = {r.pk for r in world["relationships"]} | {spare.pk}
    ticked = ciso.locator("input[name=relationships]:checked")
    assert {int(v) for v in ticked.evaluate_all("els => els.map(e => e.value)")} == expected
    ciso.screenshot(path=str(shots / "01-matches.png"), full_page=True)

    # 3. Not the spare one: untick it, confirm, and send in one step.
    ciso.get_by_label("EPD tweede locatie").uncheck()
    ciso.once("dialog", lambda dialog: dialog.accept())
    with ciso.expect_navigation():
        ciso.get_by_role("button", name="Confirm and send the rapid questionnaire").click()

    # 4. The rapid board: every confirmed supplier asked, none answered yet.
    rapid = RapidAssessment.objects.get(care_org=cast.hospital)
    assert ciso.url.endswith(f"/rapid-assessments/{rapid.pk}/")
    board = ciso.inner_text("main")
    assert "NCSC-2026-0042" in board and "No answer yet" in board
    assert "Patiëntportaal" in board and "EPD tweede locatie" not in board
    ciso.screenshot(path=str(shots / "02-board.png"), full_page=True)
    sent = set(Assessment.objects.values_list("relationship_id", flat=True))
    assert sent == {r.pk for r in world["relationships"]}
    assert set(rapid.assessments.values_list("status", flat=True)) == {"sent"}
    item.refresh_from_db()
    assert item.status == "sent" and item.rapid_id == rapid.pk
    confirmed = set(item.matches.filter(confirmed=True).values_list("relationship_id", flat=True))
    assert confirmed == sent
    assert not errors, errors
