"""Progress of many assessments at once (a supplier's inbox lists up to 200): three queries in
all — the questions of their templates, their answers, their evidence — whatever their number;
each assessment's figures are exactly what `progress` gives for it alone."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Answer, Assessment, Evidence, Question
from .outline import QuestionOutline, SectionRef
from .selectors import AnswerState, progress


def _outlines(template_ids: set[int]) -> dict[int, list[tuple[QuestionOutline, list]]]:
    """Every question of these templates in outline, by template, in page order."""
    rows = (
        Question.objects.filter(template_id__in=template_ids)
        .order_by("template_id", "section__order", "order", "pk")
        .values_list(
            "template_id",
            "pk",
            "code",
            "section_id",
            "section__code",
            "required",
            "show_if",
            "applies_to",
            "evidence",
        )
    )
    by_template: dict[int, list[tuple[QuestionOutline, list]]] = {}
    for template_id, pk, code, section_id, section_code, required, show_if, applies, ev in rows:
        outline = QuestionOutline(
            pk, code, SectionRef(section_id, section_code), required, show_if, ev
        )
        by_template.setdefault(template_id, []).append((outline, applies))
    return by_template


def progress_of_many(assessments: Iterable[Assessment]) -> dict[int, dict]:
    """`progress` of each assessment (with its relationship loaded), by assessment id."""
    assessments = list(assessments)
    if not assessments:
        return {}
    ids = [a.pk for a in assessments]
    outlines = _outlines({a.template_id for a in assessments})
    states: dict[int, dict[str, AnswerState]] = {pk: {} for pk in ids}
    for assessment_id, code, value, prefilled in Answer.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "question__code", "value", "prefilled"):
        states[assessment_id][code] = AnswerState(value, prefilled)
    evidence: dict[int, set[str]] = {pk: set() for pk in ids}
    for assessment_id, code in Evidence.objects.filter(answer__assessment_id__in=ids).values_list(
        "answer__assessment_id", "answer__question__code"
    ):
        evidence[assessment_id].add(code)
    result = {}
    for a in assessments:
        types, asked = a.answered_types, a.asked_codes()
        questions = [
            q
            for q, applies in outlines.get(a.template_id, [])
            if (not applies or types & set(applies)) and (asked is None or q.code in asked)
        ]
        result[a.pk] = progress(
            a, answers=states[a.pk], questions=questions, evidence=evidence[a.pk]
        )
    return result
