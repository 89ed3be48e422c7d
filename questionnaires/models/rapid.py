"""A rapid questionnaire (DESIGN §13): the shipped `ketenincident` questionnaire sent in one
background job to every live relationship behind a fourth party, a product or a selection."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet

from .assessments import Assessment


class RapidTarget(models.TextChoices):
    FOURTH_PARTY = "fourth_party", _("Fourth party")
    PRODUCT = "product", _("Product")
    SELECTION = "selection", _("Selection")
    ADVISORY = "advisory", _("Advisory")


class RapidStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    OPEN = "open", _("Waiting for answers")
    COMPLETED = "completed", _("Every supplier answered")


class RapidQuerySet(TenantQuerySet):
    organisation_field = "care_org"


class RapidAssessment(models.Model):
    care_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="rapid_assessments"
    )
    target = models.CharField(max_length=15, choices=RapidTarget.choices)
    label = models.CharField(_("about"), max_length=200)
    status = models.CharField(
        max_length=10, choices=RapidStatus.choices, default=RapidStatus.SENDING
    )
    relationships = models.ManyToManyField("suppliers.Relationship", related_name="+")
    assessments = models.ManyToManyField(Assessment, related_name="rapid_rounds", blank=True)
    due_date = models.DateField(_("due date"))
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = RapidQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label
