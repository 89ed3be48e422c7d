"""Writes for incidents in the chain: report once, deliver to every affected customer, add
stages, acknowledge, assess the impact and tick the duties. Each writes an audit event and
emits its domain event; notifications follow from the events."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.events import emit
from portal.core.exceptions import Conflict
from portal.core.uploads import check_upload
from suppliers.models import Product, Relationship, RelationshipStatus
from suppliers.risk import relationship_mark_due

from .clock import DUTY_BY_KEY, duties_for
from .models import Affected, Duty, Incident, IncidentUpdate, Recipient, Stage, UpdateKind

LIVE = (RelationshipStatus.ACTIVE, RelationshipStatus.ENDING)
# Which stage an update moves the incident to (an "update" keeps the stage).
NEXT_STAGE = {
    UpdateKind.NOTIFICATION: Stage.NOTIFICATION,
    UpdateKind.FINAL_REPORT: Stage.FINAL_REPORT,
    UpdateKind.CLOSED: Stage.CLOSED,
}
STAGE_ORDER = [Stage.EARLY_WARNING, Stage.NOTIFICATION, Stage.FINAL_REPORT, Stage.CLOSED]


def _text(value, field: str, message, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": limit}})
    return text


def live_relationships_for(*, supplier, products) -> list[Relationship]:
    """Every live relationship (active or ending) of this supplier that covers one of the
    products: the care organisations an incident on them reaches."""
    return list(
        Relationship.objects.filter(
            supplier=supplier, status__in=LIVE, products__in=[p.pk for p in products]
        )
        .select_related("care_org")
        .distinct()
        .order_by("care_org_id", "pk")
    )


@transaction.atomic
def incident_report(
    *,
    supplier,
    actor,
    title: str,
    description: str,
    products,
    detected_at: datetime,
    health_data: bool = False,
    availability: bool = False,
    request=None,
) -> Incident:
    """Report once; every care organisation with a live relationship covering one of the
    products gets its own copy at once, with its duties and their clocks."""
    title = _text(title, "title", _("Give the incident a title."), 200)
    description = _text(description, "description", _("Say what happened."), 8000)
    chosen = list(Product.objects.filter(supplier=supplier, pk__in=[p.pk for p in products]))
    if not chosen or len(chosen) != len({p.pk for p in products}):
        raise ValidationError({"products": _("Choose one or more of your own products.")})
    if detected_at is None or timezone.is_naive(detected_at):
        raise ValidationError({"detected_at": _("Give the date and time of detection.")})
    now = timezone.now()
    if detected_at > now + timedelta(minutes=5):
        raise ValidationError({"detected_at": _("Detection cannot lie in the future.")})
    if detected_at < now - timedelta(days=366):
        raise ValidationError({"detected_at": _("Detection lies more than a year ago.")})
    incident = Incident.objects.create(
        supplier=supplier,
        title=title,
        description=description,
        detected_at=detected_at,
        health_data=bool(health_data),
        availability=bool(availability),
        reported_by=actor,
    )
    incident.products.set(chosen)
    by_org: dict[int, list[Relationship]] = {}
    for rel in live_relationships_for(supplier=supplier, products=chosen):
        by_org.setdefault(rel.care_org_id, []).append(rel)
    for rels in by_org.values():
        recipient = Recipient.objects.create(incident=incident, care_org=rels[0].care_org)
        recipient.relationships.set(rels)
        Duty.objects.bulk_create(
            Duty(
                recipient=recipient,
                key=d.key,
                due_at=recipient.delivered_at + timedelta(hours=d.hours),
            )
            for d in duties_for(
                health_data=incident.health_data, availability=incident.availability
            )
        )
    audit_record(
        action="incident.reported",
        organisation=supplier,
        actor=actor,
        obj=incident,
        after={
            "title": title,
            "products": [p.name for p in chosen],
            "detected_at": detected_at.isoformat(),
            "recipients": len(by_org),
        },
        request=request,
    )
    emit("incident.reported", incident=incident, actor=actor)
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, actor, kind: str, text: str, file=None, request=None):
    """Add a stage (notification, final report, closed) or an update; stages only move on."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if kind not in UpdateKind.values:
        raise ValidationError({"stage": _("Choose notification, final report, update or closed.")})
    if incident.stage == Stage.CLOSED:
        raise Conflict(_("This incident is closed."))
    text = _text(text, "text", _("Write the update."), 8000)
    target = NEXT_STAGE.get(kind)
    if target and STAGE_ORDER.index(target) < STAGE_ORDER.index(incident.stage):
        raise Conflict(_("The incident is already past that stage."))
    update = IncidentUpdate(incident=incident, kind=kind, text=text, author=actor)
    if file is not None:
        data = file.read()
        checked = check_upload(file.name, data)
        update.file.save("upload", ContentFile(data), save=False)
        update.file_name, update.content_type = checked.name, checked.content_type
    update.save()
    before = incident.stage
    if target:
        incident.stage = target
        if target == Stage.CLOSED:
            incident.closed_at = timezone.now()
        incident.save(update_fields=["stage", "closed_at"])
    audit_record(
        action="incident.updated",
        organisation=incident.supplier,
        actor=actor,
        obj=incident,
        before={"stage": before},
        after={"stage": incident.stage, "kind": kind, "text": text[:500]},
        request=request,
    )
    emit("incident.updated", incident=incident, actor=actor)
    return update


@transaction.atomic
def incident_acknowledge(*, recipient: Recipient, actor, request=None) -> Recipient:
    """The care organisation confirms it has the notice (once; later calls change nothing)."""
    recipient = (
        Recipient.objects.select_for_update().select_related("incident").get(pk=recipient.pk)
    )
    if recipient.acknowledged_at is not None:
        return recipient
    recipient.acknowledged_at, recipient.acknowledged_by = timezone.now(), actor
    recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(
        action="incident.acknowledged",
        organisation=recipient.care_org,
        actor=actor,
        obj=recipient.incident,
        after={"incident": recipient.incident_id},
        request=request,
    )
    emit("incident.acknowledged", recipient=recipient, actor=actor)
    return recipient


@transaction.atomic
def impact_assess(
    *,
    recipient: Recipient,
    actor,
    affected: str,
    patient_care_impact: str = "",
    notes: str = "",
    relationship_notes: dict | None = None,
    request=None,
) -> Recipient:
    """The security officer's own assessment of what the incident means here."""
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if affected not in Affected.values:
        raise ValidationError({"affected": _("Choose yes, no or unknown.")})
    for field, value, limit in (
        ("patient_care_impact", patient_care_impact, 4000),
        ("notes", notes, 8000),
    ):
        if not isinstance(value, str) or len(value) > limit:
            raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": limit}})
    own = {str(pk) for pk in recipient.relationships.values_list("pk", flat=True)}
    lines = {}
    for key, text in (relationship_notes or {}).items():
        if str(key) not in own or not isinstance(text, str) or len(text) > 2000:
            raise ValidationError(
                {"relationship_notes": _("One short note per affected relationship.")}
            )
        if text.strip():
            lines[str(key)] = text.strip()
    before = {"affected": recipient.affected}
    recipient.affected = affected
    recipient.patient_care_impact = patient_care_impact.strip()
    recipient.notes = notes.strip()
    recipient.relationship_notes = lines
    recipient.assessed_by, recipient.assessed_at = actor, timezone.now()
    if recipient.acknowledged_at is None:  # assessing it is acknowledging it
        recipient.acknowledged_at, recipient.acknowledged_by = recipient.assessed_at, actor
    recipient.save()
    audit_record(
        action="incident.impact_assessed",
        organisation=recipient.care_org,
        actor=actor,
        obj=recipient.incident,
        before=before,
        after={"affected": affected, "patient_care_impact": recipient.patient_care_impact[:500]},
        request=request,
    )
    return recipient


@transaction.atomic
def duty_set(*, duty: Duty, actor, done: bool, not_applicable: bool = False, request=None) -> Duty:
    """Tick (or untick) one of the care organisation's duties, with who and when."""
    duty = Duty.objects.select_for_update().select_related("recipient").get(pk=duty.pk)
    duty.not_applicable = bool(not_applicable)
    duty.done_at, duty.done_by = (timezone.now(), actor) if done else (None, None)
    duty.save(update_fields=["done_at", "done_by", "not_applicable"])
    audit_record(
        action="incident.duty",
        organisation=duty.recipient.care_org,
        actor=actor,
        obj=duty.recipient.incident,
        after={
            "duty": duty.key,
            "label": str(DUTY_BY_KEY[duty.key].label) if duty.key in DUTY_BY_KEY else duty.key,
            "done": bool(done),
            "not_applicable": duty.not_applicable,
        },
        request=request,
    )
    return duty


@transaction.atomic
def incident_mark_reassessment(*, recipient: Recipient, relationship, actor, request=None):
    """Mark an affected relationship due for an early reassessment because of the incident."""
    if not recipient.relationships.filter(pk=relationship.pk).exists():
        raise ValidationError({"relationship": _("Choose one of the affected relationships.")})
    return relationship_mark_due(
        relationship=relationship,
        reason=_("Incident: %(title)s") % {"title": recipient.incident.title},
        actor=actor,
    )
