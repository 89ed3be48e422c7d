"""The assessment journey through the API, both sides, with every illegal step refused (409)."""

from __future__ import annotations

import json

from django.urls import reverse

from questionnaires.models import Answer, Assessment
from suppliers.models import Relationship
from tests.access import assessment_at

BANNED = {
    "weight",
    "knockout",
    "score",
    "scores",
    "severity",
    "control_score",
    "inherent_tier",
    "intake",
}


def _send(client, method, url, body=None):
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


def _url(name, a, **kw):
    return reverse(name, kwargs={"pk": a.pk, **kw})


def test_full_journey_with_clarification_round(cast, as_api):
    world = assessment_at(cast, "draft")
    a, rel = world["assessment"], world["relationship"]
    care, ciso, supplier = as_api(cast.procurement), as_api(cast.ciso), as_api(cast.supplier_owner)
    # A draft is invisible to the supplier.
    assert supplier.get(_url("assessment-detail", a)).status_code == 404
    assert _send(care, "post", _url("assessment-send", a)).json()["status"] == "sent"
    questions = supplier.get(_url("assessment-questions", a)).json()
    assert [q["code"] for q in questions] == ["A-01"]
    assert not BANNED & set(questions[0])
    assert questions[0]["choices"] == [
        {"value": "yes", "label": "Ja"},
        {"value": "no", "label": "Nee"},
    ]
    # Submitting before answering lists what is missing.
    r = _send(supplier, "post", _url("assessment-submit", a))
    assert r.status_code == 409  # still "sent": nothing answered yet
    r = _send(
        supplier,
        "put",
        _url("assessment-answer", a, code="A-01"),
        {"value": "no", "explanation": "nog niet"},
    )
    assert r.json()["version"] == 1
    detail = supplier.get(_url("assessment-detail", a)).json()
    assert detail["status"] == "in_progress" and detail["progress"] == {
        "answered": 1,
        "required_open": 0,
        "total": 1,
    }
    assert _send(supplier, "post", _url("assessment-submit", a)).json()["status"] == "submitted"
    # Submitted answers are read-only for the supplier.
    assert (
        _send(
            supplier, "put", _url("assessment-answer", a, code="A-01"), {"value": "yes"}
        ).status_code
        == 409
    )
    r = _send(
        ciso,
        "post",
        _url("assessment-review", a, code="A-01"),
        {"verdict": "clarification", "message": "Welke methode?"},
    )
    assert r.status_code == 200
    assert (
        _send(ciso, "post", _url("assessment-request-clarification", a)).json()["status"]
        == "clarification_requested"
    )
    r = _send(
        supplier, "put", _url("assessment-answer", a, code="A-01"), {"value": "yes", "version": 1}
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    assert _send(supplier, "post", _url("assessment-submit", a)).json()["status"] == "submitted"
    _send(ciso, "post", _url("assessment-review", a, code="A-01"), {"verdict": "accepted"})
    done = _send(ciso, "post", _url("assessment-complete", a)).json()
    assert done["status"] == "completed"
    risk = care.get(reverse("relationship-risk", kwargs={"pk": rel.pk})).json()
    assert (
        risk["assessed"] is True
        and risk["control_score"] == 100.0
        and risk["control_band"] == "strong"
    )
    # Tier critical × strong → medium (DESIGN §6.5).
    assert risk["inherent_tier"] == "critical" and risk["residual_risk"] == "medium"
    # The history: registered (not assessed, critical), then this assessment (medium).
    assert [(h["cause"], h["residual_risk"], h["control_score"]) for h in risk["history"]] == [
        ("created", "critical", None),
        ("assessment", "medium", 100.0),
    ]
    assert risk["history"][1]["assessment"] == a.pk
    assert risk["next_assessment_due"] is not None


def test_knockout_and_low_score_reach_the_relationship(cast, as_api):
    world = assessment_at(cast, "submitted")  # answered "no"
    a = world["assessment"]
    q = a.template.questions.get()
    q.knockout = True
    q.save()
    _send(as_api(cast.ciso), "post", _url("assessment-complete", a))
    rel = Relationship.objects.get(pk=world["relationship"].pk)
    assert rel.assessed and float(rel.control_score) == 0.0 and rel.control_band == "poor"
    assert rel.residual_risk == "critical"
    assert rel.risk_explanation["knockouts"] == ["A-01"]


def test_review_override_needs_motivation(cast, as_api):
    a = assessment_at(cast, "submitted")["assessment"]
    ciso = as_api(cast.ciso)
    r = _send(
        ciso,
        "post",
        _url("assessment-review", a, code="A-01"),
        {"verdict": "accepted", "score_override": 0.5},
    )
    assert r.status_code == 400 and "motivation" in r.json()["errors"]
    assert Answer.objects.get(assessment=a).score_override is None
    r = _send(
        ciso,
        "post",
        _url("assessment-review", a, code="A-01"),
        {"verdict": "accepted", "score_override": 0.5, "motivation": "Compenserende maatregel"},
    )
    assert r.json()["score_override"] == 0.5
    _send(ciso, "post", _url("assessment-complete", a))
    assert float(Assessment.objects.get(pk=a.pk).control_score) == 50.0


def test_stale_answer_version_is_a_conflict_showing_the_newer_answer(cast, as_api):
    a = assessment_at(cast, "in_progress")["assessment"]  # saved once: version 1, value "no"
    supplier = as_api(cast.supplier_owner)
    r = _send(
        supplier, "put", _url("assessment-answer", a, code="A-01"), {"value": "yes", "version": 0}
    )
    assert r.status_code == 409
    assert r.json()["current"] == {"value": "no", "explanation": "", "version": 1}
    assert Answer.objects.get(assessment=a).value == "no"


def test_illegal_transitions_change_nothing(cast, as_api):
    a = assessment_at(cast, "sent")["assessment"]
    ciso, care = as_api(cast.ciso), as_api(cast.procurement)
    for name in ("assessment-complete", "assessment-request-clarification"):
        assert _send(ciso, "post", _url(name, a)).status_code == 409
    assert _send(care, "post", _url("assessment-send", a)).status_code == 409
    assert (
        _send(
            ciso, "post", _url("assessment-review", a, code="A-01"), {"verdict": "accepted"}
        ).status_code
        == 409
    )
    assert Assessment.objects.get(pk=a.pk).status == "sent"


def test_bad_answer_values_are_refused(cast, as_api):
    a = assessment_at(cast, "sent")["assessment"]
    supplier = as_api(cast.supplier_owner)
    for value in ("maybe", 3, ["yes"], "na"):
        r = _send(supplier, "put", _url("assessment-answer", a, code="A-01"), {"value": value})
        assert r.status_code == 400, value
    assert (
        _send(
            supplier, "put", _url("assessment-answer", a, code="NOPE"), {"value": "yes"}
        ).status_code
        == 400
    )
    assert not Answer.objects.filter(assessment=a).exists()
    assert Assessment.objects.get(pk=a.pk).status == "sent"


def test_create_refuses_foreign_relationship_and_draft_template(cast, as_api):
    world = assessment_at(cast, "draft")
    other = as_api(cast.other_care_admin)
    r = _send(
        other,
        "post",
        reverse("assessment-list"),
        {"relationship": world["relationship"].pk, "template": world["assessment"].template_id},
    )
    assert r.status_code == 400 and "relationship" in r.json()["errors"]


def test_other_supplier_sees_nothing(cast, as_api):
    assessment_at(cast, "sent")
    assert as_api(cast.other_supplier_owner).get(reverse("assessment-list")).json()["count"] == 0
    assert as_api(cast.supplier_owner).get(reverse("assessment-list")).json()["count"] == 1
