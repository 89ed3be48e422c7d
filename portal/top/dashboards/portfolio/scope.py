"""What a portfolio figure is computed over: the membership's relationships, narrowed by the
filters (supplier type, tier, owner, status), on a given day; and the constants of the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from questionnaires.models import (  # noqa: F401  (OPEN_FOR_SUPPLIER re-exported)
    OPEN_FOR_SUPPLIER,
    FindingStatus,
)
from suppliers.models import (
    Relationship,
    RelationshipStatus,
    SupplierType,
    Tier,
)
from suppliers.selectors import relationships_for

TIERS = ("critical", "high", "medium", "low")


NOT_ASSESSED = "none"  # the heatmap column of relationships never assessed


SEVERITIES = ("critical", "high", "medium", "low")


# Control-score histogram: ten buckets of ten points; the last one includes 100.
BUCKETS = tuple((lo, lo + 10) for lo in range(0, 100, 10))


OPEN_FINDING = (FindingStatus.OPEN, FindingStatus.REMEDIATION_PLANNED)


UPCOMING_DAYS = 60


EXPIRING_DAYS = 90


LIVE = (RelationshipStatus.PROSPECT, RelationshipStatus.ACTIVE, RelationshipStatus.ENDING)


@dataclass(frozen=True)
class Filters:
    supplier_type: str = ""
    tier: str = ""
    owner: int | None = None
    status: str = ""  # "" = every live relationship (not ended)

    @classmethod
    def from_query(cls, query: QueryDict | dict) -> Filters:
        """Read filters from a query string; unknown values are ignored, never an error."""
        stype = query.get("type", "") or ""
        tier = query.get("tier", "") or ""
        status = query.get("status", "") or ""
        owner = query.get("owner", "") or ""
        return cls(
            supplier_type=stype if stype in SupplierType.values else "",
            tier=tier if tier in Tier.values else "",
            owner=int(owner) if str(owner).isdecimal() and len(str(owner)) < 12 else None,
            status=status if status in RelationshipStatus.values else "",
        )

    def as_query(self) -> str:
        parts = []
        if self.supplier_type:
            parts.append(f"type={self.supplier_type}")
        if self.tier:
            parts.append(f"tier={self.tier}")
        if self.owner:
            parts.append(f"owner={self.owner}")
        if self.status:
            parts.append(f"status={self.status}")
        return "&".join(parts)

    def as_dict(self) -> dict:
        return {
            "type": self.supplier_type or None,
            "tier": self.tier or None,
            "owner": self.owner,
            "status": self.status or None,
        }


@dataclass
class Scope:
    """The membership, its filtered relationships and the day the figures are for."""

    membership: object
    filters: Filters
    today: date
    _rels: QuerySet | None = None

    @property
    def rels(self) -> QuerySet[Relationship]:
        if self._rels is None:
            qs = relationships_for(membership=self.membership)
            f = self.filters
            qs = qs.filter(status=f.status) if f.status else qs.filter(status__in=LIVE)
            if f.tier:
                qs = qs.filter(inherent_tier=f.tier)
            if f.owner:
                qs = qs.filter(owner_id=f.owner)
            if f.supplier_type:
                # supplier_types is a JSON list; matched in Python so SQLite and PostgreSQL
                # behave the same (one query over ids and types).
                ids = [
                    pk
                    for pk, types in qs.values_list("pk", "supplier_types")
                    if f.supplier_type in (types or [])
                ]
                qs = qs.filter(pk__in=ids)
            self._rels = qs
        return self._rels


def scope_for(membership, query, today: date | None = None) -> Scope:
    return Scope(membership, Filters.from_query(query), today or timezone.localdate())
