"""Who is behind a fourth party or a product (DESIGN §13): every live relationship of a care
organisation that reaches it through the relationship's products and the fourth parties
declared on them. A few queries however many relationships there are."""

from __future__ import annotations

import re
import unicodedata

from .models import Relationship, RelationshipStatus

LIVE = (RelationshipStatus.ACTIVE, RelationshipStatus.ENDING)
# Legal forms that do not tell two parties apart ("Azure B.V." is "azure").
_LEGAL = re.compile(
    r"\b(b\.?v\.?|n\.?v\.?|inc\.?|ltd\.?|llc|gmbh|ag|s\.?a\.?|plc|corp(oration)?\.?|co\.?)$"
)


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation away, legal forms off the end: for matching names
    that people (and advisories) write in different ways."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"\s+", " ", text.lower()).strip()
    for _round in range(2):
        text = _LEGAL.sub("", text).strip(" ,.-")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def live_relationships(care_org):
    return Relationship.objects.filter(care_org=care_org, status__in=LIVE)


def relationship_ids_behind_fourth_party(*, care_org, name: str) -> list[int]:
    """Live relationships whose products declare a fourth party of that (normalised) name."""
    wanted = normalise_name(name)
    if not wanted:
        return []
    live = live_relationships(care_org).order_by().values("pk")
    pairs = (
        Relationship.products.through.objects.filter(
            relationship_id__in=live, product__subprocessors__isnull=False
        )
        .order_by()
        .values_list("product__subprocessors__name", "relationship_id")
    )
    return sorted({rel for party, rel in pairs if normalise_name(party) == wanted})


def relationship_ids_behind_product(*, care_org, product_id: int) -> list[int]:
    return sorted(
        live_relationships(care_org)
        .filter(products=product_id)
        .values_list("pk", flat=True)
        .distinct()
    )


def relationship_ids_chosen(*, care_org, ids) -> list[int]:
    """A hand-made selection, reduced to the organisation's own live relationships."""
    clean = [int(x) for x in ids if str(x).isdecimal()]
    return sorted(live_relationships(care_org).filter(pk__in=clean).values_list("pk", flat=True))
