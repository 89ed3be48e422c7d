"""Webhook endpoints: create, change, delete, ping, redeliver (pages and API call these).
Deliveries and their attempts are in delivery.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record

from . import audience, signing
from .delivery import (
    DISABLE_AFTER,
    DISABLED,
    MAX_ATTEMPTS,
    PING,
    REQUEUE_AFTER,
    RETRY_DELAYS,
    deliveries_send_due,
    delivery_attempt,
    event_fan_out,
    headers_for,
    new_message,
    queue,
)
from .models import Delivery, Endpoint

MAX_ENDPOINTS = 20


def side_of(organisation) -> str:
    return audience.SUPPLIER if organisation.is_supplier else audience.CARE


def event_choices(organisation) -> list[str]:
    """The event names an endpoint of this organisation may subscribe to."""
    return audience.subscribable(side_of(organisation))


def _clean(*, organisation, url: str, events: list[str], description: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = [_("Enter a valid http or https URL.")]
    allowed = set(event_choices(organisation))
    events = sorted(set(events or []))
    unknown = [e for e in events if e not in allowed]
    if not events:
        errors["events"] = [_("Choose at least one event.")]
    elif unknown:
        errors["events"] = [
            _("Your organisation cannot subscribe to: %(events)s.") % {"events": ", ".join(unknown)}
        ]
    if errors:
        raise ValidationError(errors)
    return {"url": url, "events": events, "description": (description or "").strip()[:200]}


@transaction.atomic
def webhook_create(
    *, organisation, url: str, events: list[str], description: str = "", actor, request=None
) -> tuple[Endpoint, str]:
    """A new endpoint and its signing secret (returned here once, stored encrypted)."""
    if Endpoint.objects.filter(organisation=organisation).count() >= MAX_ENDPOINTS:
        raise ValidationError(
            _("An organisation can have at most %(n)d webhook endpoints.") % {"n": MAX_ENDPOINTS}
        )
    values = _clean(organisation=organisation, url=url, events=events, description=description)
    secret = signing.new_secret()
    endpoint = Endpoint.objects.create(
        organisation=organisation,
        secret_encrypted=signing.encrypt(secret),
        created_by=actor,
        **values,
    )
    audit_record(
        action="webhook.created",
        organisation=organisation,
        actor=actor,
        obj=endpoint,
        after={"url": endpoint.url, "events": endpoint.events},
        request=request,
    )
    return endpoint, secret


@transaction.atomic
def webhook_update(
    *,
    endpoint: Endpoint,
    actor,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
    request=None,
) -> Endpoint:
    """Change an endpoint; switching it on again clears its run of failures."""
    before = {"url": endpoint.url, "events": endpoint.events, "is_active": endpoint.is_active}
    values = _clean(
        organisation=endpoint.organisation,
        url=endpoint.url if url is None else url,
        events=endpoint.events if events is None else events,
        description=endpoint.description if description is None else description,
    )
    for field, value in values.items():
        setattr(endpoint, field, value)
    if is_active is not None and is_active != endpoint.is_active:
        endpoint.is_active = is_active
        endpoint.disabled_at = None if is_active else timezone.now()
        endpoint.failing_since = None
    endpoint.save()
    audit_record(
        action="webhook.updated",
        organisation=endpoint.organisation,
        actor=actor,
        obj=endpoint,
        before=before,
        after={"url": endpoint.url, "events": endpoint.events, "is_active": endpoint.is_active},
        request=request,
    )
    return endpoint


@transaction.atomic
def webhook_delete(*, endpoint: Endpoint, actor, request=None) -> None:
    """Remove an endpoint with its delivery log; pending attempts are dropped with it."""
    audit_record(
        action="webhook.deleted",
        organisation=endpoint.organisation,
        actor=actor,
        obj=endpoint,
        before={"url": endpoint.url, "events": endpoint.events},
        request=request,
    )
    endpoint.delete()


def webhook_ping(*, endpoint: Endpoint, actor, request=None) -> Delivery:
    """A test message `webhook.ping` to this endpoint only (one attempt, not retried)."""
    now = timezone.now()
    payload = {
        "type": PING,
        "timestamp": now.isoformat(),
        "data": {"endpoint": endpoint.pk, "organisation": endpoint.organisation_id},
    }
    delivery = new_message(
        endpoint=endpoint,
        message_id=f"ping_{now.timestamp():.0f}_{endpoint.pk}",
        payload=payload,
        manual=True,
    )
    queue([delivery])
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, actor, request=None) -> Delivery:
    """Send a message again by hand: the same `webhook-id` and body, one attempt."""
    again = new_message(
        endpoint=delivery.endpoint,
        message_id=delivery.message_id,
        payload=delivery.payload,
        manual=True,
    )
    audit_record(
        action="webhook.redelivered",
        organisation=delivery.endpoint.organisation,
        actor=actor,
        obj=delivery.endpoint,
        after={"message": delivery.message_id, "event": delivery.event_type},
        request=request,
    )
    queue([again])
    return again


__all__ = [
    "DISABLE_AFTER",
    "DISABLED",
    "MAX_ATTEMPTS",
    "MAX_ENDPOINTS",
    "PING",
    "REQUEUE_AFTER",
    "RETRY_DELAYS",
    "deliveries_send_due",
    "delivery_attempt",
    "delivery_redeliver",
    "event_choices",
    "event_fan_out",
    "headers_for",
    "side_of",
    "webhook_create",
    "webhook_delete",
    "webhook_ping",
    "webhook_update",
]
