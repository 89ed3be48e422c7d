"""Suppliers as seen by care organisations: the links, products, fourth parties and relationships.

A Relationship carries the care organisation's own intake (DESIGN §6.1) and the cached
result of scoring (tier, residual risk), written by the scoring services.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.rules import INTAKE_FACTORS
from portal.core.tenancy import TenantQuerySet, TwoSidedQuerySet


class SupplierType(models.TextChoices):
    EPD = "epd", _("EPD / clinical systems")
    CLOUD = "cloud", _("Cloud and hosting")
    IT_SERVICES = "it_services", _("IT management")
    MEDICAL_DEVICE = "medical_device", _("Medical devices and lab systems")
    OTHER = "other", _("Other")


class Tier(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Band(models.TextChoices):
    STRONG = "strong", _("Strong")
    ADEQUATE = "adequate", _("Adequate")
    WEAK = "weak", _("Weak")
    POOR = "poor", _("Poor")


class SupplierLinkQuerySet(TwoSidedQuerySet):
    pass


class SupplierLink(models.Model):
    """A care organisation works with a supplier organisation (one row per pair)."""

    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="supplier_links"
    )
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="customer_links"
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupplierLinkQuerySet.as_manager()

    class Meta:
        ordering = ["supplier__name"]
        constraints = [
            models.UniqueConstraint(fields=["care_org", "supplier"], name="supplier_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.care_org} → {self.supplier}"


class ProductQuerySet(TenantQuerySet):
    def visible_to(self, membership):
        """Suppliers see their own products; care organisations those of their suppliers."""
        if membership is None or not membership.is_active:
            return self.none()
        if membership.organisation.kind == "supplier":
            return self.filter(supplier=membership.organisation_id)
        return self.filter(supplier__customer_links__care_org=membership.organisation_id)


class Product(models.Model):
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    supplier_types = models.JSONField(_("supplier types"), default=list, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["supplier__name", "name"]

    def __str__(self) -> str:
        return self.name


class SubProcessor(models.Model):
    """A fourth party behind a product (DESIGN §10a)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="subprocessors")
    name = models.CharField(_("name"), max_length=200)
    service = models.CharField(_("service"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO country code"))
    parent_country = models.CharField(_("parent company country"), max_length=2, blank=True)
    data_access = models.BooleanField(_("access to data"), default=False)

    class Meta:
        ordering = ["product", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class RelationshipStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    ENDING = "ending", _("Ending")
    ENDED = "ended", _("Ended")


class RelationshipQuerySet(TwoSidedQuerySet):
    pass


# The intake's five factors (DESIGN §6.1) are defined once, in portal.core.rules.
INTAKE_FIELDS = tuple(f"intake_{f}" for f in INTAKE_FACTORS)


def care_org_field():
    return models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", editable=False
    )


class CarriesCareOrg(models.Model):
    """A row that carries its relationship's care organisation (which never changes), so that
    a care organisation's counts and lists read only its own rows — by an index on
    (care_org, status) — however many rows the installation holds (DESIGN §16)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.care_org_id is None and self.relationship_id is not None:
            self.care_org_id = self.relationship.care_org_id
        super().save(*args, **kwargs)


class Relationship(models.Model):
    """One care organisation's engagement with one supplier for one or more products."""

    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="relationships"
    )
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="supplier_relationships"
    )
    name = models.CharField(_("name"), max_length=200)
    products = models.ManyToManyField(Product, blank=True, related_name="relationships")
    supplier_types = models.JSONField(_("supplier types"), default=list)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.PROSPECT,
    )
    intake_data = models.PositiveSmallIntegerField(_("data sensitivity"))
    intake_volume = models.PositiveSmallIntegerField(_("volume"))
    intake_continuity = models.PositiveSmallIntegerField(_("continuity impact"))
    intake_access = models.PositiveSmallIntegerField(_("access"))
    intake_substitutability = models.PositiveSmallIntegerField(_("substitutability"))
    # Cached result of scoring (written by the scoring services, never by hand).
    inherent_score = models.PositiveSmallIntegerField(default=0)
    inherent_tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.LOW)
    residual_risk = models.CharField(max_length=10, choices=Tier.choices, default=Tier.LOW)
    assessed = models.BooleanField(default=False)
    control_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    control_band = models.CharField(max_length=10, blank=True, choices=Band.choices)
    risk_explanation = models.JSONField(default=dict, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    next_assessment_due = models.DateField(null=True, blank=True)
    # Why the next assessment is due earlier than the cadence says (e.g. a contract renewal).
    due_reason = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["care_org", "name"]
        # One organisation's relationships in key order, and by supplier: joins, merge plans
        # and "its suppliers' documents" read only that organisation's rows, however many
        # other organisations share the installation (and its suppliers).
        indexes = [
            models.Index(fields=["care_org", "id"], name="relationship_care_org_pk"),
            models.Index(fields=["care_org", "supplier"], name="relationship_care_org_supplier"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(intake_data__lte=3)
                & Q(intake_volume__lte=3)
                & Q(intake_continuity__lte=3)
                & Q(intake_access__lte=3)
                & Q(intake_substitutability__lte=3),
                name="relationship_intake_0_3",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def product_ids(self) -> list[int]:
        """Ids of the products it covers (prefetch `products` when listing many)."""
        return sorted(p.pk for p in self.products.all())

    @property
    def supplier_type_labels(self) -> str:
        labels = dict(SupplierType.choices)
        return ", ".join(str(labels.get(t, t)) for t in self.supplier_types)

    @property
    def intake(self) -> dict[str, int]:
        return {f: getattr(self, f"intake_{f}") for f in INTAKE_FACTORS}


class RiskCause(models.TextChoices):
    CREATED = "created", _("Relationship registered")
    INTAKE = "intake", _("Intake changed")
    ASSESSMENT = "assessment", _("Assessment completed")
    OVERRIDE = "override", _("Review override")
    APPETITE = "appetite", _("Risk appetite changed")


class RiskHistoryQuerySet(TwoSidedQuerySet):
    """Scores are the care organisation's own: a supplier never sees them."""

    care_field = "relationship__care_org"

    def visible_to(self, membership):
        if membership is None or not membership.is_active or membership.organisation.kind != "care":
            return self.none()
        return super().visible_to(membership)


class RiskHistory(models.Model):
    """One point in a relationship's risk over time: written whenever its cached risk changes."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="history")
    recorded_at = models.DateTimeField(auto_now_add=True)
    cause = models.CharField(max_length=12, choices=RiskCause.choices)
    inherent_score = models.PositiveSmallIntegerField()
    inherent_tier = models.CharField(max_length=10, choices=Tier.choices)
    control_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    control_band = models.CharField(max_length=10, blank=True, choices=Band.choices)
    residual_risk = models.CharField(max_length=10, choices=Tier.choices)
    assessed = models.BooleanField(default=False)
    section_scores = models.JSONField(default=dict, blank=True)
    assessment_id = models.PositiveIntegerField(null=True, blank=True)  # a higher layer's row

    objects = RiskHistoryQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["relationship", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.relationship} {self.recorded_at:%Y-%m-%d}: {self.residual_risk}"


class DocumentKind(models.TextChoices):
    NEN7510 = "nen7510", _("NEN 7510 certificate")
    ISO27001 = "iso27001", _("ISO/IEC 27001 certificate")
    ISAE3402 = "isae3402", _("ISAE 3402 type II report")
    SOC2 = "soc2", _("SOC 2 type II report")
    PENTEST = "pentest", _("Penetration test summary")
    POLICY = "policy", _("Policy or procedure")
    DPA = "dpa", _("Processor agreement (model)")
    OTHER = "other", _("Other document")


CERTIFICATE_KINDS = ("nen7510", "iso27001", "isae3402", "soc2", "pentest")


class SupplierDocumentQuerySet(TenantQuerySet):
    organisation_field = "supplier"


def _document_path(instance, filename: str) -> str:

    return f"documents/{instance.supplier_id}/{secrets.token_hex(16)}"


class SupplierDocument(models.Model):
    """A document the supplier uploads once and reuses: as evidence in any customer's
    questionnaire, and (certificates, assurance reports) offered to its customers (§10, §10a)."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(upload_to=_document_path, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    valid_from = models.DateField(_("issued or valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # For certificates and assurance reports (DESIGN §10a).
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    accredited = models.BooleanField(_("issued under accreditation"), default=False)
    scope = models.TextField(_("scope statement"), blank=True, max_length=4000)
    products = models.ManyToManyField(Product, blank=True, related_name="documents")
    # Offered to every care organisation the supplier works for (certificates, reports).
    offered = models.BooleanField(_("offer to my customers"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = SupplierDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["supplier", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_certificate(self) -> bool:
        return self.kind in CERTIFICATE_KINDS

    def expired_on(self, day) -> bool:
        return self.valid_until is not None and self.valid_until < day
