"""Reads for CSAF advisories: a care organisation sees only its own copies."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from portal.core.tenancy import visible_to

from .models import Advisory, AdvisoryMatch


def advisories_for(*, membership) -> QuerySet[Advisory]:
    return (
        visible_to(Advisory, membership)
        .defer("document")  # up to CSAF_MAX_BYTES each; pages and the API show the parsed parts
        .annotate(match_count=Count("matches"))
        .order_by("-created_at", "-pk")
    )


def matches_of(advisory: Advisory) -> list[AdvisoryMatch]:
    return list(
        advisory.matches.select_related("relationship__supplier", "product").order_by(
            "relationship__name", "pk"
        )
    )
