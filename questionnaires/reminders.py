"""Daily reminders (DESIGN §5): due in 7 and in 2 days, overdue, escalation after 7 days overdue.

Every message has a key (assessment, kind) claimed in the SentMessage log before it is sent,
so a scheduler that fires twice, or a cron job next to Celery beat, never sends it twice.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Membership
from portal.core.notifications.services import notice_kind, notify, once

from .models import Assessment

REMINDER = notice_kind(
    "assessment.reminder", gettext_lazy("A questionnaire is due soon or overdue"), side="both"
)


def _kinds(days_left: int) -> list[str]:
    if days_left <= -7:
        return ["overdue", "escalation"]
    if days_left < 0:
        return ["overdue"]
    if days_left <= 2:
        return ["due2"]
    if days_left <= 7:
        return ["due7"]
    return []


def _message(kind: str, a: Assessment, days_left: int) -> tuple[str, str]:
    title, customer = a.template.title, a.relationship.care_org.name
    if kind == "due7":
        return (
            _("Reminder: questionnaire due in %(n)s days") % {"n": days_left},
            _("%(org)s asks you to complete “%(q)s” before %(d)s.")
            % {"org": customer, "q": title, "d": a.due_date},
        )
    if kind == "due2":
        return (
            _("Questionnaire due in %(n)s days") % {"n": days_left},
            _("“%(q)s” for %(org)s is due on %(d)s.")
            % {"q": title, "org": customer, "d": a.due_date},
        )
    if kind == "overdue":
        return (
            _("Questionnaire overdue"),
            _("“%(q)s” for %(org)s was due on %(d)s.")
            % {"q": title, "org": customer, "d": a.due_date},
        )
    return (
        _("Escalation: questionnaire more than 7 days overdue"),
        _("%(s)s has not completed “%(q)s” (due %(d)s). Consider contacting the supplier.")
        % {"s": a.relationship.supplier.name, "q": title, "d": a.due_date},
    )


def send_assessment_reminders(*, today: date) -> int:
    """Send what is due today and was not sent before; returns the number of messages sent."""
    sent = 0
    # A joint participant's copy is never the supplier's to answer: the lead's is (DESIGN §14).
    assessments = (
        Assessment.objects.open_for_supplier()
        .filter(joint_source=None)
        .select_related(
            "relationship__care_org", "relationship__supplier", "relationship__owner", "template"
        )
    )
    for a in assessments:
        days_left = (a.due_date - today).days
        url = reverse("assessment_detail", kwargs={"pk": a.pk})
        for kind in _kinds(days_left):
            with transaction.atomic():
                if not once(f"assessment:{a.pk}:{kind}"):
                    continue
                recipients = []
                if kind != "escalation":
                    recipients += [
                        (m.user, a.relationship.supplier)
                        for m in Membership.objects.active()
                        .filter(organisation=a.relationship.supplier)
                        .select_related("user")
                    ]
                if kind in ("overdue", "escalation") and a.relationship.owner_id:
                    recipients.append((a.relationship.owner, a.relationship.care_org))
                for user, org in recipients:
                    notify(
                        user=user,
                        organisation=org,
                        url=url,
                        render=lambda kind=kind, a=a, d=days_left: _message(kind, a, d),
                        kind=REMINDER,
                    )
                    sent += 1
    return sent
