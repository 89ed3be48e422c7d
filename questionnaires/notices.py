"""Hand-offs: whoever has to act next hears of it (issue: every hand-off reaches its person).

After-commit subscribers of the domain events (registered in `subscribers.py`): each loads what
it needs from the event's ids, picks the people who must act *and may see it*, and notifies them
in their own language. Texts name the organisation and the person acting and say what is asked;
a supplier never reads scores, weights, tiers or internal notes here.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.core.accounts.models import Membership, Role
from portal.core.notifications.services import notice_kind, notify

from .assignments import assignee_for, assignments_of
from .models import Assessment, Finding, FindingStatus, RiskDecision, Verdict

SENT = notice_kind(
    "assessment.sent", gettext_lazy("A customer sent you a questionnaire"), side="supplier"
)
PLAN_PROGRESS = notice_kind(
    "finding.progress_reported",
    gettext_lazy("A supplier reported progress on a finding"),
    side="care",
)
SUBMITTED = notice_kind(
    "finding.plan_submitted", gettext_lazy("A supplier sent a remediation plan"), side="care"
)
SUBMITTED = notice_kind(
    "assessment.submitted", gettext_lazy("A supplier submitted a questionnaire"), side="care"
)
CLARIFY = notice_kind(
    "assessment.clarification_requested",
    gettext_lazy("A customer asks you to clarify answers"),
    side="supplier",
)
COMPLETED = notice_kind(
    "assessment.completed",
    gettext_lazy("A customer completed its review of your answers"),
    side="supplier",
)
PROPOSED = notice_kind(
    "decision.proposed", gettext_lazy("A risk decision awaits the board"), side="care"
)
DECIDED = notice_kind(
    "decision.decided", gettext_lazy("The board decided on a risk decision"), side="care"
)
PLAN_DUE = notice_kind(
    "finding.plan_due", gettext_lazy("A finding still needs your remediation plan"), side="supplier"
)
OVERDUE = notice_kind(
    "finding.overdue", gettext_lazy("A finding is past its deadline"), side="both"
)


def _name(user) -> str:
    if user is None:
        return _("Ketenwacht")
    return user.get_full_name() or user.email


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def _users(organisation, *, roles=None, extra=()) -> list:
    """Active people of `organisation` (with one of `roles`, if given), plus `extra` people who
    are active members there too; each person once, never anyone outside the organisation."""
    members = Membership.objects.active().filter(organisation=organisation).select_related("user")
    wanted = Q(role__in=roles) if roles else Q()
    if extra:
        wanted |= Q(user__in=[u.pk for u in extra if u is not None])
    seen, people = set(), []
    for m in members.filter(wanted).order_by("user__email"):
        if m.user_id not in seen:
            seen.add(m.user_id)
            people.append(m.user)
    return people


def _assessment(event) -> Assessment | None:
    return (
        Assessment.objects.select_related(
            "relationship__care_org", "relationship__supplier", "relationship__owner", "template"
        )
        .filter(pk=event["data"]["assessment"])
        .first()
    )


def _actor(event):
    from django.contrib.auth import get_user_model

    actor_id = event["data"].get("actor")
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None


def notify_sent(event) -> None:
    """The supplier's people hear who sent which questionnaire and by when it is due; a supplier
    still being invited gets its invitation again, now naming the questionnaire and landing
    straight in it (the earlier link stops working)."""
    from portal.core.accounts.models import Invitation
    from portal.core.accounts.services import invitation_create

    a = _assessment(event)
    if a is None:
        return
    rel, actor = a.relationship, _actor(event)
    url = reverse("assessment_detail", args=[a.pk])

    def render():
        values = {
            "person": _name(actor),
            "org": rel.care_org.name,
            "q": a.template.title,
            "date": _day(a.due_date),
        }
        return (
            _("New questionnaire from %(org)s") % values,
            _("%(person)s of %(org)s asks you to complete “%(q)s” before %(date)s.") % values,
        )

    people = _users(rel.supplier)
    for user in people:
        notify(user=user, organisation=rel.supplier, render=render, url=url, kind=SENT)
    if people:
        return
    pending = Invitation.objects.filter(
        organisation=rel.supplier, accepted_at__isnull=True, revoked_at__isnull=True
    ).exclude(next_url__startswith="/assessments/")
    for invitation in pending:
        invitation_create(
            organisation=rel.supplier,
            email=invitation.email,
            role=invitation.role,
            actor=actor,
            next_url=url,
            on_behalf_of=rel.care_org,
            asked=render()[1],
        )


def notify_submitted(event) -> None:
    """The relationship's owner and the security officers review what came in; on a resubmission
    they read which reopened answers changed."""
    a = _assessment(event)
    if a is None:
        return
    rel, actor = a.relationship, _actor(event)
    reopened = []
    if event["data"].get("resubmission"):
        reopened = list(
            a.answers.filter(verdict=Verdict.CLARIFICATION)
            .select_related("question")
            .order_by("question__section__order", "question__order")
        )
    changed = [
        x for x in reopened if x.answered_at and x.reviewed_at and x.answered_at > x.reviewed_at
    ]
    unchanged = [x for x in reopened if x not in changed]

    def render():
        lines = [
            _(
                "%(person)s of %(supplier)s submitted “%(q)s” for %(rel)s. "
                "It is waiting for your review."
            )
            % {
                "person": _name(actor),
                "supplier": rel.supplier.name,
                "q": a.template.title,
                "rel": rel.name,
            }
        ]
        if reopened:
            lines.append("")
            lines.append(
                _("Changed since your clarification request:")
                if changed
                else _("No reopened answer was changed.")
            )
            lines += [f"- {x.question.code} {x.question.text}" for x in changed]
            if unchanged and changed:
                lines.append(_("Not changed:"))
                lines += [f"- {x.question.code} {x.question.text}" for x in unchanged]
        subject = (
            _("%(supplier)s answered your clarification questions")
            if event["data"].get("resubmission")
            else _("%(supplier)s submitted a questionnaire")
        ) % {"supplier": rel.supplier.name}
        return subject, "\n".join(lines)

    url = reverse("assessment_detail", args=[a.pk])
    for user in _users(rel.care_org, roles=[Role.SECURITY], extra=[rel.owner]):
        notify(user=user, organisation=rel.care_org, render=render, url=url, kind=SUBMITTED)


def notify_clarification(event) -> None:
    """The supplier people assigned to the reopened questions, and the owners, read which
    questions were sent back and the care organisation's messages."""
    a = _assessment(event)
    if a is None:
        return
    rel, actor = a.relationship, _actor(event)
    reopened = list(
        a.answers.filter(verdict=Verdict.CLARIFICATION)
        .select_related("question__section")
        .order_by("question__section__order", "question__order")
    )
    by_section, by_question = assignments_of(a)
    assignees = [assignee_for(x.question, by_section, by_question) for x in reopened]

    def render():
        lines = [
            ngettext(
                "%(person)s of %(org)s asks you to clarify %(n)s answer in “%(q)s” "
                "before %(date)s:",
                "%(person)s of %(org)s asks you to clarify %(n)s answers in “%(q)s” "
                "before %(date)s:",
                len(reopened),
            )
            % {
                "person": _name(actor),
                "org": rel.care_org.name,
                "n": len(reopened),
                "q": a.template.title,
                "date": _day(a.due_date),
            }
        ]
        for x in reopened:
            lines.append(f"- {x.question.code} {x.question.text}")
            if x.verdict_message:
                lines.append(f"  “{x.verdict_message}”")
        return _("%(org)s asks you to clarify answers") % {"org": rel.care_org.name}, "\n".join(
            lines
        )

    url = reverse("assessment_detail", args=[a.pk])
    for user in _users(rel.supplier, roles=[Role.OWNER], extra=assignees):
        notify(user=user, organisation=rel.supplier, render=render, url=url, kind=CLARIFY)


def notify_completed(event) -> None:
    """The supplier owners hear that the review is done and which findings are theirs to
    answer (titles and deadlines only: no scores, weights or notes)."""
    a = _assessment(event)
    if a is None:
        return
    rel, actor = a.relationship, _actor(event)
    findings = list(
        Finding.objects.filter(assessment=a, status=FindingStatus.OPEN).order_by("due_date", "pk")
    )

    def render():
        lines = [
            _("%(person)s of %(org)s completed the review of your answers to “%(q)s”.")
            % {"person": _name(actor), "org": rel.care_org.name, "q": a.template.title}
        ]
        if findings:
            lines.append("")
            lines.append(
                _("Findings for you to answer with a remediation plan (%(n)s):")
                % {"n": len(findings)}
            )
            lines += [
                _("- %(title)s (deadline %(date)s)") % {"title": f.title, "date": _day(f.due_date)}
                for f in findings
            ]
        else:
            lines.append(_("No findings need your action."))
        return _("%(org)s completed its review") % {"org": rel.care_org.name}, "\n".join(lines)

    url = reverse("finding_list") if findings else reverse("assessment_detail", args=[a.pk])
    for user in _users(rel.supplier, roles=[Role.OWNER]):
        notify(user=user, organisation=rel.supplier, render=render, url=url, kind=COMPLETED)


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
                "person": _name(d.proposed_by),
                "what": _subject_of(d),
                "date": _day(d.expires_on),
                "why": d.motivation,
            },
        )

    url = reverse("decision_register") + f"#decision-{d.pk}"
    for user in _users(rel.care_org, roles=[Role.BOARD]):
        notify(user=user, organisation=rel.care_org, render=render, url=url, kind=PROPOSED)


def notify_decision_decided(event) -> None:
    """The proposer and the security officers hear the board's decision (not the decider)."""
    d = _decision(event)
    if d is None:
        return
    rel = d.relationship
    approved = d.status == "approved"

    def render():
        values = {"person": _name(d.decided_by), "what": _subject_of(d), "rel": rel.name}
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
    for user in _users(rel.care_org, roles=[Role.SECURITY], extra=[d.proposed_by]):
        if user.pk != d.decided_by_id:
            notify(user=user, organisation=rel.care_org, render=render, url=url, kind=DECIDED)


def _finding(event) -> Finding | None:
    return (
        Finding.objects.select_related("relationship__care_org", "relationship__supplier")
        .filter(pk=event["data"]["finding"])
        .first()
    )


def _tell_supplier_owners(f: Finding, render, kind: str) -> None:
    """The supplier's owners hear of one of its findings, linked to the finding's page."""
    rel = f.relationship
    url = reverse("finding_detail", args=[f.pk])
    for user in _users(rel.supplier, roles=[Role.OWNER]):
        notify(user=user, organisation=rel.supplier, render=render, url=url, kind=kind)


def notify_supplier_overdue(event) -> None:
    """The supplier owners hear that a finding on their answers passed its deadline."""
    f = _finding(event)
    if f is None:
        return
    rel = f.relationship

    def render():
        return (
            _("Finding past its deadline: %(title)s") % {"title": f.title},
            _(
                "The deadline that %(org)s set for “%(title)s” was %(date)s and the finding is "
                "still open. Send your remediation plan or report your progress."
            )
            % {"org": rel.care_org.name, "title": f.title, "date": _day(f.due_date)},
        )

    _tell_supplier_owners(f, render, OVERDUE)


def notify_plan_due(event) -> None:
    """The supplier owners are reminded that a finding still has no remediation plan."""
    f = _finding(event)
    if f is None or f.status != FindingStatus.OPEN:
        return
    rel = f.relationship

    def render():
        return (
            _("Remediation plan needed: %(title)s") % {"title": f.title},
            _(
                "%(org)s is waiting for your remediation plan for “%(title)s”; the deadline is "
                "%(date)s. Say what you will do and by when."
            )
            % {"org": rel.care_org.name, "title": f.title, "date": _day(f.due_date)},
        )

    _tell_supplier_owners(f, render, PLAN_DUE)
