"""Incidents behind a fourth party: a supplier's hosting provider fails, and every customer gets
its copy with the relationships the incident affects there."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from suppliers.incidents.models import Incident, IncidentUpdate, Recipient
from suppliers.models import SubProcessor

from .portfolio import BATCH

if TYPE_CHECKING:
    from .portfolio import BenchSeed

HOSPITAL_INCIDENTS = 3


def deliver_incidents(*, supplier, product, reporter, by_care, count, party) -> tuple[int, int]:
    """`count` incidents of `supplier` (the newest still open), each delivered to every care
    organisation in `by_care` ({care org id: [relationship ids]}); returns (incidents, copies)."""
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        Incident(
            supplier=supplier,
            title=f"Storing bij {party} ({k + 1})",
            description=f"Een storing bij {party}, onze hostingpartij (een vierde partij).",
            detected_at=now - timedelta(days=30 * k + 1),
            availability=True,
            health_data=k % 3 == 0,
            stage="closed" if k else "notification",
            closed_at=now - timedelta(days=30 * k) if k else None,
            reported_by=reporter,
        )
        for k in range(count)
    )
    Incident.products.through.objects.bulk_create(
        Incident.products.through(incident_id=i.pk, product_id=product.pk) for i in incidents
    )
    IncidentUpdate.objects.bulk_create(
        IncidentUpdate(incident=i, kind="update", text="De storing is verholpen.")
        for i in incidents
    )
    recipients = Recipient.objects.bulk_create(
        (Recipient(incident=i, care_org_id=c) for i in incidents for c in by_care),
        batch_size=BATCH,
    )
    Through = Recipient.relationships.through
    Through.objects.bulk_create(
        (
            Through(recipient_id=r.pk, relationship_id=pk)
            for r in recipients
            for pk in by_care[r.care_org_id]
        ),
        batch_size=BATCH,
    )
    return len(incidents), len(recipients)


def hospital_incidents(seed: BenchSeed) -> None:
    """The benchmark supplier's incidents, delivered to the benchmark hospital."""
    supplier = seed.supplier_orgs[0]
    product = seed.product_of[supplier.pk]
    rels = [r.pk for r in seed.rels if r.supplier_id == supplier.pk and r.status != "ended"]
    if not rels:
        return
    party = SubProcessor.objects.filter(product=product).order_by("pk").first()
    made, _copies = deliver_incidents(
        supplier=supplier,
        product=product,
        reporter=seed.supplier_user,
        by_care={seed.care.pk: rels},
        count=HOSPITAL_INCIDENTS,
        party=party.name if party else "hostingpartij",
    )
    seed.counts["incidents"] = made
