"""Reads for questionnaire templates, always scoped with `visible_to`."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from portal.core.tenancy import visible_to

from .answer_text import answer_text
from .models import (
    Assessment,
    AssessmentStatus,
    Finding,
    LibraryAnswer,
    Question,
    QuestionnaireTemplate,
    RiskDecision,
    Section,
    TemplateStatus,
)


def templates_for(*, membership, published_only: bool = False) -> QuerySet[QuestionnaireTemplate]:
    qs = visible_to(QuestionnaireTemplate, membership).annotate(question_count=Count("questions"))
    if published_only:
        qs = qs.published()
    return qs.order_by("key", "-version")


def sections_of(*, template: QuestionnaireTemplate) -> QuerySet[Section]:
    return template.sections.order_by("order", "pk")


def questions_of(*, template: QuestionnaireTemplate) -> QuerySet[Question]:
    return template.questions.select_related("section").order_by("section__order", "order", "pk")


def propose_template(*, membership, relationship):
    """DESIGN §5: the full bank for critical and high tiers, the light bank for medium and low."""
    key = (
        "zorg-leveranciers"
        if relationship.inherent_tier in ("critical", "high")
        else "zorg-leveranciers-licht"
    )
    published = templates_for(membership=membership, published_only=True)
    return published.filter(key=key).order_by("-version").first() or published.first()


def assessments_for(*, membership):
    # `joint`: whether it leads a joint assessment, in the same query (DESIGN §14).
    return visible_to(Assessment, membership).select_related(
        "relationship__care_org", "relationship__supplier", "template", "joint"
    )


def assessment_to_answer(*, membership, pk: int):
    """One assessment for an autosave, 404 when not visible, its row locked until the caller's
    transaction ends (`answer_save_locked`). Only what saving an answer reads comes along (the
    relationship for the show_if facts, its care organisation for the audit event, the
    template for its cached outline), not the page's supplier and joint joins."""
    qs = visible_to(Assessment, membership).select_related("relationship", "template")
    qs = qs.only(*ASSESSMENT_TO_ANSWER)
    return get_object_or_404(qs.select_for_update(of=("self",)), pk=pk)


# What an autosave reads of the assessment (its state and what decides which questions it
# asks), its relationship (the show_if facts, the supplier for the colleagues, the name for an
# audit event's label) and its template (the cached outline's key, the label): not the
# message, dates, scores, the relationship's risk explanation or the template's descriptions.
# A field not read here is read when used; a page rendered after the save reads it all again.
ASSESSMENT_TO_ANSWER = (
    *("id", "relationship", "care_org", "template", "status", "due_date"),
    *("joint_source", "joint_types", "only_codes", "follows_up", "from_profile"),
    *(
        f"relationship__{name}"
        for name in (
            "care_org",
            "supplier",
            "name",
            "supplier_types",
            "status",
            "intake_data",
            "intake_volume",
            "intake_continuity",
            "intake_access",
            "intake_substitutability",
            "inherent_tier",
            "residual_risk",
            "control_band",
        )
    ),
    *("template__status", "template__published_at", "template__key", "template__version"),
    *("template__title_nl", "template__title_en"),
)


def library_entries(*, membership, lang: str) -> list:
    """The supplier's answer library, each entry with the question it answers (`question_text`)
    and its answer in words (`answer_shown`), from the questionnaire it was last confirmed in
    (or any published version of that question code)."""
    entries = list(
        visible_to(LibraryAnswer, membership)
        .select_related("product", "source")
        .order_by("code", "product__name", "pk")
    )
    return library_describe(entries, lang)


def library_describe(entries: list, lang: str) -> list:
    """Each library entry with `question_text` and `answer_shown` (see library_entries)."""
    codes = {e.code for e in entries}
    by_template = {
        (q.template_id, q.code): q
        for q in Question.objects.filter(
            template_id__in={e.source.template_id for e in entries if e.source}, code__in=codes
        )
    }
    published = {}
    for q in Question.objects.filter(
        code__in=codes, template__status=TemplateStatus.PUBLISHED
    ).order_by("template__version"):
        published[q.code] = q  # the newest published version wins
    for e in entries:
        q = by_template.get((e.source.template_id, e.code)) if e.source else None
        q = q or published.get(e.code)
        e.question_text = (q.text_en if lang == "en" else q.text_nl) if q else ""
        e.answer_shown = answer_text(q, e.value, lang) if q else str(e.value)
    return entries


def questions_by_code(*, assessment, codes: list[str]) -> list[Question]:
    """The assessment's questions with these codes (with their sections), in the codes' order:
    what a list of missing or unscored questions shows and links to."""
    found = {
        q.code: q
        for q in assessment.template.questions.filter(code__in=codes).select_related("section")
    }
    return [found[c] for c in codes if c in found]


# -- what the relationship dossier (portal/top/dossier) shows of this layer ---------------------


def relationship_assessments(relationship) -> QuerySet:
    """Every assessment of the relationship, newest first."""
    return (
        Assessment.objects.filter(relationship=relationship)
        .select_related("template")
        .order_by("-created_at")
    )


def latest_completed_assessment(relationship):
    """The assessment whose result the relationship's risk shows, or None."""
    return (
        Assessment.objects.filter(relationship=relationship, status=AssessmentStatus.COMPLETED)
        .select_related("template")
        .order_by("-completed_at", "-pk")
        .first()
    )


def relationship_findings(relationship) -> QuerySet:
    return Finding.objects.filter(relationship=relationship).order_by("due_date", "pk")


def residual_risk_decisions(relationship) -> QuerySet:
    """Decisions on the relationship's residual risk as a whole (not on one finding)."""
    return RiskDecision.objects.filter(
        relationship=relationship, finding__isnull=True
    ).select_related("proposed_by", "decided_by")
