"""Reads of the webhooks, always scoped to the membership's organisation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.core.tenancy import get_visible_or_404, visible_to

from .models import Delivery, Endpoint


def endpoints_for(*, membership) -> QuerySet[Endpoint]:
    return visible_to(Endpoint, membership).order_by("pk")


def endpoint_get(*, membership, pk) -> Endpoint:
    return get_visible_or_404(Endpoint.objects.select_related("organisation"), membership, pk=pk)


def deliveries_of(*, endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's attempts, newest first (pending retries included)."""
    return endpoint.deliveries.order_by("-created_at", "-pk")


def delivery_get(*, endpoint: Endpoint, pk) -> Delivery:
    """One attempt of an endpoint the caller may already see; anything else is a 404."""
    return get_object_or_404(endpoint.deliveries.all(), pk=pk)
