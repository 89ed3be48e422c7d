"""In-app notifications and the log that makes every scheduled message go out exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.core.tenancy import TenantQuerySet


class NotificationQuerySet(TenantQuerySet):
    def visible_to(self, membership):
        if membership is None or not membership.is_active:
            return self.none()
        return self.filter(organisation=membership.organisation_id, user=membership.user_id)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class SentMessage(models.Model):
    """One row per scheduled message key: a second run of the scheduler finds it and skips."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
