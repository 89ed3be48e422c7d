"""Reads for incidents: each side sees its own; a care organisation only its own copy."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.models import AuditEvent
from portal.core.tenancy import visible_to
from suppliers.models import Relationship

from .clock import DUTY_BY_KEY, suggested_impact
from .models import Incident, Recipient, Stage


def incidents_for(*, membership) -> QuerySet[Incident]:
    return (
        visible_to(Incident, membership)
        .select_related("supplier")
        .prefetch_related("products")
        .distinct()
    )


def open_incidents_for(*, membership) -> QuerySet[Incident]:
    return incidents_for(membership=membership).exclude(stage=Stage.CLOSED)


def copy_of(*, membership, incident) -> Recipient | None:
    """The care organisation's own copy (None for the supplier side)."""
    if membership.organisation.kind != "care":
        return None
    return (
        Recipient.objects.filter(incident=incident, care_org=membership.organisation_id)
        .prefetch_related(
            Prefetch("relationships", queryset=Relationship.objects.order_by("name")),
            "duties__done_by",
        )
        .select_related("acknowledged_by", "assessed_by")
        .first()
    )


def acknowledgements(*, incident) -> list[Recipient]:
    """For the supplier: which customers have the notice and who acknowledged when (nothing of
    their own assessment)."""
    return list(
        Recipient.objects.filter(incident=incident)
        .select_related("care_org")
        .only("care_org__name", "delivered_at", "acknowledged_at", "incident_id")
        .order_by("care_org__name")
    )


def deadlines_view(incident) -> list[dict]:
    """The NIS2 stages with their deadline and whether each is done, due or overdue."""
    now = timezone.now()
    order = [Stage.EARLY_WARNING, Stage.NOTIFICATION, Stage.FINAL_REPORT]
    reached = (
        len(order) if incident.stage == Stage.CLOSED else order.index(Stage(incident.stage)) + 1
    )
    rows = []
    for i, (stage, deadline) in enumerate(incident.deadlines.items()):
        done = i < reached
        rows.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "deadline": deadline,
                "state": "done" if done else ("overdue" if deadline < now else "due"),
            }
        )
    return rows


def impact_context(recipient: Recipient, incident: Incident) -> dict:
    """The care side's view: affected relationships with their tier and intake facts, the
    suggested impact, the duties with their clocks."""
    rels = list(recipient.relationships.all())
    now = timezone.now()
    duties = []
    for duty in recipient.duties.all():
        kind = DUTY_BY_KEY.get(duty.key)
        state = (
            "done"
            if duty.done_at
            else "n/a"
            if duty.not_applicable
            else ("overdue" if duty.due_at < now else "open")
        )
        duties.append({"duty": duty, "kind": kind, "state": state})
    return {
        "relationships": rels,
        "suggested": suggested_impact(
            tiers=[r.inherent_tier for r in rels],
            health_data=incident.health_data,
            availability=incident.availability,
            continuity=max((r.intake_continuity for r in rels), default=0),
        ),
        "duties": duties,
        "notes_by_rel": [(r, recipient.relationship_notes.get(str(r.pk), "")) for r in rels],
    }


def timeline(*, incident: Incident, recipient: Recipient | None) -> list[dict]:
    """Everything that happened, oldest first: the supplier's stages and updates, and — for a
    care organisation — its own acknowledgement, assessment and duties."""
    items = [
        {"at": incident.detected_at, "who": incident.supplier.name, "text": _("Detected")},
        {
            "at": incident.reported_at,
            "who": incident.supplier.name,
            "text": _("Reported: %(title)s") % {"title": incident.title},
        },
    ]
    for update in incident.updates.select_related("author"):
        items.append(
            {
                "at": update.created_at,
                "who": incident.supplier.name,
                "text": f"{update.get_kind_display()}: {update.text}",
                "update": update,
            }
        )
    if recipient is not None:
        own = AuditEvent.objects.filter(
            organisation=recipient.care_org_id,
            object_type="incidents.incident",
            object_id=str(incident.pk),
        ).order_by("at", "pk")
        labels = {
            "incident.acknowledged": _("Acknowledged"),
            "incident.impact_assessed": _("Impact assessed"),
            "incident.duty": _("Duty updated"),
        }
        for event in own:
            text = str(labels.get(event.action, event.action))
            if event.action == "incident.duty" and event.after:
                text = f"{text}: {event.after.get('label', '')}"
            items.append({"at": event.at, "who": event.actor_label, "text": text})
    return sorted(items, key=lambda item: item["at"])
