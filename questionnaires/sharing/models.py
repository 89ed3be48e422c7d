"""Trust profiles (DESIGN §14): a supplier publishes its confirmed library answers, certificates
and shared documents per product, each item summary, on request or private; care organisations
ask for access; every view, download and copy is logged."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    SUMMARY = "summary", _("Summary for every care organisation")
    ON_REQUEST = "on_request", _("On request")
    PRIVATE = "private", _("Private")


# Who sees an item of each level: every care organisation, or only one with access.
SEEN_BY_ALL = (Visibility.SUMMARY,)
SEEN_WITH_ACCESS = (Visibility.SUMMARY, Visibility.ON_REQUEST)


class AccessStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Refused")
    REVOKED = "revoked", _("Revoked")


class TrustProfile(models.Model):
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="trust_profiles"
    )
    product = models.ForeignKey("suppliers.Product", on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.ON_REQUEST
    )
    # `visibility` is the default of every item; these are the supplier's choices per answer
    # (question code → summary, on_request or private). Private answers never leave it.
    answer_visibility = models.JSONField(default=dict, blank=True)
    terms = models.TextField(blank=True, max_length=8000)
    terms_version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "product"], name="trustprofile_unique")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} / {self.product}"

    def answer_level(self, code: str) -> str:
        """The visibility of the answer to this question code."""
        return self.answer_visibility.get(code) or self.visibility


class ProfileDocument(models.Model):
    """A certificate or shared document the supplier includes in a profile."""

    profile = models.ForeignKey(TrustProfile, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "suppliers.SupplierDocument", on_delete=models.CASCADE, related_name="+"
    )
    # Blank: the profile's default visibility.
    visibility = models.CharField(max_length=12, choices=Visibility.choices, blank=True)

    class Meta:
        ordering = ["document__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "document"], name="profiledocument_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.document_id}"

    @property
    def level(self) -> str:
        return self.visibility or self.profile.visibility


class ProfileAccess(models.Model):
    """One care organisation's request for (and access to) one profile."""

    profile = models.ForeignKey(TrustProfile, on_delete=models.CASCADE, related_name="accesses")
    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=AccessStatus.choices, default=AccessStatus.REQUESTED
    )
    message = models.TextField(blank=True, max_length=4000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    terms_accepted_version = models.PositiveIntegerField(null=True, blank=True)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "care_org"], name="profileaccess_unique")
        ]

    def __str__(self) -> str:
        return f"{self.care_org_id} → {self.profile_id}: {self.status}"


class ProfileLogEntry(models.Model):
    """The access log the supplier sees: who viewed or copied what, and when."""

    profile = models.ForeignKey(TrustProfile, on_delete=models.CASCADE, related_name="log")
    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)  # viewed, downloaded, copied
    # What was downloaded (a document's title), for the supplier's access log.
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} {self.profile_id}"
