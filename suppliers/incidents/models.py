"""An incident a supplier reports once, and each care organisation's own copy of it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet

from .clock import nis2_deadlines


class Stage(models.TextChoices):
    EARLY_WARNING = "early_warning", _("Early warning")
    NOTIFICATION = "notification", _("Incident notification")
    FINAL_REPORT = "final_report", _("Final report")
    CLOSED = "closed", _("Closed")


class UpdateKind(models.TextChoices):
    NOTIFICATION = "notification", _("Incident notification")
    FINAL_REPORT = "final_report", _("Final report")
    UPDATE = "update", _("Update")
    CLOSED = "closed", _("Closed")


class Affected(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown yet")
    YES = "yes", _("Affected")
    NO = "no", _("Not affected")


class IncidentQuerySet(TenantQuerySet):
    """A supplier sees its own incidents; a care organisation only those delivered to it."""

    def visible_to(self, membership):
        if membership is None or not membership.is_active:
            return self.none()
        if membership.organisation.kind == "supplier":
            return self.filter(supplier=membership.organisation_id)
        return self.filter(recipients__care_org=membership.organisation_id)


class Incident(models.Model):
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="incidents"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"), max_length=8000)
    products = models.ManyToManyField("suppliers.Product", related_name="incidents")
    detected_at = models.DateTimeField(_("detected at"))
    health_data = models.BooleanField(_("health data affected"), default=False)
    availability = models.BooleanField(_("availability affected"), default=False)
    stage = models.CharField(max_length=15, choices=Stage.choices, default=Stage.EARLY_WARNING)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def deadlines(self) -> dict:
        return nis2_deadlines(self.detected_at)


def _update_path(instance, filename: str) -> str:
    """A random storage name: the uploaded name is kept in `file_name` only (DESIGN §12)."""
    return f"incidents/{instance.incident_id}/{secrets.token_hex(16)}"


class IncidentUpdate(models.Model):
    """A stage or an update the supplier adds (with an optional checked attachment)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=15, choices=UpdateKind.choices)
    text = models.TextField(max_length=8000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=_update_path, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"


class RecipientQuerySet(TenantQuerySet):
    organisation_field = "care_org"


class Recipient(models.Model):
    """One care organisation's copy of an incident: what it affects there, and the care
    organisation's own assessment — never visible to the supplier or to anyone else."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="recipients")
    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="incident_copies"
    )
    relationships = models.ManyToManyField("suppliers.Relationship", related_name="+")
    delivered_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affected = models.CharField(max_length=10, choices=Affected.choices, default=Affected.UNKNOWN)
    patient_care_impact = models.TextField(_("effect on patient care"), blank=True, max_length=4000)
    notes = models.TextField(_("notes"), blank=True, max_length=8000)
    # A line per affected relationship where several are involved: {relationship id: text}.
    relationship_notes = models.JSONField(default=dict, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["-delivered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "care_org"], name="incident_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.care_org_id}"


class Duty(models.Model):
    """One of the care organisation's own notification duties for this incident, with its
    clock (from the moment it received the notice) and who ticked it when."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="duties")
    key = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    not_applicable = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="duty_once")]

    def __str__(self) -> str:
        return self.key
