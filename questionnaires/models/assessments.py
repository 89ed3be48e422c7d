"""Assessments (DESIGN §5): one template version sent to one relationship, its answers,
assignments, evidence and the message thread per answer."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TwoSidedQuerySet
from suppliers.models import Band, CarriesCareOrg, Tier, care_org_field

from .templates import Question, QuestionnaireTemplate


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Clarification requested")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# The round is with the supplier: it may answer, it gets reminders, it can be overdue.
OPEN_FOR_SUPPLIER = (
    AssessmentStatus.SENT,
    AssessmentStatus.IN_PROGRESS,
    AssessmentStatus.CLARIFICATION_REQUESTED,
)


class AssessmentQuerySet(TwoSidedQuerySet):
    """Care organisations see the assessments they made; suppliers those sent to them."""

    care_field = "care_org"  # carried on the row: scoping needs no join (DESIGN §16)
    supplier_field = "relationship__supplier"
    supplier_excludes = {"status": "draft"}

    def visible_to(self, membership):
        qs = super().visible_to(membership)
        if membership is not None and membership.organisation.kind != "care":
            # A joint participant's copy: the supplier answers the lead's assessment only.
            qs = qs.filter(joint_source__isnull=True)
        return qs

    def open_for_supplier(self):
        return self.filter(status__in=OPEN_FOR_SUPPLIER)


class Assessment(CarriesCareOrg, models.Model):
    """One template version sent to one relationship, with a due date (DESIGN §5)."""

    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.PROTECT, related_name="assessments"
    )
    care_org = care_org_field()
    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=30, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    due_date = models.DateField(_("due date"))
    message = models.TextField(_("message to the supplier"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    control_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    control_band = models.CharField(max_length=10, blank=True, choices=Band.choices)
    residual_risk = models.CharField(max_length=10, blank=True, choices=Tier.choices)
    scores = models.JSONField(default=dict, blank=True)
    # Started from a trust profile (DESIGN §14): the answers are a frozen copy of that date.
    from_profile = models.ForeignKey(
        "questionnaires.TrustProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    profile_copied_at = models.DateTimeField(null=True, blank=True)
    # A participant's copy in a joint assessment (DESIGN §14): the lead's assessment the
    # supplier answered. The supplier never sees the copy; it answers the lead's assessment.
    joint_source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="joint_copies"
    )
    # The lead's assessment of a joint assessment also asks what applies to the participants'
    # supplier types (the supplier answers once for all): the types beyond its own.
    joint_types = models.JSONField(default=list, blank=True)
    # A short questionnaire: only these question codes of the template are asked (empty: all).
    # Sent after a copy from a profile for the questions the profile did not cover.
    only_codes = models.JSONField(default=list, blank=True)
    follows_up = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["relationship", "status"], name="assessment_rel_status"),
            models.Index(fields=["care_org", "status"], name="assessment_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.relationship} · {self.template}"

    @property
    def answered_types(self) -> set[str]:
        """The supplier types whose questions this assessment asks: the relationship's, and in
        a joint assessment's lead also the participants' (`joint_types`)."""
        return set(self.relationship.supplier_types) | set(self.joint_types or ())

    @property
    def is_open(self) -> bool:
        return self.status not in (AssessmentStatus.COMPLETED, AssessmentStatus.CANCELLED)

    def asked_codes(self) -> frozenset | None:
        """The question codes a short questionnaire asks; None: the whole template."""
        return frozenset(self.only_codes) if self.only_codes else None


class Verdict(models.TextChoices):
    NONE = "", _("Not reviewed")
    ACCEPTED = "accepted", _("Accepted")
    CLARIFICATION = "clarification", _("Clarification")
    REJECTED = "rejected", _("Rejected")


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    explanation = models.TextField(blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    # Filled from the supplier's answer library; invisible to the care organisation until the
    # supplier confirms it (saves it) in this assessment.
    prefilled = models.BooleanField(default=False)
    verdict = models.CharField(max_length=15, choices=Verdict.choices, blank=True, default="")
    verdict_message = models.TextField(blank=True, max_length=4000)
    score_override = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    override_motivation = models.TextField(blank=True, max_length=4000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.question_id}"


class Assignment(models.Model):
    """A supplier colleague made responsible for a section or a single question (DESIGN §10)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    section_code = models.CharField(max_length=20, blank=True)
    question_code = models.CharField(max_length=20, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section_code", "question_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section_code", "question_code"], name="assignment_unique"
            ),
            models.CheckConstraint(
                condition=(Q(section_code="") & ~Q(question_code=""))
                | (~Q(section_code="") & Q(question_code="")),
                name="assignment_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.section_code or self.question_code} → {self.assignee}"


def _evidence_path(instance, filename: str) -> str:

    return f"evidence/{instance.answer.assessment_id}/{secrets.token_hex(16)}"


class Evidence(models.Model):
    """A file attached to an answer; stored under a random name, served only after a check."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Copied from the supplier's shared documents (the copy stays if the document goes).
    source_document = models.ForeignKey(
        "suppliers.SupplierDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_copies",
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class AnswerMessage(models.Model):
    """A message in the thread of one answer; internal notes are never shown to the supplier."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(max_length=4000)
    internal = models.BooleanField(default=False)
    # An internal note its author shares with the other participants of a joint assessment.
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]
