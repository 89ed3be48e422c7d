"""Contracts (DESIGN §9): the contract register, the clause library and per-relationship clause
checklists, and the care organisation's review of a supplier's certificates (§10a)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TwoSidedQuerySet
from suppliers.models import CarriesCareOrg, care_org_field
from suppliers.risk import add_months


def _pick(obj, field: str) -> str:
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return getattr(obj, f"{field}_{lang}") or getattr(obj, f"{field}_nl")


class CareOnlyQuerySet(TwoSidedQuerySet):
    """The care organisation's own records: a supplier never sees them (404)."""

    care_field = "relationship__care_org"

    def visible_to(self, membership):
        if membership is None or not membership.is_active or membership.organisation.kind != "care":
            return self.none()
        return super().visible_to(membership)


class Contract(models.Model):
    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="contracts"
    )
    reference = models.CharField(_("reference"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("notice period (months)"), default=3)
    auto_renewal = models.BooleanField(_("renews automatically"), default=False)
    renewal_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"), default=12, help_text=_("How long each renewal runs.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("internal notes"), blank=True, max_length=4000)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["relationship", "-start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    @property
    def notice_deadline(self):
        """The last day to give notice before the end date (None without an end date)."""
        if self.end_date is None:
            return None

        return add_months(self.end_date, -self.notice_months)


class ContractDocumentKind(models.TextChoices):
    SIGNED = "signed", _("Signed contract")
    DPA = "dpa", _("Processor agreement")
    SLA = "sla", _("Service level agreement")
    ANNEX = "annex", _("Annex")
    OTHER = "other", _("Other")


def _contract_path(instance, filename: str) -> str:

    return f"contracts/{instance.contract_id}/{secrets.token_hex(16)}"


class ContractDocument(models.Model):
    """A private contract file: stored under a random name, served only to the care org."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=10, choices=ContractDocumentKind.choices)
    file = models.FileField(upload_to=_contract_path, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ClauseCategory(models.TextChoices):
    PRIVACY = "privacy", _("Privacy")
    SECURITY = "security", _("Security")
    INCIDENT = "incident", _("Incidents")
    AUDIT = "audit", _("Audit")
    CONTINUITY = "continuity", _("Continuity")
    EXIT = "exit", _("Exit")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    LIABILITY = "liability", _("Liability")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    MUST = "must", _("Must")
    SHOULD = "should", _("Should")


class Clause(models.Model):
    """One clause of the shipped library (contracts/library/clauses.yaml), loaded and validated."""

    code = models.CharField(max_length=20, unique=True)
    title_nl = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    requirement_nl = models.TextField(max_length=4000)
    requirement_en = models.TextField(max_length=4000)
    basis = models.JSONField(default=list)
    category = models.CharField(max_length=15, choices=ClauseCategory.choices)
    priority = models.CharField(max_length=6, choices=Priority.choices)
    applies_if = models.JSONField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def requirement(self) -> str:
        return _pick(self, "requirement")


class ClauseStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    NEGOTIATING = "negotiating", _("Negotiating")
    PRESENT = "present", _("Present")
    WAIVED = "waived", _("Waived")


# A clause that is not (yet) in the contract.
OPEN_CLAUSE = (ClauseStatus.MISSING, ClauseStatus.NEGOTIATING)


class ChecklistQuerySet(CareOnlyQuerySet):
    care_field = "care_org"  # carried on the row: scoping needs no join (DESIGN §16)

    def open_must(self):
        """Triggered must-clauses that are not (yet) in the contract."""
        return self.filter(triggered=True, clause__priority=Priority.MUST, status__in=OPEN_CLAUSE)


class ChecklistItem(CarriesCareOrg, models.Model):
    """A triggered clause for one relationship, with why it was triggered and where it stands."""

    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="checklist"
    )
    care_org = care_org_field()
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=ClauseStatus.choices, default=ClauseStatus.MISSING
    )
    reasons = models.JSONField(default=list)  # [{"nl": …, "en": …}]
    triggered = models.BooleanField(default=True)  # False: no longer triggered, kept
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.CharField(_("article"), max_length=100, blank=True)
    motivation = models.TextField(_("motivation"), blank=True, max_length=4000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        ordering = ["clause__order", "clause__code"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "clause"], name="checklist_unique")
        ]
        indexes = [models.Index(fields=["care_org", "status"], name="checklist_org_status")]

    def __str__(self) -> str:
        return f"{self.relationship_id}:{self.clause_id} {self.status}"

    @property
    def is_open_must(self) -> bool:
        """The item as `ChecklistQuerySet.open_must` selects it."""
        return self.triggered and self.clause.priority == Priority.MUST and self.is_open

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CLAUSE

    @property
    def contract_reference(self) -> str:
        if self.contract is None:
            return self.article
        return f"{self.contract.reference} {self.article}".strip()


class ScopeVerdict(models.TextChoices):
    UNKNOWN = "unknown", _("Not reviewed")
    COVERS = "covers", _("Covers what we buy")
    PARTLY = "partly", _("Covers part of it")
    NOT_COVERED = "not_covered", _("Does not cover it")


class CertificateReview(models.Model):
    """The care organisation's judgement of a supplier certificate for one relationship.
    A certificate never counts as a pass by itself: it is evidence, reviewed for scope."""

    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="certificate_reviews"
    )
    document = models.ForeignKey(
        "suppliers.SupplierDocument", on_delete=models.CASCADE, related_name="reviews"
    )
    verdict = models.CharField(
        max_length=12, choices=ScopeVerdict.choices, default=ScopeVerdict.UNKNOWN
    )
    note = models.TextField(blank=True, max_length=4000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = CareOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "document"], name="certificate_review_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.relationship_id}:{self.document_id} {self.verdict}"


class ExitNoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_APPROVAL = "in_approval", _("Partly approved")
    APPROVED = "approved", _("Approved")


class ExitNote(models.Model):
    """The exit strategy for one relationship (DESIGN §9): generated, edited, versioned,
    approved by a security officer and a board member."""

    relationship = models.OneToOneField(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="exit_note"
    )
    status = models.CharField(
        max_length=12, choices=ExitNoteStatus.choices, default=ExitNoteStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    lock_in = models.CharField(max_length=8, default="low")
    lock_in_score = models.PositiveSmallIntegerField(default=0)
    lock_in_reasons = models.JSONField(default=list)
    generated_at = models.DateTimeField(null=True, blank=True)
    security_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    security_approved_at = models.DateTimeField(null=True, blank=True)
    board_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    board_approved_at = models.DateTimeField(null=True, blank=True)

    objects = CareOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"exit note {self.relationship_id} v{self.version}"


class ExitNoteSection(models.Model):
    note = models.ForeignKey(ExitNote, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(max_length=20000)
    generated_body = models.TextField(blank=True, max_length=20000)  # last generated text
    edited = models.BooleanField(default=False)  # a person changed it since generation
    proposal = models.TextField(blank=True, max_length=20000)  # regenerated, awaiting a person
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["note", "key"], name="exit_section_unique")]

    def __str__(self) -> str:
        return f"{self.note_id}:{self.key}"


class ExitNoteVersion(models.Model):
    """A snapshot after every save, so versions can be compared side by side."""

    note = models.ForeignKey(ExitNote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=dict)  # key → body
    lock_in = models.CharField(max_length=8, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="exit_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.note_id} #{self.number}"


class ExitTestKind(models.TextChoices):
    TABLETOP = "tabletop", _("Tabletop exercise")
    TECHNICAL = "technical", _("Technical test (export or restore)")


class ExitTestOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    PARTLY = "partly", _("Partly passed")
    FAILED = "failed", _("Failed")


class ExitTest(models.Model):
    relationship = models.ForeignKey(
        "suppliers.Relationship", on_delete=models.CASCADE, related_name="exit_tests"
    )
    tested_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ExitTestKind.choices)
    participants = models.CharField(_("participants"), max_length=500)
    outcome = models.CharField(_("outcome"), max_length=8, choices=ExitTestOutcome.choices)
    notes = models.TextField(_("what happened"), blank=True, max_length=4000)
    actions = models.TextField(_("actions"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-tested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.relationship_id} {self.tested_on} {self.outcome}"
