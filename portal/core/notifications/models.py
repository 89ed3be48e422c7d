"""In-app notifications, each person's choice of how they hear of each kind, and the log that
makes every scheduled message go out exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("In a daily digest e-mail")
    IN_APP = "in_app", _("In the portal only")


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
    # The domain event (or scheduled reminder) it tells of, e.g. "assessment.submitted".
    kind = models.CharField(max_length=60, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    mailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user", "delivery"],
                condition=models.Q(mailed_at__isnull=True),
                name="notification_digest_due",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """How one person hears of one kind of notification (absent: e-mail at once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class SentMessage(models.Model):
    """One row per scheduled message key: a second run of the scheduler finds it and skips."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
