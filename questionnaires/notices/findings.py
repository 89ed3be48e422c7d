"""Hand-offs of a finding to the supplier: its remediation plan is due, its deadline passed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.accounts.models import Role
from portal.core.notifications.services import notify

from ..models import Finding, FindingStatus
from .common import OVERDUE, PLAN_DUE, day, users


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
    for user in users(rel.supplier, roles=[Role.OWNER]):
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
            % {"org": rel.care_org.name, "title": f.title, "date": day(f.due_date)},
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
            % {"org": rel.care_org.name, "title": f.title, "date": day(f.due_date)},
        )

    _tell_supplier_owners(f, render, PLAN_DUE)
