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
