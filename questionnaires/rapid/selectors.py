"""Reads for rapid questionnaires: the live board (affected / not affected / no answer yet),
in a fixed number of queries however many relationships a round reaches."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.core.tenancy import visible_to
from suppliers import reach

from ..models import Answer, RapidAssessment
from .services import ANSWERED

AFFECTED_VALUES = ("yes", "investigating")  # "still investigating" counts as affected


def rapid_for(*, membership) -> QuerySet[RapidAssessment]:
    return visible_to(RapidAssessment, membership).select_related("job", "created_by")


def fourth_party_preview(*, care_org, name: str) -> list[dict]:
    """What a rapid questionnaire about fourth party `name` would reach, one entry per live
    relationship with every (product, declared name, reason) that matched; nothing is sent."""
    groups: dict[int, dict] = {}
    for behind in reach.fourth_party_candidates(care_org=care_org, name=name):
        group = groups.setdefault(
            behind.relationship_id,
            {
                "relationship_id": behind.relationship_id,
                "relationship": behind.relationship,
                "supplier": behind.supplier,
                "via": [],
            },
        )
        group["via"].append(behind)
    return list(groups.values())


def board(rapid: RapidAssessment) -> dict:
    """One row per relationship with its answer state, and the counts."""
    rels = list(rapid.relationships.select_related("supplier").order_by("name"))
    assessments = {
        a.relationship_id: a for a in rapid.assessments.all().only("pk", "status", "relationship")
    }
    answered = [a.pk for a in assessments.values() if a.status in ANSWERED]
    values: dict[int, dict[str, object]] = {}
    for assessment_id, code, value in Answer.objects.filter(
        assessment__in=answered, question__code__in=("KI-01", "KI-03", "KI-05", "KI-06")
    ).values_list("assessment_id", "question__code", "value"):
        values.setdefault(assessment_id, {})[code] = value
    rows, counts = [], {"affected": 0, "not_affected": 0, "no_answer": 0}
    for rel in rels:
        a = assessments.get(rel.pk)
        answers = values.get(a.pk, {}) if a else {}
        if a is None or a.status not in ANSWERED:
            state = "no_answer"
        else:
            state = "affected" if answers.get("KI-01") in AFFECTED_VALUES else "not_affected"
        counts[state] += 1
        rows.append(
            {
                "relationship": rel,
                "assessment": a,
                "state": state,
                "answers": answers,
                "contact": answers.get("KI-06") or "",
            }
        )
    return {
        "rows": rows,
        "counts": counts,
        "total": len(rels),
        "answered": counts["affected"] + counts["not_affected"],
        "assessment_ids": sorted(a.pk for a in assessments.values()),
    }
