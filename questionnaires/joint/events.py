"""The events of joint assessments (DESIGN §14); loaded by QuestionnairesConfig.ready()."""

from __future__ import annotations

from portal.core.events import define


def _seat_data(*, seat, actor=None, **_unused) -> dict:
    lead = seat.joint.lead
    return {
        "joint_assessment": seat.joint_id,
        "assessment": lead.pk,
        "participant": seat.care_org_id,
        "status": seat.status,
        # the care organisation this copy of the event is for (webhooks: its endpoints)
        "care_organisation": seat.care_org_id
        if seat.status == "invited"
        else lead.relationship.care_org_id,
        "actor": getattr(actor, "pk", None),
    }


_DATA = {
    "joint_assessment": "id of the joint assessment",
    "assessment": "id of the lead's assessment (the one the supplier answers)",
    "participant": "id of the invited care organisation",
    "status": "invited, joined or declined",
    "care_organisation": "the receiving care organisation: the invited one for `invited`, the "
    "lead for `responded`",
    "actor": "id of the person who acted",
}


def define_events() -> None:
    define(
        "joint_assessment.invited",
        summary="A lead care organisation invited another care organisation to a joint "
        "assessment of a supplier.",
        arguments={"seat": "the JointParticipant", "actor": "the person who invited"},
        data=_DATA,
        build_data=_seat_data,
    )
    define(
        "joint_assessment.responded",
        summary="An invited care organisation joined a joint assessment (with its own "
        "relationship) or declined.",
        arguments={"seat": "the JointParticipant", "actor": "the person who answered"},
        data=_DATA,
        build_data=_seat_data,
    )
