"""The cached outline of a published questionnaire: its questions' codes, sections, rules and
requirements, without their texts, read once per process (DESIGN §16: an autosave reads its
questionnaire's outline, and the question it saves, without a query)."""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import NamedTuple

from ..models import Question


class SectionRef(NamedTuple):
    pk: int
    code: str


class QuestionOutline(NamedTuple):
    """What visibility, progress and assignments need of a question, without its texts."""

    pk: int
    code: str
    section: SectionRef
    required: bool
    show_if: dict | None
    evidence: str = "none"

    @property
    def section_id(self) -> int:
        return self.section.pk


# Outlines of published templates, which never change (the builder edits drafts only): an
# autosave then reads its questionnaire's outline, and the question it saves, without a query.
# Per process, bounded; each entry: {"outline": [...] once read, "questions": {code: question},
# "codes": {question id: code}}.
_OUTLINES: OrderedDict[tuple, dict] = OrderedDict()
_OUTLINES_KEPT = 64


def forget_outline(template_id: int) -> None:
    """Drop a template's cached outline (its questions were changed outside the builder)."""
    for key in [k for k in _OUTLINES if k[0] == template_id]:
        _OUTLINES.pop(key, None)


def _cache_entry(template) -> dict | None:
    """The cache entry of a published template (made empty when missing); None for others."""
    if template.status != "published" or template.published_at is None:
        return None
    key = (template.pk, template.published_at)
    entry = _OUTLINES.get(key)
    if entry is None:
        entry = _OUTLINES[key] = {"outline": None, "questions": {}, "codes": None}
        while len(_OUTLINES) > _OUTLINES_KEPT:
            _OUTLINES.popitem(last=False)
    _OUTLINES.move_to_end(key)
    return entry


def _template_outline(template) -> list[tuple[QuestionOutline, list]]:
    entry = _cache_entry(template)
    if entry is not None and entry["outline"] is not None:
        return entry["outline"]
    rows = template.questions.order_by("section__order", "order", "pk").values_list(
        "pk", "code", "section_id", "section__code", "required", "show_if", "applies_to", "evidence"
    )
    outline = [
        (
            QuestionOutline(pk, code, SectionRef(section_id, section_code), required, show_if, ev),
            applies_to,
        )
        for pk, code, section_id, section_code, required, show_if, applies_to, ev in rows
    ]
    if entry is not None:
        entry["outline"] = outline
    return outline


def _template_question(template, code: str) -> Question | None:
    """The template's question `code` with its section; of a published template from the
    cache after the first read (a copy each time: a caller may set attributes on it)."""
    entry = _cache_entry(template)
    known = entry["questions"] if entry is not None else {}
    if code not in known:
        question = template.questions.select_related("section").filter(code=code).first()
        if question is None or entry is None:
            return question
        known[code] = question
    return copy.copy(known[code])


def _codes_by_pk(template) -> dict[int, str] | None:
    """{question id: code} of a published template, from its cached outline; None for others."""
    entry = _cache_entry(template)
    if entry is None:
        return None
    if entry["codes"] is None:
        entry["codes"] = {q.pk: q.code for q, _applies in _template_outline(template)}
    return entry["codes"]
