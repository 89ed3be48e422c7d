"""Reads for joint assessments: who takes part, what the supplier still has to answer."""

from __future__ import annotations

from django.db.models import Count, Q

from portal.core.accounts.models import Organisation

from ..models import AnswerMessage, Assessment
from .models import JointAssessment, JointParticipant, JointQuestion, ParticipantStatus


def open_questions(lead) -> dict[str, list[JointQuestion]]:
    """The participants' questions the supplier still has to answer, per question code."""
    found: dict[str, list[JointQuestion]] = {}
    qs = JointQuestion.objects.filter(joint__lead=lead, answered_at__isnull=True).select_related(
        "asked_by"
    )
    for q in qs:
        found.setdefault(q.code, []).append(q)
    return found


def in_joint(assessment) -> bool:
    """The lead's assessment of a joint assessment, or a participant's copy."""
    return (
        assessment.joint_source_id is not None
        or JointAssessment.objects.filter(lead=assessment).exists()
    )


def asked_jointly(lead, code: str) -> bool:
    return JointQuestion.objects.filter(
        joint__lead=lead, code=code, answered_at__isnull=True
    ).exists()


def joints_for(membership):
    """The joint assessments an organisation takes part in: as lead or invited participant
    (care), or as the supplier that answers them (never before the lead sent it)."""
    if membership is None or not membership.is_active:
        return JointAssessment.objects.none()
    org = membership.organisation
    qs = JointAssessment.objects.select_related(
        "lead__relationship__care_org", "lead__relationship__supplier", "lead__template", "product"
    ).prefetch_related("seats__care_org")
    if org.is_care:
        return qs.filter(Q(lead__relationship__care_org=org) | Q(seats__care_org=org)).distinct()
    return qs.filter(lead__relationship__supplier=org).exclude(lead__status="draft")


def role_of(joint, org) -> str:
    if org.pk == joint.lead.relationship.supplier_id:
        return "supplier"
    if org.pk == joint.lead.relationship.care_org_id:
        return "lead"
    return "participant"


def seat_of(joint, org) -> JointParticipant | None:
    """The organisation's seat (from the prefetched seats when `joints_for` gave the joint)."""
    return next((s for s in joint.seats.all() if s.care_org_id == org.pk), None)


def seats_overview(joint, *, with_progress: bool) -> list[dict]:
    """Every invited organisation with its answer; for the lead also how far each got with its
    review (answers reviewed, completed when) — never the verdicts or scores themselves."""
    seats = list(joint.seats.all())
    progress = {}
    if with_progress:
        copies = Assessment.objects.filter(
            pk__in=[s.assessment_id for s in seats if s.assessment_id]
        )
        progress = {
            a.pk: a
            for a in copies.annotate(
                n_answers=Count("answers"),
                n_reviewed=Count("answers", filter=~Q(answers__verdict="")),
            )
        }
    rows = []
    for s in seats:
        copy = progress.get(s.assessment_id)
        row = {
            "id": s.pk,
            "organisation": {"id": s.care_org_id, "name": s.care_org.name},
            "status": s.status,
            "status_display": s.get_status_display(),
            "invited_at": s.invited_at,
            "responded_at": s.responded_at,
        }
        if with_progress:
            row.update(
                review=_review_state(s, copy),
                reviewed=getattr(copy, "n_reviewed", 0),
                answers=getattr(copy, "n_answers", 0),
                completed_at=getattr(copy, "completed_at", None),
            )
        rows.append(row)
    return rows


def _review_state(seat, copy) -> str:
    if seat.status != ParticipantStatus.JOINED:
        return "none"
    if copy is None:
        return "waiting"  # the supplier has not submitted yet
    if copy.status == "completed":
        return "completed"
    if copy.status == "cancelled":
        return "cancelled"
    return "reviewing" if copy.n_reviewed else "not_started"


def shared_comments(joint) -> list[dict]:
    """Review notes their authors shared with the joint's participants, per question."""
    ids = [
        joint.lead_id,
        *joint.seats.exclude(assessment=None).values_list("assessment_id", flat=True),
    ]
    notes = (
        AnswerMessage.objects.filter(shared=True, answer__assessment_id__in=ids)
        .select_related("answer__question", "organisation", "author")
        .order_by("answer__question__code", "created_at")
    )
    return [
        {
            "code": n.answer.question.code,
            "organisation": n.organisation.name,
            "author": getattr(n.author, "email", ""),
            "body": n.body,
            "at": n.created_at,
        }
        for n in notes
    ]


def invitable(org) -> list:
    """Care organisations on the portal one may invite: every other care organisation."""
    return list(Organisation.objects.filter(kind="care").exclude(pk=org.pk).order_by("name"))


def joint_of(assessment) -> JointAssessment | None:
    return JointAssessment.objects.filter(lead=assessment).first()


def same_security_officer(user, org) -> list[int]:
    """Ids of the other care organisations this person is a member of — a remote security
    officer's organisations, offered first when inviting."""
    return list(
        Organisation.objects.filter(
            kind="care", memberships__user=user, memberships__is_active=True
        )
        .exclude(pk=org.pk)
        .values_list("pk", flat=True)
    )


def joint_banner(assessment, membership) -> dict | None:
    """What the questionnaire page says about a joint assessment, per side: the supplier sees
    who its answers go to; the lead links to its overview; a participant to the joint page.
    No query for an assessment that takes no part in one (`joint` is selected with it)."""
    joint = getattr(assessment, "joint", None)
    if assessment.joint_source_id is not None:
        seat = JointParticipant.objects.select_related("joint__lead__relationship__care_org").get(
            assessment=assessment
        )
        return {
            "role": "participant",
            "joint": seat.joint,
            "lead": seat.joint.lead.relationship.care_org.name,
        }
    if joint is None:
        return None
    names = list(
        joint.seats.filter(status=ParticipantStatus.JOINED)
        .order_by("care_org__name")
        .values_list("care_org__name", flat=True)
    )
    role = "supplier" if membership.organisation.is_supplier else "lead"
    return {"role": role, "joint": joint, "participants": names}
