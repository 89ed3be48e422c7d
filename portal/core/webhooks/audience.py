"""Who may receive which event: one table, default deny (DESIGN §15).

Each domain event names the parties whose endpoints may receive it. The care organisation in
an event's `data` (`care_organisation`) is the care side; the supplier organisation
(`supplier`) the supplier side. An event missing here goes to nobody, and a test fails until it
has a row, so a new event cannot leak by default.

The supplier side receives only the keys in SUPPLIER_KEYS: the care organisation's id (its
customer) and the assessment's or finding's own ids, states and deadlines — never the
relationship (the care side's internal record with intake and risk), never who acted at the
care organisation, and never scores: event data holds none to begin with.
"""

from __future__ import annotations

from typing import Any

CARE = "care"
SUPPLIER = "supplier"

AUDIENCE: dict[str, frozenset[str]] = {
    "assessment.sent": frozenset({CARE, SUPPLIER}),
    "assessment.submitted": frozenset({CARE, SUPPLIER}),
    "assessment.clarification_requested": frozenset({CARE, SUPPLIER}),
    "assessment.completed": frozenset({CARE, SUPPLIER}),
    "assessment.cancelled": frozenset({CARE, SUPPLIER}),
    "finding.raised": frozenset({CARE, SUPPLIER}),
    "finding.plan_submitted": frozenset({CARE, SUPPLIER}),
    "finding.plan_due": frozenset({CARE, SUPPLIER}),
    "finding.overdue": frozenset({CARE, SUPPLIER}),
    "finding.closed": frozenset({CARE, SUPPLIER}),
    "decision.proposed": frozenset({CARE}),
    "decision.decided": frozenset({CARE}),
    "decision.expired": frozenset({CARE}),
    "incident.reported": frozenset({CARE, SUPPLIER}),
    "incident.updated": frozenset({CARE, SUPPLIER}),
    "incident.acknowledged": frozenset({CARE, SUPPLIER}),
    "rapid_assessment.completed": frozenset({CARE}),
    "advisory.proposed": frozenset({CARE}),
    "relationship.created": frozenset({CARE}),
    "relationship.intake_changed": frozenset({CARE}),
    # Each care organisation with access gets its own copy; never the supplier's other readers.
    "trust_profile.changed": frozenset({CARE}),
    # The invited organisation hears of its invitation; the lead of each answer.
    "joint_assessment.invited": frozenset({CARE}),
    "joint_assessment.responded": frozenset({CARE}),
    # The daily run belongs to no organisation: nobody subscribes to it.
    "daily": frozenset(),
}

# What a supplier endpoint may read of an event's data; everything else is dropped.
SUPPLIER_KEYS = frozenset(
    {
        "assessment",
        "status",
        "care_organisation",
        "supplier",
        "finding",
        "question",
        "due_date",
        # incidents: the supplier's own report and who received and acknowledged it
        "incident",
        "stage",
        "products",
        "detected_at",
        "care_organisations",
        "acknowledged_at",
    }
)

# The party field in `data` that names each side's organisation. An incident reaches several
# care organisations (`care_organisations`): each receives its own copy naming only itself.
PARTY_FIELD = {CARE: "care_organisation", SUPPLIER: "supplier"}
CARE_LIST = "care_organisations"


def parties(event_type: str) -> frozenset[str]:
    return AUDIENCE.get(event_type, frozenset())


def subscribable(side: str) -> list[str]:
    """Event names an endpoint of an organisation of kind `side` may subscribe to."""
    return sorted(name for name, who in AUDIENCE.items() if side in who)


def recipients(event_type: str, data: dict[str, Any]) -> list[tuple[str, int]]:
    """(side, organisation id) for every party that may receive this event."""
    found = []
    for side in sorted(parties(event_type)):
        ids = [data.get(PARTY_FIELD[side])]
        if side == CARE and CARE_LIST in data:
            ids = list(data[CARE_LIST] or [])
        found += [(side, org_id) for org_id in ids if isinstance(org_id, int)]
    return found


def data_for(side: str, data: dict[str, Any], organisation_id: int) -> dict[str, Any]:
    """The event data as the receiving organisation may see it."""
    if side == SUPPLIER:
        return {k: v for k, v in data.items() if k in SUPPLIER_KEYS}
    if CARE_LIST in data:  # never the supplier's other customers
        data = {k: v for k, v in data.items() if k != CARE_LIST}
        data["care_organisation"] = organisation_id
    return dict(data)
