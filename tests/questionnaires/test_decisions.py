"""Risk decisions: propose, board approval, expiry reopens the finding; audited; care only."""

from __future__ import annotations

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.core.audit.models import AuditEvent
from questionnaires.decisions import decisions_expire
from questionnaires.models import Finding, RiskDecision
from tests.access import _finding


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_propose_approve_and_expire(cast, as_api):
    finding = _finding(cast)["finding"]
    expires = timezone.localdate() + timedelta(days=90)
    r = _post(
        as_api(cast.ciso),
        reverse("finding-decision", kwargs={"pk": finding.pk}),
        {
            "motivation": "Leverancier migreert in Q2; tot dan VPN met MFA",
            "expires_on": expires.isoformat(),
        },
    )
    assert r.status_code == 201 and r.json()["status"] == "proposed"
    decision_id = r.json()["id"]
    # The proposer cannot approve; a viewer may not; the board does.
    assert (
        _post(
            as_api(cast.ciso), reverse("decision-approve", kwargs={"pk": decision_id}), {}
        ).status_code
        == 403
    )
    r = _post(
        as_api(cast.board),
        reverse("decision-approve", kwargs={"pk": decision_id}),
        {"comment": "Akkoord"},
    )
    assert r.json()["status"] == "approved"
    assert Finding.objects.get(pk=finding.pk).status == "accepted"
    assert (
        _post(
            as_api(cast.board), reverse("decision-approve", kwargs={"pk": decision_id}), {}
        ).status_code
        == 409
    )
    assert decisions_expire(today=expires - timedelta(days=1)) == 0
    assert decisions_expire(today=expires) == 1
    assert RiskDecision.objects.get(pk=decision_id).status == "expired"
    assert Finding.objects.get(pk=finding.pk).status == "open"
    actions = set(
        AuditEvent.objects.filter(object_type="questionnaires.riskdecision").values_list(
            "action", flat=True
        )
    )
    assert actions == {"decision.proposed", "decision.approved", "decision.expired"}


def test_rejection_needs_a_comment_and_keeps_the_finding_open(cast, as_api):
    finding = _finding(cast)["finding"]
    r = _post(
        as_api(cast.ciso),
        reverse("finding-decision", kwargs={"pk": finding.pk}),
        {
            "motivation": "Tijdelijk",
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    url = reverse("decision-reject", kwargs={"pk": r.json()["id"]})
    assert _post(as_api(cast.board), url, {}).status_code == 400
    assert (
        _post(as_api(cast.board), url, {"comment": "Eerst herstellen"}).json()["status"]
        == "rejected"
    )
    assert Finding.objects.get(pk=finding.pk).status == "open"


def test_bad_proposals_change_nothing(cast, as_api):
    finding = _finding(cast)["finding"]
    url = reverse("finding-decision", kwargs={"pk": finding.pk})
    assert (
        _post(as_api(cast.ciso), url, {"motivation": "", "expires_on": "2027-01-01"}).status_code
        == 400
    )
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert _post(as_api(cast.ciso), url, {"motivation": "x", "expires_on": past}).status_code == 400
    assert not RiskDecision.objects.exists()


def test_supplier_never_sees_decisions(cast, as_api):
    finding = _finding(cast)["finding"]
    _post(
        as_api(cast.ciso),
        reverse("finding-decision", kwargs={"pk": finding.pk}),
        {"motivation": "x", "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat()},
    )
    assert as_api(cast.supplier_owner).get(reverse("decision-list")).status_code == 403
    assert as_api(cast.board).get(reverse("decision-list")).json()["count"] == 1
    assert as_api(cast.other_care_admin).get(reverse("decision-list")).json()["count"] == 0


def test_pages_propose_decide_register_and_export(cast):
    import io

    from openpyxl import load_workbook

    from tests.conftest import client_for

    world = _finding(cast)
    finding = world["finding"]
    expires = (timezone.localdate() + timedelta(days=60)).isoformat()
    client_for(cast.ciso).post(
        reverse("decision_propose", kwargs={"pk": finding.pk}),
        {"motivation": "Alternatief in aanbesteding", "expires_on": expires},
    )
    decision = RiskDecision.objects.get()
    board = client_for(cast.board)
    assert [d.pk for d in board.get(reverse("home")).context["pending_decisions"]] == [decision.pk]
    board.post(
        reverse("decision_decide", kwargs={"pk": decision.pk}),
        {"approve": "1", "comment": "Akkoord"},
    )
    decision.refresh_from_db()
    assert decision.status == "approved" and decision.decided_by == cast.board.user
    register = client_for(cast.viewer).get(reverse("decision_register"), {"status": "approved"})
    assert [d.pk for d in register.context["decisions"]] == [decision.pk]
    sheet = client_for(cast.viewer).get(reverse("decision_register_xlsx"))
    ws = load_workbook(io.BytesIO(sheet.content))["Decisions"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][6] == "Alternatief in aanbesteding" and rows[1][5] == "approved"


def test_a_board_member_sees_the_finding_the_answer_and_the_risk_page_one_click_away(cast):
    from datetime import timedelta

    from django.utils import timezone

    from questionnaires.decisions import decision_propose
    from tests.access import _finding
    from tests.conftest import client_for

    finding = _finding(cast)["finding"]
    d = decision_propose(
        relationship=finding.relationship,
        finding=finding,
        actor=cast.ciso.user,
        motivation="Compenserende maatregel",
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    html = client_for(cast.board, lang="nl").get(reverse("decision_register")).content.decode()
    card = html[html.find(f'id="decision-{d.pk}"') :]
    card = card[: card.find("</article>")]
    assert "Het antwoord van de leverancier" in card and "Nee" in card  # "no" in words
    assert reverse("finding_detail", args=[finding.pk]) in card
    assert (
        f"/assessments/{finding.assessment_id}/?q={finding.question_code}#q-{finding.question_code}"
        in card
    )
    assert reverse("relationship_risk", args=[finding.relationship_id]) in card
    assert f'<textarea class="form-control mb-2" name="comment" id="c-{d.pk}"' in card
    # a security officer reads the register but gets no decision cards
    ciso = client_for(cast.ciso).get(reverse("decision_register")).content.decode()
    assert f'id="decision-{d.pk}"' not in ciso
