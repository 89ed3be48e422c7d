"""The events the suppliers app emits (DESIGN §3); loaded by SuppliersConfig.ready()."""

from __future__ import annotations

from portal.core.events import define


def _relationship_data(*, relationship, actor, **_unused) -> dict:
    return {
        "relationship": relationship.pk,
        "care_organisation": relationship.care_org_id,
        "supplier": relationship.supplier_id,
        "actor": getattr(actor, "pk", None),
    }


_RELATIONSHIP_DATA = {
    "relationship": "id of the relationship",
    "care_organisation": "id of the care organisation",
    "supplier": "id of the supplier organisation",
    "actor": "id of the person who acted, or null",
}


def define_events() -> None:
    """Declare this app's events in the registry (idempotent)."""
    define(
        "relationship.created",
        summary="A care organisation registered a relationship with a supplier.",
        arguments={"relationship": "the Relationship", "actor": "who created it"},
        data=_RELATIONSHIP_DATA,
        build_data=_relationship_data,
    )
    define(
        "relationship.intake_changed",
        summary="A relationship's intake changed its risk profile (tier or residual risk): what "
        "depends on the intake follows.",
        arguments={"relationship": "the Relationship, saved", "actor": "who changed the intake"},
        data=_RELATIONSHIP_DATA,
        build_data=_relationship_data,
    )
