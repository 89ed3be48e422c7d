"""Reads for suppliers and relationships, scoped with `visible_to`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import F, Q, QuerySet

from portal.core import rules
from portal.core.tenancy import visible_to

from .models import (
    CERTIFICATE_KINDS,
    Product,
    Relationship,
    RiskHistory,
    SubProcessor,
    SupplierLink,
)


def supplier_links_for(*, membership) -> QuerySet[SupplierLink]:
    return (
        visible_to(SupplierLink, membership).select_related("supplier").order_by("supplier__name")
    )


def relationships_for(*, membership) -> QuerySet[Relationship]:
    return visible_to(Relationship, membership).select_related("supplier", "owner").order_by("name")


def products_for(*, membership, supplier=None) -> QuerySet[Product]:
    qs = visible_to(Product, membership).distinct()
    return qs.filter(supplier=supplier) if supplier is not None else qs


def relationship_facts(
    relationship: Relationship, answers: Mapping[str, Any] | None = None
) -> dict:
    """The facts every rule is decided on (DESIGN §8): questions' show_if, clause triggers,
    exit-note triggers. `answers` maps question codes to values (the caller's assessment).

    Every fact in `rules.BASE_FACTS` is here, so whatever a rule may name is known when it is
    evaluated (tests/questionnaires/test_facts.py holds this to the validators).
    """
    intake = relationship.intake
    facts: dict[str, Any] = {f"intake.{k}": v for k, v in intake.items()}
    facts.update(
        {
            "intake.score": sum(intake.values()),
            "supplier.types": list(relationship.supplier_types),
            "relationship.tier": relationship.inherent_tier,
            "relationship.residual_risk": relationship.residual_risk,
            "relationship.status": relationship.status,
            "relationship.control_band": relationship.control_band or None,
        }
    )
    facts.update({rules.answer_fact(code): value for code, value in (answers or {}).items()})
    return facts


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


def fourth_party_portfolio(*, membership, relationships=None, with_relationships=True) -> dict:
    """The fourth parties behind the care organisation's relationships (DESIGN §10a).

    `concentration`: parties (matched on name, case-insensitive) behind two or more suppliers;
    `outside_eu`: each use of a party located, or with a parent company, outside the EEA.
    Without `with_relationships` the parties' relationships stay ids (enough to count them).
    """

    base = relationships if relationships is not None else relationships_for(membership=membership)
    # Read the product ↔ relationship pairs, not the relationships: a portfolio has thousands,
    # and only the few behind a shared or non-EEA party are shown (loaded at the end).
    live = base.exclude(status="ended").order_by().values("pk")
    product_rels: dict[int, list[int]] = {}
    for product_id, rel_id in (
        Relationship.products.through.objects.filter(relationship_id__in=live)
        .order_by("relationship_id")
        .values_list("product_id", "relationship_id")
    ):
        product_rels.setdefault(product_id, []).append(rel_id)
    subs = (
        SubProcessor.objects.filter(product_id__in=list(product_rels))
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
        for rel_id in product_rels[sub.product_id]:
            party["relationships"][rel_id] = None
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
    if not with_relationships:
        return {"concentration": concentration, "outside_eu": outside, "parties": len(parties)}
    shown = {pk for p in concentration for pk in p["relationships"]}
    shown.update(pk for o in outside for pk in o["relationships"])
    by_pk = Relationship.objects.only("pk", "name", "inherent_tier").in_bulk(shown)

    def named(pks) -> list[Relationship]:
        return sorted((by_pk[pk] for pk in pks), key=lambda r: (r.name, r.pk))

    for p in concentration:
        p["suppliers"] = sorted(p["suppliers"].values(), key=lambda s: s.name)
        p["relationships"] = named(p["relationships"])
    for o in outside:
        o["relationships"] = named(o["relationships"])
    outside.sort(key=lambda o: (o["sub"].name.casefold(), o["sub"].product.name))
    return {"concentration": concentration, "outside_eu": outside, "parties": len(parties)}


def expired_certificates(supplier, *, today) -> QuerySet:
    """Certificates and reports the supplier offers whose validity has ended."""
    return supplier.documents.filter(
        offered=True, kind__in=CERTIFICATE_KINDS, valid_until__lt=today
    )
