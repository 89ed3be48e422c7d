"""Exit tests (DOMAIN §8c): recording one, and the yearly reminder for critical suppliers."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.notifications.services import notify, once
from suppliers.models import Relationship
from suppliers.risk import add_months

from ..models import ExitTest, ExitTestKind, ExitTestOutcome
from .texts import clean_text


@transaction.atomic
def exit_test_record(
    *,
    relationship,
    actor,
    tested_on: date | None,
    kind: str,
    participants: str,
    outcome: str,
    notes: str = "",
    actions: str = "",
    request=None,
) -> ExitTest:

    errors = {}
    if tested_on is None or tested_on > timezone.localdate():
        errors["tested_on"] = _("Give the date of the test (not in the future).")
    if kind not in ExitTestKind.values:
        errors["kind"] = _("Choose the kind of test.")
    if outcome not in ExitTestOutcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if not (participants or "").strip():
        errors["participants"] = _("Say who took part.")
    if errors:
        raise ValidationError(errors)
    test = ExitTest.objects.create(
        relationship=relationship,
        tested_on=tested_on,
        kind=kind,
        participants=clean_text(participants)[:500],
        outcome=outcome,
        notes=clean_text(notes)[:4000],
        actions=clean_text(actions)[:4000],
        recorded_by=actor,
    )
    audit_record(
        action="exit_test.recorded",
        organisation=relationship.care_org,
        actor=actor,
        obj=relationship,
        after={"date": tested_on.isoformat(), "kind": kind, "outcome": outcome},
        request=request,
    )
    return test


def exit_test_reminders(*, today: date) -> int:
    """Critical relationships are tested yearly: their owner hears when a test is due (a year
    after the last one, or now when there was none), once per due date."""

    sent = 0
    for rel in (
        Relationship.objects.filter(
            inherent_tier="critical", owner__isnull=False, owner__is_active=True
        )
        .exclude(status="ended")
        .select_related("owner", "care_org")
    ):
        last = ExitTest.objects.filter(relationship=rel).order_by("-tested_on").first()
        due = add_months(last.tested_on, 12) if last else today
        if due > today or not once(f"exit-test:{rel.pk}:{due.isoformat()}"):
            continue

        def render(rel=rel, last=last):
            return (
                _("Exit test due for %(name)s") % {"name": rel.name},
                (
                    _(
                        "The last exit test of %(name)s was on %(date)s. Critical suppliers are "
                        "tested every year: plan a tabletop or export test."
                    )
                    % {"name": rel.name, "date": last.tested_on.isoformat()}
                    if last
                    else _(
                        "%(name)s is critical and its exit has never been tested. Plan a "
                        "tabletop or export test."
                    )
                    % {"name": rel.name}
                ),
            )

        notify(
            user=rel.owner,
            organisation=rel.care_org,
            render=render,
            url=reverse("exit_note", args=[rel.pk]),
            kind="exit_test.due",
        )
        sent += 1
    return sent
