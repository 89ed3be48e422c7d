"""Reads for questionnaire templates, always scoped with `visible_to`."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from portal.core.tenancy import visible_to

from .models import Question, QuestionnaireTemplate, Section


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
    from portal.core.tenancy import visible_to

    from .models import Assessment

    return visible_to(Assessment, membership).select_related(
        "relationship__care_org", "relationship__supplier", "template"
    )
