"""Who hears of a rapid questionnaire: the supplier once more after 24 hours without an
answer; the care organisation's security officers and board when every supplier answered."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Role
from portal.core.notifications.services import notice_kind, notify

from ..models import RapidAssessment
from ..notices.common import day, users

REMINDER = notice_kind(
    "rapid_assessment.reminder",
    gettext_lazy("A customer still awaits your answer to an incident questionnaire"),
    side="supplier",
)
COMPLETED = notice_kind(
    "rapid_assessment.completed",
    gettext_lazy("Every supplier answered a rapid questionnaire"),
    side="care",
)


def notify_rapid_reminder(*, assessment) -> int:
    rel = assessment.relationship
    url = reverse("assessment_detail", args=[assessment.pk])

    def render():
        values = {"org": rel.care_org.name, "date": day(assessment.due_date)}
        return (
            _("Reminder: %(org)s awaits your answer about an incident") % values,
            _(
                "%(org)s asked you a day ago whether an incident in the chain affects the "
                "service you deliver. Please answer the short questionnaire before %(date)s."
            )
            % values,
        )

    people = users(rel.supplier)
    for user in people:
        notify(user=user, organisation=rel.supplier, render=render, url=url, kind=REMINDER)
    return len(people)


def notify_rapid_completed(event) -> None:
    rapid = (
        RapidAssessment.objects.select_related("care_org").filter(pk=event["data"]["rapid"]).first()
    )
    if rapid is None:
        return
    url = reverse("rapid_detail", args=[rapid.pk])

    def render():
        return (
            _("Every supplier answered: %(about)s") % {"about": rapid.label},
            _("The rapid questionnaire about %(about)s is complete; see the board summary.")
            % {"about": rapid.label},
        )

    for user in users(rapid.care_org, roles=(Role.SECURITY, Role.BOARD)):
        notify(user=user, organisation=rapid.care_org, render=render, url=url, kind=COMPLETED)
