"""Who hears what in a joint assessment: the invited organisation, the lead when someone
answers, the supplier when someone joins, and each participant when its copy arrives."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Role
from portal.core.notifications.services import notice_kind, notify

from ..notices.common import assessment_of, users
from .models import JointAssessment, JointParticipant, ParticipantStatus

INVITED = notice_kind(
    "joint_assessment.invited",
    gettext_lazy("Another care organisation invites you to a joint assessment"),
    side="care",
)
RESPONDED = notice_kind(
    "joint_assessment.responded",
    gettext_lazy("An invited care organisation answered your joint assessment invitation"),
    side="care",
)
JOINED = notice_kind(
    "joint_assessment.joined",
    gettext_lazy("A customer joined a joint assessment you answer"),
    side="supplier",
)
COPY = notice_kind(
    "joint_assessment.copy_ready",
    gettext_lazy("The supplier's answers in a joint assessment are ready for your review"),
    side="care",
)
REVIEWERS = ("admin", "security")


def _seat(event) -> JointParticipant | None:
    data = event["data"]
    return (
        JointParticipant.objects.select_related(
            "care_org",
            "joint__lead__relationship__care_org",
            "joint__lead__relationship__supplier",
            "joint__lead__template",
            "joint__lead__created_by",
        )
        .filter(joint_id=data["joint_assessment"], care_org_id=data["participant"])
        .first()
    )


def _values(seat) -> dict:
    lead = seat.joint.lead
    return {
        "lead": lead.relationship.care_org.name,
        "org": seat.care_org.name,
        "supplier": lead.relationship.supplier.name,
        "q": lead.template.title,
    }


def notify_invited(event) -> None:
    seat = _seat(event)
    if seat is None:
        return
    values, url = _values(seat), reverse("joint_detail", args=[seat.joint_id])

    def render():
        return (
            _("%(lead)s invites you to a joint assessment of %(supplier)s") % values,
            _(
                "%(lead)s invites %(org)s to review the answers of %(supplier)s to “%(q)s” "
                "together: the supplier answers once, and you keep your own intake, review, "
                "score and findings. Accept with your own relationship with this supplier."
            )
            % values,
        )

    for user in users(seat.care_org, roles=REVIEWERS):
        notify(user=user, organisation=seat.care_org, render=render, url=url, kind=INVITED)


def notify_responded(event) -> None:
    seat = _seat(event)
    if seat is None:
        return
    values, lead = _values(seat), seat.joint.lead
    joined = seat.status == ParticipantStatus.JOINED

    def render_lead():
        if joined:
            return _("%(org)s joined your joint assessment of %(supplier)s") % values, _(
                "%(org)s reviews the answers of %(supplier)s to “%(q)s” with you."
            ) % values
        return _("%(org)s declined your joint assessment of %(supplier)s") % values, _(
            "%(org)s does not take part in the joint assessment of “%(q)s”."
        ) % values

    url = reverse("joint_detail", args=[seat.joint_id])
    care = lead.relationship.care_org
    for user in users(care, roles=REVIEWERS, extra=(lead.created_by,)):
        notify(user=user, organisation=care, render=render_lead, url=url, kind=RESPONDED)
    if not joined or lead.status == "draft":
        return

    def render_supplier():
        return _("%(org)s takes part in the joint assessment of %(lead)s") % values, _(
            "Your answers to “%(q)s” for %(lead)s also go to %(org)s: you answer once, and "
            "clarification questions of every participant reach you in that one questionnaire."
        ) % values

    supplier = lead.relationship.supplier
    detail = reverse("assessment_detail", args=[lead.pk])
    for user in users(supplier, roles=[Role.OWNER]):
        notify(user=user, organisation=supplier, render=render_supplier, url=detail, kind=JOINED)


def notify_copies_ready(event) -> None:
    """On the supplier's (re)submission: each participant's reviewers hear their copy is in."""
    lead = assessment_of(event)
    joint = JointAssessment.objects.filter(lead=lead).first() if lead else None
    if joint is None:
        return
    for seat in joint.seats.filter(status=ParticipantStatus.JOINED).select_related(
        "care_org", "assessment"
    ):
        if seat.assessment_id is None:
            continue
        values = {"supplier": lead.relationship.supplier.name, "q": lead.template.title}

        def render(values=values):
            return _("%(supplier)s answered the joint assessment") % values, _(
                "The answers of %(supplier)s to “%(q)s” are in your own copy, ready for your "
                "review."
            ) % values

        url = reverse("assessment_detail", args=[seat.assessment_id])
        for user in users(seat.care_org, roles=REVIEWERS):
            notify(user=user, organisation=seat.care_org, render=render, url=url, kind=COPY)
