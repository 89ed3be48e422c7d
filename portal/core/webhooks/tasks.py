"""Celery tasks of the webhooks (queue "mail"): thin, idempotent, retry-safe."""

from __future__ import annotations

from celery import shared_task

from . import delivery


@shared_task(name="webhooks.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> None:
    """One attempt of one delivery; an attempt that already has an outcome is left alone."""
    delivery.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.send_due", ignore_result=True)
def send_due() -> int:
    """Hand every retry that has come due to the workers (Celery beat, every 30 seconds)."""
    return delivery.deliveries_send_due()
