"""Every hand-off, seen by the person who must act next: procurement sends → the supplier's
owner, the supplier submits → the care organisation's security officer, clarification → the
supplier, completion → the supplier, a risk decision proposed → the board, decided → the
proposer. Each person signs in, finds the notification (with the unread count in the header),
opens it and lands on the exact place; the e-mail they got is rendered next to it.

The steps themselves are the services (the full journey clicks through them); what this
journey checks is what each person is told. Screenshots: E2E_SHOTS or build/e2e-shots/handoffs/.
"""

from __future__ import annotations

import html
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from questionnaires import assessments as svc
from questionnaires.decisions import decision_decide, decision_propose
from tests.access import assessment_at
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


class Shots:
    def __init__(self) -> None:
        base = os.environ.get("E2E_SHOTS")
        self.folder = Path(base) / "handoffs" if base else ROOT / "build/e2e-shots/handoffs"
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True)


def _person(browser, live_server, email: str, errors: list):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("console", lambda m: errors.append(f"{email}: {m.text}") if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.wait_for_selector("header .kw-org-name")
    return page


def _mail_to(email: str):
    return [m for m in mail.outbox if email in m.to]


def _sees(page, live_server, shot, who: str, subject_part: str, lands_on: str) -> None:
    """The person has an unread notification whose subject says `subject_part`; opening it
    leads to `lands_on`."""
    page.goto(f"{live_server.url}/")
    badge = page.locator("header a[href='/notifications/'] .badge")
    assert int(badge.inner_text().split()[0]) >= 1, f"{who}: no unread count in the header"
    page.goto(f"{live_server.url}/notifications/")
    link = page.locator("main li").filter(has_text=subject_part).get_by_role("link").first
    shot(page, f"{who}-melding")
    with page.expect_navigation():
        link.click()
    assert page.url.split("#")[0].endswith(lands_on), page.url


def _shows_mail(page, shot, who: str, email: str, subject_part: str) -> str:
    """The newest e-mail to `email` mentions `subject_part`; it is rendered for the record."""
    message = _mail_to(email)[-1]
    assert subject_part in message.subject, message.subject
    reader = page.context.browser.new_page()  # a blank page: the portal's CSP does not apply
    reader.set_content(
        "<html lang='nl'><body style='font-family:sans-serif;max-width:720px;margin:2rem'>"
        f"<p><b>Aan:</b> {html.escape(email)}<br><b>Onderwerp:</b> "
        f"{html.escape(message.subject)}</p><pre style='white-space:pre-wrap'>"
        f"{html.escape(message.body)}</pre></body></html>"
    )
    shot(reader, f"{who}-e-mail")
    reader.close()
    return message.body


def test_each_person_is_told_at_their_step(cast, live_server, browser):
    shot, errors = Shots(), []
    mail.outbox.clear()
    a = assessment_at(cast, "sent")["assessment"]
    base = f"/assessments/{a.pk}/"

    # 1. Sent: the supplier's owner is told there is a questionnaire to answer.
    owner = _person(browser, live_server, "eigenaar@lev.test", errors)
    _sees(owner, live_server, shot, "leverancier-vragenlijst", "Ziekenhuis Test", base)
    body = _shows_mail(owner, shot, "leverancier-vragenlijst", "eigenaar@lev.test", "Ziekenhuis")
    assert "Mini" in body  # the questionnaire asked for

    # 2. Submitted: the security officer (and the relationship's owner, procurement) is told.
    svc.answer_save(assessment=a, code="A-01", value="no", actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    ciso = _person(browser, live_server, "ciso@zh.test", errors)
    _sees(ciso, live_server, shot, "ciso-ingediend", "Leverancier B.V.", base)
    _shows_mail(ciso, shot, "ciso-ingediend", "ciso@zh.test", "Leverancier B.V.")
    assert len(_mail_to("inkoop@zh.test")) == 1  # the relationship owner, once

    # 3. Clarification: the supplier is told which question and why.
    svc.answer_review(
        assessment=a,
        code="A-01",
        verdict="clarification",
        message="Welke versie van het beleid?",
        actor=cast.ciso.user,
    )
    svc.assessment_request_clarification(assessment=a, actor=cast.ciso.user)
    _sees(owner, live_server, shot, "leverancier-toelichting", "Ziekenhuis Test", base)
    body = _shows_mail(owner, shot, "leverancier-toelichting", "eigenaar@lev.test", "toelichting")
    assert "Welke versie van het beleid?" in body and "A-01" in body

    # 4. Completed: the supplier learns the review is done and its findings, never scores.
    svc.answer_save(assessment=a, code="A-01", value="no", actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    svc.answer_review(assessment=a, code="A-01", verdict="accepted", actor=cast.ciso.user)
    svc.assessment_complete(assessment=a, actor=cast.ciso.user)
    a.refresh_from_db()
    _sees(owner, live_server, shot, "leverancier-afgerond", "Ziekenhuis Test", "/findings/")
    body = _shows_mail(owner, shot, "leverancier-afgerond", "eigenaar@lev.test", "Ziekenhuis Test")
    assert "score" not in body.lower() and "restrisico" not in body.lower()

    # 5. A risk decision proposed: the board member is told, and lands on the decisions.
    finding = a.relationship.findings.get()
    decision = decision_propose(
        relationship=a.relationship,
        finding=finding,
        actor=cast.procurement.user,
        motivation="Compenserende maatregel: toegang alleen via het beheernetwerk.",
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    board = _person(browser, live_server, "bestuur@zh.test", errors)
    _sees(board, live_server, shot, "bestuur-besluit-gevraagd", "EPD", "/decisions/")
    body = _shows_mail(board, shot, "bestuur-besluit-gevraagd", "bestuur@zh.test", "EPD")
    assert "Compenserende maatregel" in body

    # 6. Decided: the proposer (procurement) is told; the board member who decided is not.
    decision_decide(decision=decision, actor=cast.board.user, approve=True)
    buyer = _person(browser, live_server, "inkoop@zh.test", errors)
    _sees(buyer, live_server, shot, "inkoper-besluit-genomen", "EPD", "/decisions/")
    _shows_mail(buyer, shot, "inkoper-besluit-genomen", "inkoop@zh.test", "EPD")
    assert all("decided" not in m.subject for m in _mail_to("bestuur@zh.test"))

    # Nobody outside the hand-offs got anything.
    for outsider in ("admin@andere.test", "ciso@andere.test", "eigenaar@andere-lev.test"):
        assert _mail_to(outsider) == []
    assert errors == []
