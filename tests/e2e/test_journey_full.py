"""The whole assessment round in a real browser, in Dutch (the portal's default language).

Procurement registers a supplier and a relationship with its intake and sends a questionnaire;
the supplier's contact person accepts the invitation from the e-mail, invites a colleague,
assigns a section to them, answers with autosave and attaches evidence, and submits; the CISO
asks for clarification on one answer; the supplier fixes it and resubmits; the CISO completes
the review, reads the result (tier, residual risk, findings, clause checklist, exit note) and
downloads the assessment report as a PDF.

Every step leaves a full-page screenshot in E2E_SHOTS (default build/e2e-shots/full-journey/),
numbered in order, with index.txt listing the URL of each, so a person can look at the pages.
Only the care organisation, its two staff members and the questionnaire are set up with
services: everything else happens through the pages.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail

from portal.core.accounts.models import Membership
from portal.core.accounts.services import member_add, organisation_create
from questionnaires.models import Assessment
from questionnaires.services import template_import
from questionnaires.yaml_io import parse_questionnaire
from suppliers.models import Relationship

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple-42"
SUPPLIER = "Wolkdienst Zorg B.V."
OWNER_EMAIL = "eigenaar@wolkdienst.test"
COLLEAGUE_EMAIL = "techniek@wolkdienst.test"
# A short cut of the shipped light bank: three sections, six questions, real texts and scores.
KEEP = {"GOV": ("GOV-01", "GOV-04"), "IAM": ("IAM-01", "IAM-05"), "EXIT": ("EXIT-01", "EXIT-07")}


def _journey_template():
    bank = (ROOT / "questionnaires/banks/zorg-leveranciers-licht.yaml").read_text(encoding="utf-8")
    data = parse_questionnaire(bank)
    data["key"] = "zorg-leveranciers-kern"
    data["title"] = {"nl": "Zorgleveranciers kern", "en": "Healthcare suppliers (core)"}
    data["sections"] = [
        {**s, "questions": [q for q in s["questions"] if q["code"] in KEEP[s["code"]]]}
        for s in data["sections"]
        if s["code"] in KEEP
    ]
    return template_import(data=data, publish=True)


def _small_pdf() -> bytes:
    """A real one-page PDF, made the way the portal makes its own."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 760, "Informatiebeveiligingsbeleid Wolkdienst Zorg - NEN 7510")
    c.showPage()
    c.save()
    return buf.getvalue()


class Shots:
    """Numbered full-page screenshots plus an index of the page URL behind each."""

    def __init__(self) -> None:
        self.folder = Path(os.environ.get("E2E_SHOTS") or ROOT / "build/e2e-shots/full-journey")
        self.folder.mkdir(parents=True, exist_ok=True)
        stale = ("[0-9][0-9]-*.png", "failed-*.png", "*.pdf")
        for old in [f for pattern in stale for f in self.folder.glob(pattern)]:
            old.unlink()
        self.n = 0
        self.index: list[str] = []

    def __call__(self, page, name: str) -> None:
        self.n += 1
        file = f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(self.folder / file), full_page=True)
        self.index.append(f"{file}\t{page.url}")
        (self.folder / "index.txt").write_text("\n".join(self.index) + "\n", encoding="utf-8")


class People:
    """One browser context per person, each with its own session, all in Dutch."""

    def __init__(self, browser, live_server) -> None:
        self.browser, self.url, self.contexts, self.errors = browser, live_server.url, [], []

    def page(self, who: str):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        context.set_default_timeout(20_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda d: d.accept())  # the confirmations before submit and complete
        page.on("pageerror", lambda e: self.errors.append(f"{who}: {e}"))
        page.on(
            "console",
            lambda m: self.errors.append(f"{who}: {m.text}") if m.type == "error" else None,
        )
        return page

    def screenshot_all(self, folder: Path) -> None:
        for i, context in enumerate(self.contexts):
            for page in context.pages:
                page.screenshot(path=str(folder / f"failed-{i}.png"), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def _login(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.wait_for_selector("header .kw-org-name")


def _invitation_path(to: str) -> str:
    """The path of the newest invitation link sent to `to`, from the outbox."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    match = re.search(r"https?://[^/\s]+(/invite/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _follow(page, name: str, within: str = "main") -> None:
    """Follow a link like a person would, and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(within).get_by_role("link", name=name, exact=True).first.click()


def _submit(page, name: str) -> None:
    """Click a button in the page body and wait for the page that follows."""
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=name, exact=True).click()


def _show(page, code: str) -> None:
    """Open the section of a question (the page shows one section at a time) unless it shows."""
    if page.locator(f"#q-{code}:not([hidden])").count() == 0:
        page.goto(page.url.split("#")[0].split("?")[0] + f"?q={code}")
        page.locator(f"#q-{code}").wait_for()


def _autosave(page, code: str, action) -> None:
    """Change an answer, then wait for htmx to swap in the answers with "Opgeslagen" on it."""
    _show(page, code)
    with page.expect_response(
        lambda r: f"/answers/{code}/" in r.url and r.request.method == "POST"
    ) as saved:
        action()
    assert saved.value.ok, f"autosave of {code}: HTTP {saved.value.status}"
    page.locator(f"#q-{code} [role=status]").filter(has_text="Opgeslagen").wait_for()


def _status(page) -> str:
    return page.locator("#kw-progress").inner_text()


def _review(page, code: str, verdict: str, message: str = "") -> None:
    _show(page, code)
    page.select_option(f"#r-{code}", verdict)
    if message:
        page.fill(f"#m-{code}", message)
    # The verdict saves in place (htmx): no reload, the question says it was saved.
    with page.expect_response(
        lambda r: f"/answers/{code}/review/" in r.url and r.request.method == "POST"
    ) as saved:
        page.locator(f"#q-{code}").get_by_role("button", name="Opslaan").click()
    assert saved.value.ok, f"review of {code}: HTTP {saved.value.status}"
    page.locator(f"#q-{code} [role=status]").filter(has_text="Beoordeling opgeslagen").wait_for()


def test_full_assessment_round(live_server, browser, tmp_path):
    hospital = organisation_create(slug="rivierenland", name="Ziekenhuis Rivierenland", kind="care")
    member_add(
        organisation=hospital,
        email="inkoop@rivierenland.test",
        role="procurement",
        password=PASSWORD,
        name="Ingrid Inkoop",
    )
    member_add(
        organisation=hospital,
        email="ciso@rivierenland.test",
        role="security",
        password=PASSWORD,
        name="Carla Ciso",
    )
    template = _journey_template()
    evidence = tmp_path / "nen7510-certificaat.pdf"
    evidence.write_bytes(_small_pdf())
    shot, people, url = Shots(), People(browser, live_server), live_server.url
    try:
        _journey(people, shot, url, template, evidence)
    except Exception:
        people.screenshot_all(shot.folder)  # what each person saw when it went wrong
        raise
    finally:
        people.close()
    assert people.errors == []


def _journey(people, shot, url, template, evidence):
    # 1. Procurement registers the supplier; its contact person is invited as owner.
    buyer = people.page("procurement")
    _login(buyer, url, "inkoop@rivierenland.test")
    buyer.goto(f"{url}/suppliers/")
    _follow(buyer, "Leverancier registreren")
    buyer.wait_for_selector("h1:has-text('Leverancier registreren')")
    buyer.get_by_label("Naam van de leverancier").fill(SUPPLIER)
    buyer.get_by_label("KvK-nummer").fill("87654321")
    buyer.get_by_label("E-mailadres van de contactpersoon").fill(OWNER_EMAIL)
    shot(buyer, "inkoper-registreert-leverancier")
    _submit(buyer, "Registreren")

    # 2. ... and describes the relationship with the intake: the tier follows.
    buyer.wait_for_selector("h1:has-text('Nieuwe relatie')")
    assert f"{SUPPLIER} is geregistreerd" in buyer.inner_text(".kw-messages")
    buyer.get_by_label("Naam van de relatie").fill("Zorgdossier in de cloud")
    buyer.check("input[name=supplier_types][value=cloud]")
    for factor, level in {
        "data": 3,
        "volume": 2,
        "continuity": 2,
        "access": 1,
        "substitutability": 2,
    }.items():
        buyer.check(f"input[name=intake_{factor}][value='{level}']")
    shot(buyer, "inkoper-intake")
    _submit(buyer, "Relatie opslaan")
    buyer.wait_for_selector("h1:has-text('Zorgdossier in de cloud')")
    rel = Relationship.objects.get(name="Zorgdossier in de cloud")
    assert rel.inherent_tier == "high"
    assert "Hoog" in buyer.inner_text("#h-tier")
    assert "Niet beoordeeld" in buyer.inner_text("main")
    shot(buyer, "relatie-met-tier")

    # 3. Procurement sends the questionnaire.
    _follow(buyer, "Vragenlijst versturen")
    buyer.wait_for_selector("h1:has-text('Vragenlijst versturen')")
    assert (
        buyer.locator("#id_template option:checked")
        .inner_text()
        .startswith("Zorgleveranciers kern")
    )
    # The proposed due date (30 days ahead) is filled in, also in Dutch.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", buyer.input_value("#id_due_date"))
    buyer.get_by_label("Bericht aan de leverancier").fill(
        "Graag voor de contractverlenging invullen. Vragen? Mail inkoop@rivierenland.test."
    )
    shot(buyer, "inkoper-verstuurt-vragenlijst")
    _submit(buyer, "Versturen")
    buyer.wait_for_selector("h1:has-text('Zorgleveranciers kern')")
    assessment = Assessment.objects.get(relationship=rel)
    assert assessment.status == "sent"
    assert "Verstuurd" in _status(buyer)
    assert "0 van 6 beantwoord" in _status(buyer)
    shot(buyer, "beoordeling-verstuurd")

    # 4. The contact person opens the invitation from the e-mail and creates an account:
    # the invitation lands in the questionnaire.
    owner = people.page("owner")
    owner.goto(url + _invitation_path(OWNER_EMAIL))
    owner.wait_for_selector(f"h1:has-text('Welkom bij {SUPPLIER}')")
    owner.get_by_label("Uw naam").fill("Olga Eigenaar")
    owner.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    owner.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    shot(owner, "eigenaar-accepteert-uitnodiging")
    _submit(owner, "Mijn account aanmaken")
    owner.wait_for_selector("h1:has-text('Zorgleveranciers kern')")
    assert owner.url.endswith(f"/assessments/{assessment.pk}/")
    assert "Ziekenhuis Rivierenland" in owner.inner_text("main")
    assert "Graag voor de contractverlenging invullen" in owner.inner_text("main")
    shot(owner, "eigenaar-ziet-vragenlijst")

    # 5. The owner invites a colleague, who accepts in their own browser.
    owner.goto(f"{url}/org/members/")
    owner.get_by_label("E-mailadres").fill(COLLEAGUE_EMAIL)
    owner.get_by_label("Rol").select_option("respondent")
    _submit(owner, "Uitnodiging versturen")
    assert COLLEAGUE_EMAIL in owner.inner_text("main")
    shot(owner, "eigenaar-nodigt-collega-uit")
    colleague = people.page("colleague")
    colleague.goto(url + _invitation_path(COLLEAGUE_EMAIL))
    colleague.get_by_label("Uw naam").fill("Tom Techniek")
    colleague.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    colleague.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    _submit(colleague, "Mijn account aanmaken")
    colleague.wait_for_selector("header .kw-org-name")
    assert SUPPLIER in colleague.inner_text("header")

    # 6. The owner assigns the access-control section to the colleague.
    owner.goto(f"{url}/assessments/{assessment.pk}/")
    _follow(owner, "IAM Toegangsbeheer")  # the section, from the section navigation
    owner.select_option("#as-IAM", label="Tom Techniek")
    with owner.expect_navigation():
        owner.locator("#s-IAM").get_by_role("button", name="Toewijzen").first.click()
    assert "Toegewezen aan Tom Techniek" in owner.inner_text(".kw-messages")
    assert "Tom Techniek" in owner.inner_text("#s-IAM legend .badge")
    shot(owner, "eigenaar-wijst-sectie-toe")

    # 7. The colleague sees what is theirs and answers it; every change saves itself.
    colleague.goto(f"{url}/assessments/")
    _follow(colleague, "Zorgleveranciers kern")
    colleague.wait_for_selector("#h-mine")
    assert "2 vragen zijn aan u toegewezen" in colleague.inner_text("#h-mine")
    _follow(colleague, "Alleen de mijne tonen")
    assert colleague.url.endswith("?mine=1")
    assert colleague.locator("fieldset.kw-card:visible").count() == 1
    _autosave(colleague, "IAM-01", lambda: colleague.select_option("#v-IAM-01", "yes"))
    _autosave(colleague, "IAM-05", lambda: colleague.select_option("#v-IAM-05", "yes"))
    # An explanation typed with the keyboard saves when focus leaves the field.
    colleague.click("#e-IAM-05")
    colleague.keyboard.type("Uitdienstproces in HR-systeem, kwartaalreview door de CISO.")
    _autosave(colleague, "IAM-05", lambda: colleague.keyboard.press("Tab"))
    assert "2 van 6 beantwoord" in _status(colleague)
    assert (
        colleague.locator("fieldset.kw-card:visible").count() == 1
    )  # still only theirs after saving
    shot(colleague, "collega-beantwoordt-eigen-sectie")

    # 8. The owner answers the rest, attaches the certificate and submits.
    owner.reload()
    assert "2 van 6 beantwoord" in _status(owner)
    assert "In behandeling" in _status(owner)
    _autosave(owner, "GOV-01", lambda: owner.select_option("#v-GOV-01", "nen7510"))
    _autosave(owner, "GOV-04", lambda: owner.select_option("#v-GOV-04", "no"))
    _autosave(owner, "EXIT-01", lambda: owner.select_option("#v-EXIT-01", "partial"))
    _autosave(owner, "EXIT-07", lambda: owner.select_option("#v-EXIT-07", "yes"))
    # GOV-01's evidence is required: still open until the certificate is attached.
    assert "6 van 6 beantwoord; nog 1 verplicht open" in _status(owner)
    _show(owner, "GOV-01")
    owner.set_input_files("#f-GOV-01", str(evidence))
    with owner.expect_navigation():
        owner.locator("#q-GOV-01").get_by_role("button", name="Toevoegen").first.click()
    assert "nen7510-certificaat.pdf is toegevoegd aan GOV-01" in owner.inner_text(".kw-messages")
    assert "nen7510-certificaat.pdf" in owner.inner_text("#q-GOV-01")
    assert "6 van 6 beantwoord; nog 0 verplicht open" in _status(owner)
    shot(owner, "eigenaar-beantwoordt-en-voegt-bewijs-toe")
    _submit(owner, "Indienen")
    assert "Ingediend" in owner.inner_text(".kw-messages")
    assert "Ingediend" in _status(owner)
    assert owner.locator("#kw-answers select").count() == 0  # read-only now
    shot(owner, "eigenaar-heeft-ingediend")

    # 9. The CISO reviews: five answers accepted, the data export needs clarification.
    ciso = people.page("ciso")
    _login(ciso, url, "ciso@rivierenland.test")
    ciso.goto(f"{url}/assessments/")
    _follow(ciso, "Zorgleveranciers kern")
    ciso.wait_for_selector("#kw-answers")
    assert "Ingediend" in _status(ciso)
    assert "nen7510-certificaat.pdf" in ciso.inner_text("#q-GOV-01")
    assert ciso.locator("#kw-answers .badge").filter(has_text="Tom Techniek").count() == 0
    shot(ciso, "ciso-opent-ingediende-beoordeling")
    for code in ("GOV-01", "GOV-04", "IAM-01", "IAM-05", "EXIT-07"):
        _review(ciso, code, "accepted")
    _review(
        ciso,
        "EXIT-01",
        "clarification",
        "Welke gegevens kunnen niet worden geëxporteerd? Graag het exportformaat noemen.",
    )
    assert "In beoordeling" in _status(ciso)
    _follow(ciso, "Alle onderdelen op één pagina tonen (om af te drukken of door te lezen)")
    assert ciso.locator("#kw-answers .badge").filter(has_text="Geaccepteerd").count() == 5
    assert ciso.locator("#q-EXIT-01 .badge").filter(has_text="Toelichting").count() == 1
    assert ciso.input_value("#r-EXIT-01") == "clarification"  # the form shows the verdict
    shot(ciso, "ciso-vraagt-toelichting")
    _submit(ciso, "Terugsturen voor toelichting")
    assert "Toelichting gevraagd" in _status(ciso)
    shot(ciso, "ciso-heeft-teruggestuurd")

    # 10. The supplier sees only the marked question open, fixes it and resubmits.
    owner.goto(f"{url}/assessments/{assessment.pk}/?all=1")
    assert "Toelichting gevraagd" in _status(owner)
    assert "vraagt om toelichting" in owner.inner_text("main .alert-warning")
    assert owner.locator("#kw-answers select[name=value]").count() == 1
    assert "Graag het exportformaat noemen" in owner.inner_text("#q-EXIT-01")
    _autosave(owner, "EXIT-01", lambda: owner.select_option("#v-EXIT-01", "on_request"))
    owner.click("#e-EXIT-01")
    owner.keyboard.type("Volledige export in FHIR en PDF/A binnen 5 werkdagen na verzoek.")
    _autosave(owner, "EXIT-01", lambda: owner.keyboard.press("Tab"))
    shot(owner, "eigenaar-past-antwoord-aan")
    _submit(owner, "Indienen")
    assert "Ingediend" in _status(owner)
    shot(owner, "eigenaar-heeft-opnieuw-ingediend")

    # 11. The CISO accepts the new answer and completes the review.
    ciso.reload()
    assert "Ingediend" in _status(ciso)
    _show(ciso, "EXIT-01")
    assert "Volledig, op verzoek" in ciso.inner_text("#q-EXIT-01")
    _review(ciso, "EXIT-01", "accepted")
    assert "Voorlopig resultaat" in ciso.inner_text("main")
    _submit(ciso, "Afronden")
    assert "Afgerond" in _status(ciso)
    assessment.refresh_from_db()
    assert assessment.status == "completed"
    # GOV-04 "no" costs 3 of 16 points, EXIT-01 "on request" 0.75 of 3: 76.6, adequate.
    assert str(assessment.control_score) == "76.6"
    assert assessment.residual_risk == "medium"  # high tier × adequate
    result = ciso.locator(".kw-card").filter(has_text="Uitkomst").first.inner_text()
    assert "76,6" in result or "76.6" in result
    assert "Middel" in result
    shot(ciso, "ciso-rondt-af")

    # 12. The relationship: tier, residual risk and the findings raised.
    _follow(ciso, "Zorgdossier in de cloud", within="main p")
    ciso.wait_for_selector("h1:has-text('Zorgdossier in de cloud')")
    assert "Hoog" in ciso.inner_text("#h-tier")
    assert "Middel" in ciso.inner_text("#h-res")
    findings = ciso.locator("section[aria-labelledby=h-findings] tbody tr")
    assert findings.count() == 2
    assert "GOV-04" in findings.nth(0).inner_text() + findings.nth(1).inner_text()
    assert "EXIT-01" in findings.nth(0).inner_text() + findings.nth(1).inner_text()
    shot(ciso, "relatie-tier-restrisico-bevindingen")

    # 13. The risk explained.
    _follow(ciso, "Risico: uitleg en verloop")
    ciso.wait_for_selector("h1:has-text('Risico: Zorgdossier in de cloud')")
    assert "76,6 van 100" in ciso.inner_text("main p.lead")
    assert "GOV-04" in ciso.inner_text("main")  # the answer that cost the most points
    shot(ciso, "risico-uitleg")
    ciso.go_back()

    # 14. The clause checklist drawn up at completion.
    _follow(ciso, "Clausulechecklist")
    ciso.wait_for_selector("h1:has-text('Clausulechecklist')")
    applies = int(ciso.locator(".kw-figure").first.inner_text())
    assert applies > 0
    assert ciso.locator("main section[id^=cl-]").count() == applies
    assert "EXIT" in ciso.inner_text("main")  # the exit clauses of a cloud service
    shot(ciso, "clausulechecklist")
    ciso.go_back()

    # 15. The exit note drawn up at completion.
    _follow(ciso, "Exitstrategie")
    ciso.wait_for_selector("h1:has-text('Exitstrategie')")
    assert "Concept" in ciso.inner_text("#h-status")
    # The supplier's answers in words, not as codes.
    data_return = ciso.inner_text("#x-data_return")
    assert "Volledig, op verzoek" in data_return and "on_request" not in data_return
    assert ciso.locator("#h-lock .kw-tier").inner_text() in ("Laag", "Middel", "Hoog")
    assert ciso.locator("main section[id^=x-]").count() == 9  # the nine sections of the note
    shot(ciso, "exitstrategie")

    # 16. The assessment report for the board, as a PDF download.
    ciso.goto(f"{url}/assessments/{assessment.pk}/")
    _submit(ciso, "Rapport voor het bestuur (PDF)")
    ciso.wait_for_selector("h1:has-text('Rapportages')")
    download_link = ciso.locator("#kw-reports").get_by_role("link", name="Downloaden").first
    download_link.wait_for(timeout=60_000)  # the list polls itself while the job runs
    shot(ciso, "rapport-klaar")
    with ciso.expect_download() as info:
        download_link.click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    (shot.folder / "beoordelingsrapport.pdf").write_bytes(pdf)  # to look at, next to the shots
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert SUPPLIER in text
    assert "Samenvatting voor het bestuur" in text and "Open bevindingen: 2" in text
    # The answers appendix speaks Dutch: labels and verdicts, not stored codes.
    assert "Geaccepteerd" in text and "on_request" not in text and "accepted" not in text
    assert Membership.objects.filter(user__email=COLLEAGUE_EMAIL, role="respondent").exists()
