"""Webhook endpoints of an organisation and the log of every delivery attempt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet


class EndpointQuerySet(TenantQuerySet):
    organisation_field = "organisation"


class Endpoint(models.Model):
    """A URL of an organisation that receives the events it subscribed to."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # Fernet token of the `whsec_…` secret (see signing.py); never shown after creation.
    secret_encrypted = models.TextField(max_length=500, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Start of the current run of failed attempts; cleared by a success.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["organisation_id", "pk"]

    def __str__(self) -> str:
        return self.url


class DeliveryQuerySet(TenantQuerySet):
    organisation_field = "endpoint__organisation"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting")
    SUCCEEDED = "succeeded", _("delivered")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One attempt to deliver one message (an event, a ping) to one endpoint.

    A failed attempt that will be retried names `next_attempt_at` and is followed by a new row
    with the next `attempt` number; a redelivery by hand starts again at attempt 1. Every
    attempt of one message carries the same `message_id` (the `webhook-id` header)."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=80)
    event_type = models.CharField(max_length=80)
    payload = models.JSONField()
    attempt = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    manual = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When this attempt is due, and when it was last handed to Celery (the sweep re-queues an
    # attempt whose message was lost).
    due_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"]),
            models.Index(fields=["state", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.attempt} → {self.endpoint_id}"
