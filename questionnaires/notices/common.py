"""What every hand-off shares: the kinds of notice a person can choose delivery for, and how
the people, the acting person and the objects of an event are found."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Membership
from portal.core.notifications.services import notice_kind

from ..models import Assessment

SENT = notice_kind(
    "assessment.sent", gettext_lazy("A customer sent you a questionnaire"), side="supplier"
)
PLAN_PROGRESS = notice_kind(
    "finding.progress_reported",
    gettext_lazy("A supplier reported progress on a finding"),
    side="care",
)
PLAN_SUBMITTED = notice_kind(
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


def name(user) -> str:
    if user is None:
        return _("Ketenwacht")
    return user.get_full_name() or user.email


def day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def users(organisation, *, roles=None, extra=()) -> list:
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


def assessment_of(event) -> Assessment | None:
    return (
        Assessment.objects.select_related(
            "relationship__care_org", "relationship__supplier", "relationship__owner", "template"
        )
        .filter(pk=event["data"]["assessment"])
        .first()
    )


def actor_of(event):

    actor_id = event["data"].get("actor")
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
