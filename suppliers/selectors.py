"""Reads for suppliers and relationships, scoped with `visible_to`."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.core.tenancy import visible_to

from .models import Product, Relationship, SupplierLink


def supplier_links_for(*, membership) -> QuerySet[SupplierLink]:
    return (
        visible_to(SupplierLink, membership).select_related("supplier").order_by("supplier__name")
    )


def relationships_for(*, membership) -> QuerySet[Relationship]:
    return visible_to(Relationship, membership).select_related("supplier", "owner").order_by("name")


def products_for(*, membership, supplier=None) -> QuerySet[Product]:
    qs = visible_to(Product, membership).distinct()
    return qs.filter(supplier=supplier) if supplier is not None else qs


def risk_summary(relationship: Relationship) -> dict:
    """The risk endpoint's body (API.md), from the cached result on the relationship."""
    expl = relationship.risk_explanation or {}
    return {
        "inherent_score": relationship.inherent_score,
        "inherent_tier": relationship.inherent_tier,
        "tier_reasons": expl.get("tier_reasons", []),
        "control_score": float(relationship.control_score)
        if relationship.control_score is not None
        else None,
        "control_band": relationship.control_band or None,
        "section_scores": expl.get("section_scores", {}),
        "knockouts": expl.get("knockouts", []),
        "residual_risk": relationship.residual_risk,
        "assessed": relationship.assessed,
        "explanation": expl.get("explanation", []),
    }


def risk_history(relationship: Relationship) -> list[dict]:
    """The relationship's risk over time, oldest first (for the API and the PDF)."""
    from .models import RiskHistory

    return [
        {
            "recorded_at": h.recorded_at.isoformat(),
            "cause": h.cause,
            "inherent_score": h.inherent_score,
            "inherent_tier": h.inherent_tier,
            "control_score": float(h.control_score) if h.control_score is not None else None,
            "control_band": h.control_band or None,
            "residual_risk": h.residual_risk,
            "assessment": h.assessment_id,
        }
        for h in RiskHistory.objects.filter(relationship=relationship).order_by("recorded_at", "pk")
    ]


# EU member states plus the other EEA states (Iceland, Liechtenstein, Norway): GDPR applies
# without a chapter V transfer. Anything else is "outside the EU" for the portfolio view.
EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
    + ["IS", "LI", "NO"]
)


def reassessments_due_queryset(*, membership, today, within_days: int = 90) -> QuerySet:
    """Relationships whose next assessment falls due within `within_days` (or is overdue),
    and live relationships that were never assessed: never assessed first, then earliest."""
    from datetime import timedelta

    from django.db.models import F, Q

    horizon = today + timedelta(days=within_days)
    return (
        relationships_for(membership=membership)
        .exclude(status="ended")
        .filter(
            Q(next_assessment_due__lte=horizon)
            | Q(next_assessment_due__isnull=True, assessed=False)
        )
        .order_by(F("next_assessment_due").asc(nulls_first=True), "name", "pk")
    )


def reassessments_due(
    *, membership, today, within_days: int = 90, limit: int | None = None
) -> list[Relationship]:
    """`reassessments_due_queryset` (the first `limit`), each marked `overdue` or not."""
    rels = reassessments_due_queryset(membership=membership, today=today, within_days=within_days)
    rels = list(rels[:limit] if limit is not None else rels)
    for rel in rels:
        rel.overdue = rel.next_assessment_due is not None and rel.next_assessment_due < today
    return rels


def fourth_party_portfolio(*, membership, relationships=None) -> dict:
    """The fourth parties behind the care organisation's relationships (DESIGN §10a).

    `concentration`: parties (matched on name, case-insensitive) behind two or more suppliers;
    `outside_eu`: each use of a party located, or with a parent company, outside the EEA.
    """
    from .models import SubProcessor

    base = relationships if relationships is not None else relationships_for(membership=membership)
    rels = base.exclude(status="ended").prefetch_related("products")
    product_rels: dict[int, list[Relationship]] = {}
    for rel in rels:
        for product in rel.products.all():
            product_rels.setdefault(product.pk, []).append(rel)
    subs = (
        SubProcessor.objects.filter(product__in=product_rels)
        .order_by("pk")
        .select_related("product__supplier")
    )
    parties: dict[str, dict] = {}
    outside = []
    for sub in subs:
        party = parties.setdefault(
            sub.name.strip().casefold(),
            {"name": sub.name.strip(), "suppliers": {}, "relationships": {}, "uses": []},
        )
        party["suppliers"][sub.product.supplier_id] = sub.product.supplier
        for rel in product_rels[sub.product_id]:
            party["relationships"][rel.pk] = rel
        party["uses"].append(sub)
        foreign = [c for c in (sub.country, sub.parent_country) if c and c not in EEA]
        if foreign:
            outside.append(
                {"sub": sub, "relationships": product_rels[sub.product_id], "countries": foreign}
            )
    concentration = sorted(
        (p for p in parties.values() if len(p["suppliers"]) >= 2),
        key=lambda p: (-len(p["suppliers"]), p["name"].casefold()),
    )
    for p in concentration:
        p["suppliers"] = sorted(p["suppliers"].values(), key=lambda s: s.name)
        p["relationships"] = sorted(p["relationships"].values(), key=lambda r: r.name)
    outside.sort(key=lambda o: (o["sub"].name.casefold(), o["sub"].product.name))
    return {"concentration": concentration, "outside_eu": outside, "parties": len(parties)}
