"""Who hears of an incident (after commit, on the mail queue): on the care side the security
officers and the owners of the affected relationships — the board too when a critical-tier
relationship is hit; on the supplier side its owners when a stage is due."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Membership, Role
from portal.core.events import subscribe
from portal.core.notifications.services import notice_kind, notify, once

from .models import Incident, Recipient, Stage
from .services import STAGE_ORDER

REPORTED = notice_kind(
    "incident.reported",
    gettext_lazy("A supplier reports an incident that affects you"),
    side="care",
)
UPDATED = notice_kind(
    "incident.updated", gettext_lazy("A supplier updates an incident"), side="care"
)
STAGE_DUE = notice_kind(
    "incident.stage_due",
    gettext_lazy("An incident report of yours is due (NIS2 clock)"),
    side="supplier",
)


def _people(organisation, roles, extra=()) -> list:
    wanted = {u.pk for u in extra if u is not None}
    seen, people = set(), []
    for m in (
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email")
    ):
        if (m.role in roles or m.user_id in wanted) and m.user_id not in seen:
            seen.add(m.user_id)
            people.append(m.user)
    return people


def _when(moment) -> str:
    return date_format(moment, "DATETIME_FORMAT")


def notify_care(event) -> None:
    """Each recipient organisation's security officers and relationship owners (and its board
    when a critical-tier relationship is involved) read what happened and what is asked."""
    incident = (
        Incident.objects.select_related("supplier").filter(pk=event["data"]["incident"]).first()
    )
    if incident is None:
        return
    reported = event["type"] == "incident.reported"
    latest = incident.updates.order_by("-created_at", "-pk").first()
    for recipient in Recipient.objects.filter(incident=incident).select_related("care_org"):
        rels = list(recipient.relationships.select_related("owner"))
        roles = [Role.SECURITY] + (
            [Role.BOARD] if any(r.inherent_tier == "critical" for r in rels) else []
        )
        names = ", ".join(r.name for r in rels)

        def render(rels=rels, names=names):
            if reported:
                lines = [
                    _("%(supplier)s reports an incident: “%(title)s” (detected %(when)s).")
                    % {
                        "supplier": incident.supplier.name,
                        "title": incident.title,
                        "when": _when(incident.detected_at),
                    },
                    _("It concerns your relationships: %(names)s.") % {"names": names},
                ]
                if incident.health_data:
                    lines.append(
                        _(
                            "Health data may be affected: check your duty to report a data breach "
                            "within 72 hours."
                        )
                    )
                if incident.availability:
                    lines.append(_("Availability is affected: check the effect on patient care."))
                lines += ["", incident.description[:1500]]
                return _("Incident at %(supplier)s: %(title)s") % {
                    "supplier": incident.supplier.name,
                    "title": incident.title,
                }, "\n".join(lines)
            body = latest.text[:1500] if latest else ""
            return (
                _("Update on the incident at %(supplier)s: %(title)s")
                % {"supplier": incident.supplier.name, "title": incident.title},
                _("Stage now: %(stage)s.") % {"stage": incident.get_stage_display()}
                + "\n\n"
                + body,
            )

        url = reverse("incident_detail", args=[incident.pk])
        for user in _people(recipient.care_org, roles, extra=[r.owner for r in rels]):
            notify(
                user=user,
                organisation=recipient.care_org,
                render=render,
                url=url,
                kind=REPORTED if reported else UPDATED,
            )


def register() -> None:
    subscribe("incident.reported", label="incidents.notify_care", after_commit=True, queue="mail")(
        notify_care
    )
    subscribe("incident.updated", label="incidents.notify_care", after_commit=True, queue="mail")(
        notify_care
    )
    subscribe("daily", label="incident_stage_reminders")(stage_reminders)


def stage_reminders(*, today) -> int:
    """Remind the supplier's owners before each NIS2 deadline of an open incident that has not
    reached that stage yet (once per incident and stage, however often the daily run runs)."""

    now = timezone.now()
    sent = 0
    for incident in Incident.objects.exclude(stage=Stage.CLOSED).select_related("supplier"):
        for stage, deadline in incident.deadlines.items():
            if STAGE_ORDER.index(Stage(stage)) <= STAGE_ORDER.index(Stage(incident.stage)):
                continue  # already reached
            lead = timedelta(hours=12) if stage != "final_report" else timedelta(days=3)
            if not (deadline - lead <= now <= deadline + timedelta(days=1)):
                continue
            if not once(f"incident:{incident.pk}:{stage}"):
                continue

            def render(incident=incident, stage=stage, deadline=deadline):
                label = Stage(stage).label
                return (
                    _("Due: %(stage)s for “%(title)s”") % {"stage": label, "title": incident.title},
                    _(
                        "Under NIS2 art. 23 the %(stage)s is due by %(when)s. Add it on the "
                        "incident page; your customers see it at once."
                    )
                    % {"stage": str(label).lower(), "when": _when(deadline)},
                )

            for user in _people(incident.supplier, [Role.OWNER], extra=[incident.reported_by]):
                notify(
                    user=user,
                    organisation=incident.supplier,
                    render=render,
                    url=reverse("incident_detail", args=[incident.pk]),
                    kind=STAGE_DUE,
                )
                sent += 1
    return sent
