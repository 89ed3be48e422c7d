"""Joint assessments (DESIGN §14): a lead care organisation invites others with a relationship
with the same supplier to one assessment. The supplier answers the lead's assessment once; each
participant that joins gets its own copy of the submitted answers on its own relationship, and
reviews, scores and completes it as its own assessment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    JOINED = "joined", _("Joined")
    DECLINED = "declined", _("Declined")


class JointAssessment(models.Model):
    """The lead's assessment is the one the supplier answers (`lead`)."""

    lead = models.OneToOneField(
        "questionnaires.Assessment", on_delete=models.CASCADE, related_name="joint"
    )
    # When set, an invited organisation joins with a relationship covering this product.
    product = models.ForeignKey(
        "suppliers.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"joint {self.lead_id}"


class JointParticipant(models.Model):
    """One invited care organisation; once joined, its relationship and (after the supplier
    submitted) its own assessment holding the copy."""

    joint = models.ForeignKey(JointAssessment, on_delete=models.CASCADE, related_name="seats")
    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.INVITED
    )
    message = models.TextField(blank=True, max_length=4000)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    relationship = models.ForeignKey(
        "suppliers.Relationship", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.OneToOneField(
        "questionnaires.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_seat",
    )
    # When the copy last took the supplier's answers (and messages) from the lead's assessment.
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["joint", "care_org"], name="jointseat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.care_org_id} in {self.joint_id}: {self.status}"


class JointQuestion(models.Model):
    """A participant's clarification question, forwarded once to the supplier on the lead's
    assessment, marked with who asked. Answered when the supplier resubmits."""

    joint = models.ForeignKey(JointAssessment, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=20)
    asked_by = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True, max_length=4000)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "asked_at", "pk"]
        indexes = [models.Index(fields=["joint", "answered_at"], name="jointq_open")]

    def __str__(self) -> str:
        return f"{self.code} ({self.asked_by_id})"
