"""Risk decisions (DESIGN §7): a recorded, motivated acceptance of a finding or of a
relationship's residual risk, approved by the board, with an expiry date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TwoSidedQuerySet
from suppliers.models import Tier

from .findings import Finding


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class DecisionQuerySet(TwoSidedQuerySet):
    """Risk decisions are the care organisation's alone: a supplier never sees them."""

    care_field = "relationship__care_org"

    def visible_to(self, membership):
        if membership is None or not membership.is_active or membership.organisation.kind != "care":
            return self.none()
        return super().visible_to(membership)


class RiskDecision(models.Model):
    """A recorded, motivated, dated acceptance of a finding or of a residual risk (DESIGN §7)."""

    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="decisions"
    )
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    motivation = models.TextField(max_length=4000)
    expires_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=4000)
    # What was accepted, as it stood at the time (the residual risk or the finding's severity).
    accepted_level = models.CharField(max_length=10, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.relationship} · {self.finding or self.accepted_level}"

    def get_accepted_level_display(self) -> str:
        return str(dict(Tier.choices).get(self.accepted_level, self.accepted_level))
