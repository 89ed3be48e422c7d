"""The events the questionnaires app emits (DESIGN §3); loaded by QuestionnairesConfig.ready().

Payload `data` holds ids and states only: never scores, weights or notes, so that what a
subscriber passes on (a webhook, an e-mail) cannot leak what its receiver may not see.
"""

from __future__ import annotations

from portal.core.events import define

from .rapid.events import define_rapid_events

_PARTIES = {
    "relationship": "id of the relationship",
    "care_organisation": "id of the care organisation",
    "supplier": "id of the supplier organisation",
    "actor": "id of the person who acted, or null for the system",
}


def _assessment_data(*, assessment, actor=None, **_unused) -> dict:
    rel = assessment.relationship
    return {
        "assessment": assessment.pk,
        "status": assessment.status,
        "relationship": rel.pk,
        "care_organisation": rel.care_org_id,
        # A joint participant's copy is never the supplier's (it answers the lead's assessment).
        "supplier": None if assessment.joint_source_id else rel.supplier_id,
        "actor": getattr(actor, "pk", None),
    }


def _submission_data(*, assessment, actor=None, resubmission=False, **_unused) -> dict:
    return {**_assessment_data(assessment=assessment, actor=actor), "resubmission": resubmission}


def _finding_data(*, finding, actor=None, **_unused) -> dict:
    rel = finding.relationship
    return {
        "finding": finding.pk,
        "question": finding.question_code,
        "status": finding.status,
        "due_date": finding.due_date.isoformat() if finding.due_date else None,
        "relationship": rel.pk,
        "care_organisation": rel.care_org_id,
        "supplier": rel.supplier_id,
        "actor": getattr(actor, "pk", None),
    }


def _decision_data(*, decision, actor=None, **_unused) -> dict:
    rel = decision.relationship
    return {
        "decision": decision.pk,
        "status": decision.status,
        "finding": decision.finding_id,
        "relationship": rel.pk,
        "care_organisation": rel.care_org_id,
        "actor": getattr(actor, "pk", None),
    }


_ASSESSMENT = {"assessment": "id of the assessment", "status": "its state afterwards", **_PARTIES}
_FINDING = {
    "finding": "id of the finding",
    "question": "the question code it was raised on",
    "status": "its status afterwards",
    "due_date": "its deadline (YYYY-MM-DD)",
    **_PARTIES,
}
_DECISION = {
    "decision": "id of the risk decision",
    "status": "proposed, approved, rejected or expired",
    "finding": "id of the finding it covers, or null for the relationship's residual risk",
    "relationship": "id of the relationship",
    "care_organisation": "id of the care organisation",
    "actor": "id of the person who acted, or null for the system",
}
_BY = "the person who acted"
_REQUEST = "the HTTP request for the audit trail, or None"


def define_events() -> None:
    """Declare this app's events in the registry (idempotent)."""
    define(
        "assessment.submitted",
        summary="The supplier submitted its answers (also after a clarification round).",
        arguments={
            "assessment": "the Assessment",
            "actor": _BY,
            "request": _REQUEST,
            "resubmission": "True when it follows a clarification round",
        },
        data={**_ASSESSMENT, "resubmission": "true when it follows a clarification round"},
        build_data=_submission_data,
    )
    for name, summary, extra in (
        ("assessment.sent", "A care organisation sent a questionnaire to a supplier.", {}),
        (
            "assessment.clarification_requested",
            "The care organisation sent questions back to the supplier for clarification.",
            {},
        ),
        (
            "assessment.completed",
            "The care organisation completed its review: the assessment is scored and everything "
            "that depends on it follows.",
            {"result": "the scoring result (questionnaires.scoring.Result)"},
        ),
        ("assessment.cancelled", "The care organisation cancelled an open assessment.", {}),
    ):
        define(
            name,
            summary=summary,
            arguments={"assessment": "the Assessment", "actor": _BY, "request": _REQUEST, **extra},
            data=_ASSESSMENT,
            build_data=_assessment_data,
        )

    for name, summary in (
        ("finding.raised", "A finding was raised on an answer when an assessment was completed."),
        ("finding.plan_submitted", "The supplier submitted a remediation plan for a finding."),
        ("finding.closed", "The care organisation resolved or withdrew a finding."),
    ):
        define(
            name,
            summary=summary,
            arguments={"finding": "the Finding", "actor": _BY},
            data=_FINDING,
            build_data=_finding_data,
        )
    define(
        "finding.plan_due",
        summary="A finding still has no remediation plan a month before its deadline (the daily "
        "run, once a deadline).",
        arguments={"finding": "the Finding"},
        data=_FINDING,
        build_data=_finding_data,
    )
    define(
        "finding.overdue",
        summary="A finding passed its deadline while still open (the daily run, once a deadline).",
        arguments={"finding": "the Finding"},
        data=_FINDING,
        build_data=_finding_data,
    )

    for name, summary in (
        ("decision.proposed", "A risk decision was proposed to the board."),
        ("decision.decided", "A board member approved or rejected a proposed risk decision."),
    ):
        define(
            name,
            summary=summary,
            arguments={"decision": "the RiskDecision", "actor": _BY},
            data=_DECISION,
            build_data=_decision_data,
        )
    define_rapid_events()
    define(
        "decision.expired",
        summary="An approved risk decision reached its expiry date; its finding is open again.",
        arguments={"decision": "the RiskDecision"},
        data=_DECISION,
        build_data=_decision_data,
    )
