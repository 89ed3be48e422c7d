"""Questionnaire templates: versioned sets of sections and questions (DESIGN §4, FORMATS.md).

A published version is immutable: services refuse to change it and "new version" copies it
into a draft. Question codes stay stable across versions. Also the saved spreadsheet mappings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet

from .common import _missing, _missing_labels, _pick


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

    @property
    def missing_languages(self) -> list[str]:
        return _missing(self, "title")

    @property
    def missing_language_labels(self) -> list[str]:
        return _missing_labels(self, "title")


# Sent after questions were changed in bulk (`QuerySet.update`), with the templates' ids: the
# cached outlines of published questionnaires (`assessments.selectors`) forget them.
questions_updated = Signal()


class QuestionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """A bulk change (a data fix: the builder edits drafts question by question) tells the
        caches of the questions' templates, as a save or delete does."""
        template_ids = set(self.values_list("template_id", flat=True))
        count = super().update(**kwargs)
        questions_updated.send(sender=Question, template_ids=template_ids)
        return count


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
    # The shipped bank's question that asks the same thing, confirmed by a person (DESIGN §14):
    # the supplier's answer library then covers this question too.
    equivalent_code = models.CharField(_("equivalent bank question"), max_length=20, blank=True)
    advice_nl = models.TextField(_("advice (Dutch)"), blank=True, max_length=4000)
    advice_en = models.TextField(_("advice (English)"), blank=True, max_length=4000)

    objects = QuestionQuerySet.as_manager()

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
    def missing_languages(self) -> list[str]:
        """Languages without the question text: an import of a one-language sheet leaves the
        other empty (shown in the builder) instead of copying it."""
        return _missing(self, "text")

    @property
    def missing_language_labels(self) -> list[str]:
        return _missing_labels(self, "text")

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
