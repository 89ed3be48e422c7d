"""Findings (DESIGN §7): a gap found in an answer, with severity, owner, deadline and the
remediation thread with the supplier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TwoSidedQuerySet
from suppliers.models import CarriesCareOrg, care_org_field

from .assessments import Answer, Assessment
from .common import _pick
from .templates import Severity


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REMEDIATION_PLANNED = "remediation_planned", _("Remediation planned")
    RESOLVED = "resolved", _("Resolved")
    ACCEPTED = "accepted", _("Risk accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FindingQuerySet(TwoSidedQuerySet):
    """Care organisations see their findings; a supplier those raised on its answers."""

    care_field = "care_org"  # carried on the row: scoping needs no join (DESIGN §16)
    supplier_field = "relationship__supplier"


class Finding(CarriesCareOrg, models.Model):
    """A gap found in an answer (DESIGN §6.6, §7): severity, owner, deadline, remediation."""

    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="findings"
    )
    care_org = care_org_field()
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, related_name="findings"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    question_code = models.CharField(max_length=20)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    title_nl = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    advice_nl = models.TextField(blank=True, max_length=4000)
    advice_en = models.TextField(blank=True, max_length=4000)
    score = models.FloatField(help_text="question score when raised or last re-assessed")
    knockout = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    # The supplier's remediation plan: what it will do and by when.
    plan = models.TextField(_("remediation plan"), blank=True, max_length=4000)
    planned_date = models.DateField(_("planned completion"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "question_code"], name="finding_one_per_question"
            )
        ]
        indexes = [models.Index(fields=["care_org", "status"], name="finding_org_status")]

    def __str__(self) -> str:
        return f"{self.question_code}: {self.title}"

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def advice(self) -> str:
        return _pick(self, "advice")

    @property
    def knockout_fired(self) -> bool:
        """Whether this finding's answer fired its knock-out (DESIGN §6.5: only q < 0.5 does);
        `knockout` alone says only that the question is a knock-out question."""
        return self.knockout and self.score < 0.5


class FindingUpdateKind(models.TextChoices):
    PLAN = "plan", _("Remediation plan")
    PROGRESS = "progress", _("Progress update")
    COMMENT = "comment", _("Comment")
    RESOLVED = "resolved", _("Verified and resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REOPENED = "reopened", _("Reopened")


class FindingUpdate(models.Model):
    """One entry in a finding's thread: the supplier's plan and progress, the care org's verdict."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=FindingUpdateKind.choices)
    text = models.TextField(max_length=4000)
    planned_date = models.DateField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_supplier = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.kind}"
