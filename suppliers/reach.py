"""Who is behind a fourth party or a product (DESIGN §13): every live relationship of a care
organisation that reaches it through the relationship's products and the fourth parties
declared on them. A few queries however many relationships there are.

One normalisation of names for every matcher (rapid questionnaires and CSAF advisories):
`normalise_name` for "the same name", `name_tokens` and `name_match` for the looser match the
rapid-questionnaire preview shows before anything is sent."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Relationship, RelationshipStatus

LIVE = (RelationshipStatus.ACTIVE, RelationshipStatus.ENDING)
# Legal forms that do not tell two parties apart ("Azure B.V." is "azure"), written without
# dots and spaces ("b.v." is "bv").
LEGAL_FORMS = frozenset(
    {"bv", "nv", "vof", "inc", "ltd", "llc", "gmbh", "ag", "sa", "plc", "corp", "corporation", "co"}
)
_ABBREVIATION_DOT = re.compile(r"(?<=\b[a-z])\.(?=[a-z]\b)")  # "b.v." -> "bv."


def _words(name: str) -> list[str]:
    """Lower-case ASCII words: accents, punctuation and parentheses gone, "B.V." one word."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    text = _ABBREVIATION_DOT.sub("", text.lower())
    return re.findall(r"[a-z0-9]+", text)


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation away, legal forms off the end: for matching names
    that people (and advisories) write in different ways."""
    words = _words(name)
    for _round in range(2):
        if words and words[-1] in LEGAL_FORMS:
            words.pop()
    return " ".join(words)


def name_tokens(name: str) -> frozenset[str]:
    """The words of a name as a set, legal forms left out wherever they stand: "Azure
    (Microsoft)" and "Microsoft Azure B.V." are both {"azure", "microsoft"}."""
    return frozenset(w for w in _words(name) if w not in LEGAL_FORMS)


class NameMatch(models.TextChoices):
    """Why a typed name matches a declared one, strictest first."""

    SAME = "same", _("the same name")
    REORDERED = "reordered", _("the same words in another order")
    WITHIN = "within", _("every word you typed is in the declared name")
    AROUND = "around", _("every word of the declared name is in what you typed")


def name_match(typed: str, declared: str) -> NameMatch | None:
    """How `declared` matches what a person `typed`, or None. Whole words only: "Azure"
    matches "Azure (Microsoft)" but never "Azul Systems"."""
    a, b = normalise_name(typed), normalise_name(declared)
    if a and a == b:
        return NameMatch.SAME
    ta, tb = name_tokens(typed), name_tokens(declared)
    if not ta or not tb:
        return None
    if ta == tb:
        return NameMatch.REORDERED
    if ta < tb:
        return NameMatch.WITHIN
    if tb < ta:
        return NameMatch.AROUND
    return None


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
    pairs = list(pairs)
    # Each declared name normalised once: an organisation's links repeat a few hundred names.
    same = {party for party in {party for party, _rel in pairs} if normalise_name(party) == wanted}
    return sorted({rel for party, rel in pairs if party in same})


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


@dataclass(frozen=True)
class Behind:
    """One way a live relationship reaches a fourth party: through this product, which
    declares a fourth party of this name, matched for this reason."""

    relationship_id: int
    relationship: str
    supplier: str
    product: str
    declared: str
    reason: NameMatch


def fourth_party_candidates(*, care_org, name: str) -> list[Behind]:
    """Every (live relationship, product, declared fourth party) whose declared name matches
    `name` loosely (`name_match`), strictest reason first. One query."""
    if not name_tokens(name) and not normalise_name(name):
        return []
    live = live_relationships(care_org).order_by().values("pk")
    rows = (
        Relationship.products.through.objects.filter(
            relationship_id__in=live, product__subprocessors__isnull=False
        )
        .order_by()
        .values_list(
            "relationship_id",
            "relationship__name",
            "relationship__supplier__name",
            "product__name",
            "product__subprocessors__name",
        )
    )
    order = list(NameMatch)
    found, reasons = {}, {}
    for rel_id, rel_name, supplier, product, declared in rows:
        if declared not in reasons:  # each declared name matched once
            reasons[declared] = name_match(name, declared)
        reason = reasons[declared]
        if reason is not None:
            found[(rel_id, product, declared)] = Behind(
                rel_id, rel_name, supplier, product, declared, reason
            )
    return sorted(
        found.values(),
        key=lambda b: (order.index(b.reason), b.relationship.lower(), b.product, b.declared),
    )
