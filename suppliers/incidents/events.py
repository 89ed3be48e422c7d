"""The incident events (DESIGN §3 and §13); loaded by IncidentsConfig.ready()."""

from __future__ import annotations

from portal.core.events import define


def _incident_data(*, incident, actor=None, **_unused) -> dict:
    return {
        "incident": incident.pk,
        "supplier": incident.supplier_id,
        "stage": incident.stage,
        "products": sorted(p.pk for p in incident.products.all()),
        "detected_at": incident.detected_at.isoformat(),
        "care_organisations": sorted(incident.recipients.values_list("care_org_id", flat=True)),
        "actor": getattr(actor, "pk", None),
    }


def _recipient_data(*, recipient, actor=None, **_unused) -> dict:
    return {
        "incident": recipient.incident_id,
        "supplier": recipient.incident.supplier_id,
        "care_organisation": recipient.care_org_id,
        "acknowledged_at": recipient.acknowledged_at.isoformat()
        if recipient.acknowledged_at
        else None,
        "actor": getattr(actor, "pk", None),
    }


_INCIDENT = {
    "incident": "id of the incident",
    "supplier": "id of the supplier organisation",
    "stage": "early_warning, notification, final_report or closed",
    "products": "ids of the supplier's products it concerns",
    "detected_at": "when the supplier detected it (ISO 8601)",
    "care_organisations": "ids of the care organisations it was delivered to",
    "actor": "id of the person who acted, or null",
}


def define_events() -> None:
    define(
        "incident.reported",
        summary="A supplier reported an incident; every care organisation with a live "
        "relationship covering one of its products has its own copy.",
        arguments={"incident": "the Incident", "actor": "who reported it"},
        data=_INCIDENT,
        build_data=_incident_data,
    )
    define(
        "incident.updated",
        summary="The supplier added a stage or an update to an incident.",
        arguments={"incident": "the Incident", "actor": "who added it"},
        data=_INCIDENT,
        build_data=_incident_data,
    )
    define(
        "incident.acknowledged",
        summary="A care organisation acknowledged an incident notice.",
        arguments={"recipient": "the care organisation's copy", "actor": "who acknowledged"},
        data={
            "incident": "id of the incident",
            "supplier": "id of the supplier organisation",
            "care_organisation": "id of the care organisation",
            "acknowledged_at": "when (ISO 8601)",
            "actor": "id of the person who acted",
        },
        build_data=_recipient_data,
    )
