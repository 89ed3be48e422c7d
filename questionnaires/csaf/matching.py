"""Match the products and vendors an advisory names to one care organisation's live
relationships: through the relationship's products (product name and the supplier as
vendor) and through the fourth parties declared on those products. Names are compared
normalised (case, accents, punctuation and legal forms such as B.V., Inc. or GmbH do not
count). Three queries however many relationships there are."""

from __future__ import annotations

from dataclasses import dataclass

from suppliers import reach
from suppliers.models import Relationship, SubProcessor

from .models import MatchReason

norm = reach.normalise_name


@dataclass(frozen=True)
class Match:
    relationship_id: int
    product_id: int | None
    fourth_party: str
    reason: str
    named: str


def _same_party(a: str, b: str) -> bool:
    """Equal, or one is the other with words added ("acme" and "acme software")."""
    return bool(a and b) and (a == b or a.startswith(b + " ") or b.startswith(a + " "))


def _names_product(vendor: str, name: str, product: str, supplier: str) -> bool:
    if not product or not name:
        return False
    named = name == product or name.startswith(product + " ")
    named = named or (vendor and f"{vendor} {name}" == product)
    if not named:
        return False
    return not vendor or _same_party(vendor, supplier) or f"{vendor} {name}" == product


def _names_party(vendor: str, name: str, party: str) -> bool:
    if not party:
        return False
    joined = {vendor, name, f"{vendor} {name}".strip(), f"{name} {vendor}".strip()}
    if party in joined:
        return True
    return any(text.startswith(party + " ") for text in (name, f"{vendor} {name}".strip()))


def _label(item: dict) -> str:
    parts = [item.get("vendor", ""), item.get("name", ""), item.get("version", "")]
    return " ".join(p for p in parts if p)[:500]


def match_products(*, care_org, products: list[dict]) -> list[Match]:
    """What the advisory's products (dicts with vendor, name, version) reach among the
    organisation's live relationships; each (relationship, product, fourth party) once."""
    wanted = [
        (norm(p.get("vendor", "")), norm(p.get("name", "")), _label(p))
        for p in products
        if isinstance(p, dict)
    ]
    wanted = [w for w in wanted if w[0] or w[1]]
    if not wanted:
        return []
    live = reach.live_relationships(care_org).order_by().values("pk")
    links = list(
        Relationship.products.through.objects.filter(relationship_id__in=live)
        .order_by()
        .values_list(
            "relationship_id", "product_id", "product__name", "relationship__supplier__name"
        )
    )
    parties: dict[int, list[str]] = {}
    for product_id, name in (
        SubProcessor.objects.filter(product_id__in={pid for _r, pid, _n, _s in links})
        .order_by("name")
        .values_list("product_id", "name")
    ):
        parties.setdefault(product_id, []).append(name)
    found: dict[tuple, Match] = {}

    def add(rel_id, product_id, party, reason, named) -> None:
        found.setdefault(
            (rel_id, product_id, party), Match(rel_id, product_id, party, reason, named)
        )

    for rel_id, product_id, product_name, supplier_name in links:
        product, supplier = norm(product_name), norm(supplier_name)
        for vendor, name, label in wanted:
            if _names_product(vendor, name, product, supplier):
                add(rel_id, product_id, "", MatchReason.PRODUCT, label)
            for party in parties.get(product_id, ()):
                if _names_party(vendor, name, norm(party)):
                    add(rel_id, product_id, party, MatchReason.FOURTH_PARTY, label)
    matched_rels = {m.relationship_id for m in found.values()}
    for rel_id, supplier_name in (
        reach.live_relationships(care_org).order_by("pk").values_list("pk", "supplier__name")
    ):
        if rel_id in matched_rels:
            continue
        supplier = norm(supplier_name)
        for vendor, _name2, label in wanted:
            if _same_party(vendor, supplier):
                add(rel_id, None, "", MatchReason.VENDOR, label)
                matched_rels.add(rel_id)
                break
    return sorted(found.values(), key=lambda m: (m.relationship_id, m.product_id or 0))
