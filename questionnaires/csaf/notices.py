"""Who hears of a proposed advisory: the organisation's security officers, in their inbox."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Role
from portal.core.notifications.services import notice_kind, notify

from ..notices.common import users
from .models import Advisory

PROPOSED = notice_kind(
    "csaf.proposed",
    gettext_lazy("A security advisory seems to concern your suppliers"),
    side="care",
)


def notify_proposed(event) -> int:
    advisory = (
        Advisory.objects.select_related("care_org").filter(pk=event["data"]["advisory"]).first()
    )
    if advisory is None:
        return 0
    url = reverse("csaf_detail", args=[advisory.pk])
    count = advisory.matches.values("relationship").distinct().count()

    def render():
        values = {"id": advisory.tracking_id, "title": advisory.title, "n": count}
        return (
            _("Advisory %(id)s may concern your suppliers") % values,
            _(
                "The advisory %(id)s (%(title)s) names products or fourth parties of "
                "%(n)s of your relationships. Please confirm the matches before a rapid "
                "questionnaire is sent; nothing is sent without your confirmation."
            )
            % values,
        )

    people = users(advisory.care_org, roles=(Role.SECURITY,))
    for user in people:
        notify(user=user, organisation=advisory.care_org, render=render, url=url, kind=PROPOSED)
    return len(people)
