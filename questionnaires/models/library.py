"""The supplier's answer library (DESIGN §10): reusable answers per product and question code."""

from __future__ import annotations

from django.db import models

from portal.core.tenancy import TenantQuerySet

from .assessments import Assessment


class LibraryQuerySet(TenantQuerySet):
    organisation_field = "supplier"


class LibraryAnswer(models.Model):
    """A supplier's reusable answer, per product (or supplier-wide) and question code (§10)."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="library"
    )
    product = models.ForeignKey(
        "suppliers.Product", null=True, blank=True, on_delete=models.CASCADE
    )
    code = models.CharField(max_length=20)
    value = models.JSONField(null=True, blank=True)
    explanation = models.TextField(blank=True, max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)
    source = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "product", "code"],
                name="library_unique_product",
                condition=models.Q(product__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["supplier", "code"],
                name="library_unique_general",
                condition=models.Q(product__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.code
