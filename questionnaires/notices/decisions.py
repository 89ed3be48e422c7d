"""Hand-offs of a risk decision: proposed → the board, decided → the proposer and the security
officers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.accounts.models import Role
from portal.core.notifications.services import notify

from ..models import RiskDecision
from .common import DECIDED, PROPOSED, day, name, users


def _decision(event) -> RiskDecision | None:
    return (
        RiskDecision.objects.select_related(
            "relationship__care_org", "finding", "proposed_by", "decided_by"
        )
        .filter(pk=event["data"]["decision"])
        .first()
    )


def _subject_of(d: RiskDecision) -> str:
    if d.finding is not None:
        return _("the finding “%(title)s” of %(rel)s") % {
            "title": d.finding.title,
            "rel": d.relationship.name,
        }
    return _("the residual risk of %(rel)s") % {"rel": d.relationship.name}


def notify_decision_proposed(event) -> None:
    """The board members decide; they read what is proposed, why, and until when."""
    d = _decision(event)
    if d is None:
        return
    rel = d.relationship

    def render():
        return (
            _("Risk decision for the board: %(rel)s") % {"rel": rel.name},
            _("%(person)s proposes to accept %(what)s until %(date)s.\n\nMotivation: %(why)s")
            % {
                "person": name(d.proposed_by),
                "what": _subject_of(d),
                "date": day(d.expires_on),
                "why": d.motivation,
            },
        )

    url = reverse("decision_register") + f"#decision-{d.pk}"
    for user in users(rel.care_org, roles=[Role.BOARD]):
        notify(user=user, organisation=rel.care_org, render=render, url=url, kind=PROPOSED)


def notify_decision_decided(event) -> None:
    """The proposer and the security officers hear the board's decision (not the decider)."""
    d = _decision(event)
    if d is None:
        return
    rel = d.relationship
    approved = d.status == "approved"

    def render():
        values = {"person": name(d.decided_by), "what": _subject_of(d), "rel": rel.name}
        if approved:
            subject = _("The board approved a risk decision: %(rel)s") % values
            body = _("%(person)s approved the proposal to accept %(what)s.") % values
        else:
            subject = _("The board rejected a risk decision: %(rel)s") % values
            body = _("%(person)s rejected the proposal to accept %(what)s.") % values
        if d.comment:
            body += "\n\n" + _("Comment: %(text)s") % {"text": d.comment}
        return subject, body

    url = reverse("decision_register") + f"#decision-{d.pk}"
    for user in users(rel.care_org, roles=[Role.SECURITY], extra=[d.proposed_by]):
        if user.pk != d.decided_by_id:
            notify(user=user, organisation=rel.care_org, render=render, url=url, kind=DECIDED)
