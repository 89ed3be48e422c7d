"""Questionnaire templates: versioned sets of sections and questions (DESIGN §4, FORMATS.md).

A published version is immutable: services refuse to change it and "new version" copies it
into a draft. Question codes stay stable across versions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet, TwoSidedQuerySet
from suppliers.models import (
    Band,
    SupplierType,  # noqa: F401  (re-exported for the builder)
    Tier,
)


def _pick(obj, field: str) -> str:
    lang = (get_language() or "nl")[:2]
    value = getattr(obj, f"{field}_{lang}", "") if lang in ("nl", "en") else ""
    return value or getattr(obj, f"{field}_nl", "") or getattr(obj, f"{field}_en", "")


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    YES_PARTIAL_NO = "yes_partial_no", _("Yes / partially / no")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    TEXT = "text", _("Text")
    FILE = "file", _("File")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class EvidenceLevel(models.TextChoices):
    NONE = "none", _("None")
    OPTIONAL = "optional", _("Optional")
    REQUIRED = "required", _("Required")


class TemplateQuerySet(TenantQuerySet):
    def visible_to(self, membership):
        """Care organisations see the shipped banks (no owner) and their own templates."""
        if membership is None or not membership.is_active or membership.organisation.kind != "care":
            return self.none()
        return self.filter(
            models.Q(owner__isnull=True) | models.Q(owner=membership.organisation_id)
        )

    def published(self):
        return self.filter(status=TemplateStatus.PUBLISHED)


class QuestionnaireTemplate(models.Model):
    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True, max_length=4000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=4000)
    # None: a bank shipped with Ketenwacht, visible to every care organisation.
    owner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaire_templates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every draft edit: stale builder forms are refused (optimistic locking).
    revision = models.PositiveIntegerField(default=0)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire template")
        verbose_name_plural = _("questionnaire templates")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="template_key_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def description(self) -> str:
        return _pick(self, "description")

    @property
    def is_editable(self) -> bool:
        return self.status == TemplateStatus.DRAFT


class Section(models.Model):
    template = models.ForeignKey(
        QuestionnaireTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("code"), max_length=20)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="section_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return _pick(self, "title")


class Question(models.Model):
    template = models.ForeignKey(
        QuestionnaireTemplate, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    code = models.CharField(_("code"), max_length=20)
    text_nl = models.TextField(_("question (Dutch)"), max_length=2000)
    text_en = models.TextField(_("question (English)"), max_length=2000)
    help_nl = models.TextField(_("help (Dutch)"), blank=True, max_length=4000)
    help_en = models.TextField(_("help (English)"), blank=True, max_length=4000)
    answer_type = models.CharField(_("answer type"), max_length=20, choices=AnswerType.choices)
    # [{"value": "yes", "label": {"nl": "Ja", "en": "Yes"}, "score": 1.0}, ...]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    na_allowed = models.BooleanField(_("n.a. allowed"), default=False)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    required = models.BooleanField(_("required"), default=True)
    knockout = models.BooleanField(_("knock-out"), default=False)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    # Supplier types; an empty list means every type.
    applies_to = models.JSONField(_("applies to"), default=list, blank=True)
    show_if = models.JSONField(_("show if"), null=True, blank=True)
    evidence = models.CharField(
        _("evidence"), max_length=10, choices=EvidenceLevel.choices, default=EvidenceLevel.NONE
    )
    # [{"lte": 12, "score": 1.0}, ...] for number and date questions.
    bands = models.JSONField(_("bands"), default=list, blank=True)
    reviewer_scored = models.BooleanField(_("scored by the reviewer"), default=False)
    references = models.JSONField(_("references"), default=list, blank=True)
    advice_nl = models.TextField(_("advice (Dutch)"), blank=True, max_length=4000)
    advice_en = models.TextField(_("advice (English)"), blank=True, max_length=4000)

    class Meta:
        ordering = ["template", "section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="question_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return _pick(self, "text")

    @property
    def help(self) -> str:
        return _pick(self, "help")

    @property
    def advice(self) -> str:
        return _pick(self, "advice")


class MappingQuerySet(TenantQuerySet):
    organisation_field = "owner"


class SpreadsheetMapping(models.Model):
    """A saved column mapping for spreadsheet imports, reusable by the organisation."""

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="spreadsheet_mappings"
    )
    name = models.CharField(_("name"), max_length=100)
    mapping = models.JSONField(_("mapping"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MappingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="mapping_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Clarification requested")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class AssessmentQuerySet(TwoSidedQuerySet):
    """Care organisations see the assessments they made; suppliers those sent to them."""

    care_field = "relationship__care_org"
    supplier_field = "relationship__supplier"
    supplier_excludes = {"status": "draft"}


class Assessment(models.Model):
    """One template version sent to one relationship, with a due date (DESIGN §5)."""

    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.PROTECT, related_name="assessments"
    )
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

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.relationship} · {self.template}"

    @property
    def is_open(self) -> bool:
        return self.status not in (AssessmentStatus.COMPLETED, AssessmentStatus.CANCELLED)


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


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REMEDIATION_PLANNED = "remediation_planned", _("Remediation planned")
    RESOLVED = "resolved", _("Resolved")
    ACCEPTED = "accepted", _("Risk accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FindingQuerySet(TwoSidedQuerySet):
    """Care organisations see their findings; a supplier those raised on its answers."""

    care_field = "relationship__care_org"
    supplier_field = "relationship__supplier"


class Finding(models.Model):
    """A gap found in an answer (DESIGN §6.6, §7): severity, owner, deadline, remediation."""

    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="findings"
    )
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

    def __str__(self) -> str:
        return f"{self.question_code}: {self.title}"

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def advice(self) -> str:
        return _pick(self, "advice")


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


def _evidence_path(instance, filename: str) -> str:
    import secrets

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


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
