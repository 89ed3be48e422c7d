"""The rapid questionnaire's event (DESIGN §3, §13); defined by questionnaires.events."""

from __future__ import annotations

from portal.core.events import define


def _rapid_data(*, rapid, **_unused) -> dict:
    return {
        "rapid": rapid.pk,
        "care_organisation": rapid.care_org_id,
        "status": rapid.status,
        "relationships": rapid.relationships.count(),
        "completed_at": rapid.completed_at.isoformat() if rapid.completed_at else None,
    }


def define_rapid_events() -> None:
    define(
        "rapid_assessment.completed",
        summary="Every supplier asked in a rapid questionnaire (after an incident in the chain) "
        "has answered.",
        arguments={"rapid": "the RapidAssessment"},
        data={
            "rapid": "id of the rapid questionnaire round",
            "care_organisation": "id of the care organisation that sent it",
            "status": "completed",
            "relationships": "how many relationships were asked",
            "completed_at": "when the last answer came in (ISO 8601)",
        },
        build_data=_rapid_data,
    )
