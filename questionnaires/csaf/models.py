"""CSAF advisories a care organisation has (uploaded, posted or proposed from a feed), what
they matched, and the operator's provider feeds with their fetch state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet


class Source(models.TextChoices):
    UPLOAD = "upload", _("Uploaded")
    FEED = "feed", _("Provider feed")


class AdvisoryStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting confirmation")
    SENT = "sent", _("Rapid questionnaire sent")
    DISMISSED = "dismissed", _("Dismissed")


class MatchReason(models.TextChoices):
    PRODUCT = "product", _("Product named in the advisory")
    VENDOR = "vendor", _("Supplier is a vendor in the advisory")
    FOURTH_PARTY = "fourth_party", _("Fourth party named in the advisory")


class CsafProvider(models.Model):
    """A CSAF provider the operator configured (its provider-metadata.json); not per tenant."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("provider-metadata.json URL"), max_length=1000, unique=True)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class FeedResource(models.Model):
    """The validators of one URL of a feed (for If-None-Match / If-Modified-Since)."""

    provider = models.ForeignKey(CsafProvider, on_delete=models.CASCADE, related_name="resources")
    url = models.CharField(max_length=1000)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "url"], name="csaf_resource_once")
        ]

    def __str__(self) -> str:
        return self.url


class FeedDocument(models.Model):
    """An advisory already fetched from a feed, with the index's stamp of that version."""

    provider = models.ForeignKey(CsafProvider, on_delete=models.CASCADE, related_name="documents")
    url = models.CharField(max_length=1000)
    stamp = models.CharField(max_length=64, blank=True)
    tracking_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "url"], name="csaf_document_once")
        ]

    def __str__(self) -> str:
        return self.url


class AdvisoryQuerySet(TenantQuerySet):
    organisation_field = "care_org"


class Advisory(models.Model):
    """One care organisation's copy of a CSAF advisory and what it matched there."""

    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="csaf_advisories"
    )
    title = models.CharField(_("title"), max_length=500)
    tracking_id = models.CharField(_("tracking ID"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    release_date = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    provider = models.ForeignKey(
        CsafProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.CharField(max_length=1000, blank=True)
    document = models.JSONField()
    products = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=AdvisoryStatus.choices, default=AdvisoryStatus.PROPOSED
    )
    rapid = models.ForeignKey(
        "questionnaires.RapidAssessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = AdvisoryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.tracking_id} {self.title}"


class AdvisoryMatch(models.Model):
    """A live relationship the advisory seems to concern, and why; confirmed by a person."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="matches")
    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "suppliers.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fourth_party = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=15, choices=MatchReason.choices)
    named = models.CharField(max_length=500, blank=True)  # what the advisory named
    confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["relationship__name", "pk"]

    def __str__(self) -> str:
        return f"{self.advisory_id} → {self.relationship_id}"
