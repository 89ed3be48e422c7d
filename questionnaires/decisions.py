"""Risk decisions (DESIGN §7): a security officer proposes, a board member approves or rejects;
an expired decision reopens what it covered. Everything is audited — this is what the
inspectorate asks to see.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.events import emit
from portal.core.exceptions import Conflict

from .models import DecisionStatus, FindingStatus, RiskDecision


def _check(motivation: str, expires_on: date | None) -> None:
    errors = {}
    if not (motivation or "").strip():
        errors["motivation"] = _("A decision needs a motivation.")
    if expires_on is None or expires_on <= timezone.localdate():
        errors["expires_on"] = _("Choose an expiry date in the future.")
    elif (expires_on - timezone.localdate()).days > 3 * 366:
        errors["expires_on"] = _("A decision can run at most three years.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_propose(
    *, relationship, actor, motivation: str, expires_on, finding=None, request=None
) -> RiskDecision:
    _check(motivation, expires_on)
    if finding is not None and finding.status in (FindingStatus.RESOLVED, FindingStatus.WITHDRAWN):
        raise Conflict(_("This finding is closed; there is no risk left to accept."))
    if RiskDecision.objects.filter(
        relationship=relationship, finding=finding, status=DecisionStatus.PROPOSED
    ).exists():
        raise Conflict(_("A decision on this is already waiting for the board."))
    decision = RiskDecision.objects.create(
        relationship=relationship,
        finding=finding,
        motivation=motivation.strip()[:4000],
        expires_on=expires_on,
        proposed_by=actor,
        accepted_level=finding.severity if finding else relationship.residual_risk,
    )
    audit_record(
        action="decision.proposed",
        organisation=relationship.care_org,
        actor=actor,
        obj=decision,
        after={
            "finding": finding.question_code if finding else None,
            "level": decision.accepted_level,
            "expires_on": expires_on.isoformat(),
            "motivation": decision.motivation,
        },
        request=request,
    )
    emit("decision.proposed", decision=decision, actor=actor)
    return decision


@transaction.atomic
def decision_decide(
    *, decision: RiskDecision, actor, approve: bool, comment: str = "", request=None
) -> RiskDecision:
    decision = (
        RiskDecision.objects.select_for_update(of=("self",))
        .select_related("finding", "relationship__care_org")
        .get(pk=decision.pk)
    )
    if decision.status != DecisionStatus.PROPOSED:
        raise Conflict(_("This decision has already been taken."))
    if decision.proposed_by_id == actor.pk:
        raise Conflict(_("The person who proposed a decision cannot also approve it."))
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the proposal is rejected.")})
    decision.status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
    decision.decided_by, decision.decided_at, decision.comment = (
        actor,
        timezone.now(),
        (comment or "")[:4000],
    )
    decision.save()
    if approve and decision.finding is not None:
        decision.finding.status = FindingStatus.ACCEPTED
        decision.finding.save(update_fields=["status", "updated_at"])
    audit_record(
        action="decision.approved" if approve else "decision.rejected",
        organisation=decision.relationship.care_org,
        actor=actor,
        obj=decision,
        before={"status": "proposed"},
        after={"status": decision.status, "comment": decision.comment},
        request=request,
    )
    emit("decision.decided", decision=decision, actor=actor)
    return decision


def decisions_expire(*, today: date) -> int:
    """Approved decisions past their expiry end; the finding they covered opens again."""
    count = 0
    for decision in RiskDecision.objects.filter(
        status=DecisionStatus.APPROVED, expires_on__lte=today
    ).select_related("finding", "relationship__care_org"):
        with transaction.atomic():
            # Claim the expiry: a parallel daily run that got here first leaves no row to update.
            if not RiskDecision.objects.filter(
                pk=decision.pk, status=DecisionStatus.APPROVED
            ).update(status=DecisionStatus.EXPIRED):
                continue
            decision.status = DecisionStatus.EXPIRED
            if decision.finding is not None and decision.finding.status == FindingStatus.ACCEPTED:
                decision.finding.status = FindingStatus.OPEN
                decision.finding.save(update_fields=["status", "updated_at"])
            audit_record(
                action="decision.expired",
                organisation=decision.relationship.care_org,
                obj=decision,
                after={"finding_reopened": decision.finding_id is not None},
                actor_label="system",
            )
            emit("decision.expired", decision=decision)
        count += 1
    return count
