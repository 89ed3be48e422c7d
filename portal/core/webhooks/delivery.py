"""Deliveries of webhook messages: one per subscribed endpoint for each domain event, sent by
the Celery task `webhooks.deliver`, retried on the Standard Webhooks schedule (8 attempts over
about a day) by the sweep `webhooks.send_due`; an endpoint that has failed for a day is switched
off and its administrators are told."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Membership, Role
from portal.core.audit.services import audit_record
from portal.core.notifications.services import notice_kind, notify

from . import audience, signing, transport
from .models import Delivery, DeliveryState, Endpoint

# Pause after attempt n (1-based) before attempt n + 1: 8 attempts over about 27 hours.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
DISABLE_AFTER = timedelta(days=1)
# An attempt handed to Celery that has not run after this long is handed out again.
REQUEUE_AFTER = timedelta(minutes=15)
PING = "webhook.ping"

DISABLED = notice_kind(
    "webhook.disabled", gettext_lazy("A webhook endpoint was switched off"), side="both"
)


def queue(deliveries: list[Delivery]) -> None:
    """Hand attempts to Celery once the transaction commits."""
    if not deliveries:
        return
    ids = [d.pk for d in deliveries]
    Delivery.objects.filter(pk__in=ids).update(queued_at=timezone.now())

    def send() -> None:
        from .tasks import deliver  # noqa: PLC0415 - tasks.py imports this module

        for pk in ids:
            deliver.apply_async(args=(pk,), queue="mail")

    transaction.on_commit(send)


def new_message(*, endpoint: Endpoint, message_id: str, payload: dict, manual: bool) -> Delivery:
    return Delivery.objects.create(
        endpoint=endpoint,
        message_id=message_id,
        event_type=payload["type"],
        payload=payload,
        attempt=1,
        manual=manual,
        due_at=timezone.now(),
    )


@transaction.atomic
def event_fan_out(envelope: dict[str, Any]) -> list[Delivery]:
    """One attempt per endpoint that subscribed to this event and may receive it.

    Runs as the after-commit subscriber of every event (inside its once-only transaction)."""
    name, data = envelope["type"], envelope["data"]
    made = []
    for side, org_id in audience.recipients(name, data):
        endpoints = Endpoint.objects.filter(
            organisation_id=org_id, organisation__kind=side, is_active=True
        ).order_by("pk")
        payload = {
            "type": name,
            "timestamp": envelope["timestamp"],
            "data": audience.data_for(side, data, org_id),
        }
        for endpoint in endpoints:
            if name not in endpoint.events:
                continue
            made.append(
                new_message(
                    endpoint=endpoint, message_id=envelope["id"], payload=payload, manual=False
                )
            )
    queue(made)
    return made


def _body(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def headers_for(*, delivery: Delivery, secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Ketenwacht-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.sign(
            secret=secret, msg_id=delivery.message_id, timestamp=timestamp, body=body
        ),
    }


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Make one attempt (idempotent: an attempt that has an outcome is left alone).

    The POST happens outside any transaction; the outcome is recorded only if the attempt is
    still pending, so a task delivered twice records one outcome (the receiver may see the
    message twice: delivery is at least once, with the same `webhook-id`)."""
    delivery = Delivery.objects.select_related("endpoint__organisation").filter(pk=delivery_id)
    delivery = delivery.first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return None
    endpoint = delivery.endpoint
    now = timezone.now()
    if not endpoint.is_active and not delivery.manual:
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED, attempted_at=now, error="endpoint switched off"
        )
        return None
    body = _body(delivery.payload)
    status_code, excerpt, error = None, "", ""
    try:
        secret = signing.decrypt(endpoint.secret_encrypted)
        headers = headers_for(
            delivery=delivery, secret=secret, body=body, timestamp=int(time.time())
        )
        answer = transport.post(endpoint.url, body=body, headers=headers)
        status_code, excerpt = answer.status_code, answer.excerpt
        if 300 <= status_code < 400:
            error = "redirect not followed"
        elif not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except transport.Refused as exc:
        error = f"refused: {exc}"
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    return _record(delivery=delivery, status_code=status_code, excerpt=excerpt, error=error)


@transaction.atomic
def _record(*, delivery: Delivery, status_code, excerpt: str, error: str) -> Delivery | None:
    now = timezone.now()
    endpoint = delivery.endpoint
    ok = not error
    retry = not ok and not delivery.manual and delivery.attempt < MAX_ATTEMPTS
    next_at = now + RETRY_DELAYS[delivery.attempt - 1] if retry else None
    changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
        state=DeliveryState.SUCCEEDED if ok else DeliveryState.FAILED,
        attempted_at=now,
        status_code=status_code,
        response_excerpt=excerpt[:500],
        error=error[:300],
        delivered_at=now if ok else None,
        next_attempt_at=next_at,
    )
    if not changed:
        return None  # a parallel run recorded this attempt
    if ok:
        Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
    else:
        Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now
        )
        endpoint.refresh_from_db(fields=["failing_since", "is_active"])
        if (
            not delivery.manual
            and endpoint.is_active
            and endpoint.failing_since
            and now - endpoint.failing_since >= DISABLE_AFTER
        ):
            _disable(endpoint=endpoint, now=now)
            retry = False
    if retry:
        Delivery.objects.create(
            endpoint=endpoint,
            message_id=delivery.message_id,
            event_type=delivery.event_type,
            payload=delivery.payload,
            attempt=delivery.attempt + 1,
            due_at=next_at,
        )
    delivery.refresh_from_db()
    return delivery


def _disable(*, endpoint: Endpoint, now) -> None:
    """Switch an endpoint off after a day of failures and tell its administrators."""
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_at=now)
    Delivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING, manual=False).update(
        state=DeliveryState.FAILED, error="endpoint switched off"
    )
    audit_record(
        action="webhook.disabled",
        organisation=endpoint.organisation,
        obj=endpoint,
        after={"failing_since": endpoint.failing_since.isoformat()},
        actor_label="system",
    )

    admins = Membership.objects.active().filter(
        organisation=endpoint.organisation, role__in=(Role.ADMIN, Role.OWNER)
    )
    for membership in admins.select_related("user"):
        notify(
            user=membership.user,
            organisation=endpoint.organisation,
            kind=DISABLED,
            url=reverse("webhook_detail", args=[endpoint.pk]),
            render=lambda: (
                _("Webhook endpoint switched off"),
                _(
                    "Deliveries to %(url)s have failed for a day, so Ketenwacht has switched the "
                    "endpoint off. Check the delivery log, fix the receiver and switch it on again."
                )
                % {"url": endpoint.url},
            ),
        )


def deliveries_send_due(*, now=None) -> int:
    """Queue every attempt that is due and not yet (or too long ago) handed to Celery."""
    now = now or timezone.now()
    due = Delivery.objects.filter(state=DeliveryState.PENDING, due_at__lte=now).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)
    )
    with transaction.atomic():
        chosen = list(due.select_for_update(skip_locked=True).order_by("due_at")[:500])
        queue(chosen)
    return len(chosen)
