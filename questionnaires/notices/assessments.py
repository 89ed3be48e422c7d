"""Hand-offs of an assessment: sent → the supplier, submitted → the reviewers, clarification
requested → the supplier's assignees and owners, completed → the supplier's owners."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.accounts.models import Invitation, Role
from portal.core.accounts.services import invitation_create
from portal.core.notifications.services import notify

from ..assignments import assignee_for, assignments_of
from ..models import Finding, FindingStatus, Verdict
from .common import CLARIFY, COMPLETED, SENT, SUBMITTED, actor_of, assessment_of, day, name, users


def notify_sent(event) -> None:
    """The supplier's people hear who sent which questionnaire and by when it is due; a supplier
    still being invited gets its invitation again, now naming the questionnaire and landing
    straight in it (the earlier link stops working)."""

    a = assessment_of(event)
    if a is None:
        return
    rel, actor = a.relationship, actor_of(event)
    url = reverse("assessment_detail", args=[a.pk])

    def render():
        values = {
            "person": name(actor),
            "org": rel.care_org.name,
            "q": a.template.title,
            "date": day(a.due_date),
        }
        return (
            _("New questionnaire from %(org)s") % values,
            _("%(person)s of %(org)s asks you to complete “%(q)s” before %(date)s.") % values,
        )

    people = users(rel.supplier)
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
    a = assessment_of(event)
    if a is None:
        return
    rel, actor = a.relationship, actor_of(event)
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
                "person": name(actor),
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
    for user in users(rel.care_org, roles=[Role.SECURITY], extra=[rel.owner]):
        notify(user=user, organisation=rel.care_org, render=render, url=url, kind=SUBMITTED)


def notify_clarification(event) -> None:
    """The supplier people assigned to the reopened questions, and the owners, read which
    questions were sent back and the care organisation's messages."""
    a = assessment_of(event)
    if a is None:
        return
    rel, actor = a.relationship, actor_of(event)
    reopened = list(
        a.answers.filter(verdict=Verdict.CLARIFICATION)
        .select_related("question__section")
        .order_by("question__section__order", "question__order")
    )
    # A joint participant's questions reach the supplier on the lead's assessment (DESIGN §14).
    answered = a.joint_source if a.joint_source_id else a
    by_section, by_question = assignments_of(answered)
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
                "person": name(actor),
                "org": rel.care_org.name,
                "n": len(reopened),
                "q": a.template.title,
                "date": day(a.due_date),
            }
        ]
        for x in reopened:
            lines.append(f"- {x.question.code} {x.question.text}")
            if x.verdict_message:
                lines.append(f"  “{x.verdict_message}”")
        return _("%(org)s asks you to clarify answers") % {"org": rel.care_org.name}, "\n".join(
            lines
        )

    url = reverse("assessment_detail", args=[answered.pk])
    for user in users(rel.supplier, roles=[Role.OWNER], extra=assignees):
        notify(user=user, organisation=rel.supplier, render=render, url=url, kind=CLARIFY)


def notify_completed(event) -> None:
    """The supplier owners hear that the review is done and which findings are theirs to
    answer (titles and deadlines only: no scores, weights or notes)."""
    a = assessment_of(event)
    if a is None:
        return
    rel, actor = a.relationship, actor_of(event)
    findings = list(
        Finding.objects.filter(assessment=a, status=FindingStatus.OPEN).order_by("due_date", "pk")
    )

    def render():
        lines = [
            _("%(person)s of %(org)s completed the review of your answers to “%(q)s”.")
            % {"person": name(actor), "org": rel.care_org.name, "q": a.template.title}
        ]
        if findings:
            lines.append("")
            lines.append(
                _("Findings for you to answer with a remediation plan (%(n)s):")
                % {"n": len(findings)}
            )
            lines += [
                _("- %(title)s (deadline %(date)s)") % {"title": f.title, "date": day(f.due_date)}
                for f in findings
            ]
        else:
            lines.append(_("No findings need your action."))
        return _("%(org)s completed its review") % {"org": rel.care_org.name}, "\n".join(lines)

    answered = a.joint_source_id or a.pk  # the supplier answered the lead's (DESIGN §14)
    url = reverse("finding_list") if findings else reverse("assessment_detail", args=[answered])
    for user in users(rel.supplier, roles=[Role.OWNER]):
        notify(user=user, organisation=rel.supplier, render=render, url=url, kind=COMPLETED)
