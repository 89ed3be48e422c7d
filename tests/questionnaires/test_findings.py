"""Findings (DESIGN §6.6): severity rules, deadlines, idempotence across rounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from questionnaires import assessments as svc
from questionnaires.findings import finding_severity
from questionnaires.models import Finding
from questionnaires.services import template_import
from tests.access import MINI_TEMPLATE, _relationship


@pytest.mark.parametrize(
    ("severity", "score", "knockout", "expected"),
    [
        ("high", 0, False, "high"),
        ("high", 0.5, False, "medium"),
        ("low", 0.5, False, "low"),
        ("critical", 0.25, False, "high"),
        ("medium", 0, True, "high"),
        ("low", 0.25, True, "high"),
        ("low", 0.75, True, "low"),
        ("critical", 0, True, "critical"),
    ],
)
def test_severity_rules(severity, score, knockout, expected):
    assert finding_severity(severity, score, knockout) == expected


def _round(cast, rel, template, value):
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    svc.answer_save(assessment=a, code="A-01", value=value, actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    return svc.assessment_complete(assessment=a, actor=cast.ciso.user)


def test_findings_are_idempotent_across_rounds(cast, as_api):
    rel = _relationship(cast)["relationship"]
    template = template_import(data=MINI_TEMPLATE, publish=True)  # high severity, weight 1
    _round(cast, rel, template, "no")
    f = Finding.objects.get(relationship=rel)
    assert (f.severity, f.status, f.owner) == ("high", "open", cast.procurement.user)
    assert f.due_date == timezone.localdate() + timedelta(days=90)
    _round(cast, rel, template, "no")
    assert Finding.objects.filter(relationship=rel).count() == 1  # no duplicate
    Finding.objects.filter(pk=f.pk).update(status="resolved", score=0.0)
    _round(cast, rel, template, "no")  # not worse: stays resolved
    assert Finding.objects.get(pk=f.pk).status == "resolved"
    Finding.objects.filter(pk=f.pk).update(score=1.0)  # resolved when the answer was good
    _round(cast, rel, template, "no")  # worse now: reopened
    assert Finding.objects.get(pk=f.pk).status == "open"
    body = (
        as_api(cast.board)
        .get(reverse("relationship-findings-list", kwargs={"relationship_pk": rel.pk}))
        .json()
    )
    assert [(x["question"], x["severity"], x["status"]) for x in body["results"]] == [
        ("A-01", "high", "open")
    ]


def test_good_answer_raises_no_finding(cast):
    rel = _relationship(cast)["relationship"]
    _round(cast, rel, template_import(data=MINI_TEMPLATE, publish=True), "yes")
    assert not Finding.objects.filter(relationship=rel).exists()


def test_review_override_rescores_provisionally(cast):
    from tests.access import assessment_at
    from tests.conftest import client_for

    world = assessment_at(cast, "submitted")  # A-01 answered "no"
    a = world["assessment"]
    svc.answer_review(assessment=a, code="A-01", verdict="accepted", actor=cast.ciso.user)
    a.refresh_from_db()
    assert a.scores["provisional"]["control_score"] == 0.0
    assert a.scores["provisional"]["residual_risk"] == "critical"
    svc.answer_review(
        assessment=a,
        code="A-01",
        verdict="accepted",
        score_override=1,
        motivation="Compenserende maatregel gezien in de audit",
        actor=cast.ciso.user,
    )
    a.refresh_from_db()
    assert a.scores["provisional"] == {
        "control_score": 100.0,
        "band": "strong",
        "knockouts": [],
        "residual_risk": "medium",  # critical × strong
    }
    page = client_for(cast.ciso).get(reverse("assessment_detail", kwargs={"pk": a.pk}))
    assert "control score 100.0 (Strong), residual risk Medium" in page.content.decode()
    supplier = client_for(cast.supplier_owner).get(
        reverse("assessment_detail", kwargs={"pk": a.pk})
    )
    assert "Provisional result" not in supplier.content.decode()
    rel = world["relationship"]
    rel.refresh_from_db()
    assert rel.assessed is False  # the cached risk moves only at completion


def test_provisional_result_during_clarification_does_not_offer_to_complete(cast):
    """While the supplier answers a clarification request the review cannot be completed, so
    the provisional result says where things stand instead of "if you complete now"."""
    from tests.access import assessment_at
    from tests.conftest import client_for

    a = assessment_at(cast, "submitted")["assessment"]
    svc.answer_review(
        assessment=a, code="A-01", verdict="clarification", message="Welke?", actor=cast.ciso.user
    )
    svc.assessment_request_clarification(assessment=a, actor=cast.ciso.user)
    a.refresh_from_db()
    assert a.status == "clarification_requested"
    html = client_for(cast.ciso).get(reverse("assessment_detail", kwargs={"pk": a.pk})).content
    assert b"while the supplier answers your clarification request" in html
    assert b"If you complete the review now" not in html
