"""The questionnaire page for both sides, and what one autosave re-renders of it.

The page lists every applicable question by section. A question its `show_if` hides, and a
section without a shown question, is an empty placeholder, so an autosave can show it in
place. An autosave reads only the outline of the questionnaire (codes, sections, `show_if`,
required) and the answers' values, works out what the saved answer showed or hid, and renders
just that: the question, the questions and sections that changed, the actions and the progress
(swapped out of band by htmx). A 300-question questionnaire then costs an autosave a handful
of small queries instead of rendering 300 questions.
"""

from __future__ import annotations

from django.db.models import F, prefetch_related_objects

from .. import assessments as svc
from ..assignments import assignments_of
from ..joint.selectors import joint_banner
from ..sharing.origin import mark_stale, profile_origin
from .autosave import autosave_context
from .labels import CARE_UNSHOWN, UNSHOWN, _url_maker
from .parts import _flags, _items, _lang, _layout, _mark_editable, _mark_prefilled_from_bank
from .review import (
    REVIEW_FILTERS,
    _provisional,
    _review_facts,
    _review_filter,
    _review_marks,
)
from .sections import chosen_block, current_entry, page_query, section_nav, titled


def page_context(request, a, *, review_error: dict | None = None, focus: str = "") -> dict:
    """Everything the questionnaire page shows, for the supplier or the care organisation:
    one section at a time (`sections.py`), everything with `?all=1` or a reviewer's filter.
    `review_error` ({code, error, field, values}) re-shows a refused verdict with its input;
    `focus` is a question code whose section to show (after a POST, which has no `?q=`)."""
    is_supplier = request.membership.organisation.kind == "supplier"
    lang = _lang(request)
    every = {x.code: x for x in a.answers.annotate(code=F("question__code"))}
    # The care organisation never sees a prefilled answer the supplier has not confirmed.
    answers = every if is_supplier else {c: x for c, x in every.items() if not x.prefilled}
    # The supplier's page reads every question only in outline and the shown ones in full; the
    # care side reads the knock-out and reviewer-scored flags of all: its page counts them.
    questions = (
        svc.question_outline(a) if is_supplier else svc.applicable_questions(a, defer=CARE_UNSHOWN)
    )
    # Assignments are the supplier's own business: the care organisation never sees them.
    by_section, by_question = assignments_of(a) if is_supplier else ({}, {})
    only_mine = is_supplier and request.GET.get("mine") == "1"
    blocks, mine = _layout(
        svc.visible_questions(a, answers, questions=questions),
        user=request.user,
        by_section=by_section,
        by_question=by_question,
        only_mine=only_mine,
    )
    titled(blocks, {s.pk: s for s in a.template.sections.all()})
    flags = _flags(request, a, is_supplier)
    progress = svc.progress(a, answers=every, questions=questions)
    open_codes = set(progress["required_open_codes"])
    facts = None if is_supplier else _review_facts(a)
    counts, show, needs_score = {}, "", []
    if facts is not None:
        marks = [{"q": row[0]} for b in blocks for row in b["rows"] if row[1]]
        _review_marks(marks, answers, facts)
        counts = {
            "all": len(marks),
            "cost": sum(1 for i in marks if i["lost"] is not None),
            "open": sum(1 for i in marks if i["to_review"]),
        }
        needs_score = [i["q"] for i in marks if i["needs_score"]]
        show = request.GET.get("show", "") if flags["can_review"] else ""
        show = show if show in REVIEW_FILTERS else ""
    everything = request.GET.get("all") == "1" or bool(show)
    current = None if everything else chosen_block(blocks, request.GET, focus=focus)
    shown = blocks if everything else [b for b in blocks if b is current]
    full = None
    if is_supplier:
        codes = {row[0].code for b in shown for row in b["rows"] if row[1]}
        full = {
            q.code: q
            for q in a.template.questions.filter(code__in=codes)
            .select_related("section")
            .defer(*UNSHOWN)
        }
        full.update((row[0].code, row[0]) for b in shown for row in b["rows"] if not row[1])
    on_page = [answers[row[0].code] for b in shown for row in b["rows"] if row[0].code in answers]
    prefetch_related_objects(on_page, "evidence", "messages__author")
    urls = _url_maker(a)
    for block in shown:
        block["items"] = _items(
            block["rows"],
            answers,
            lang=lang,
            is_supplier=is_supplier,
            by_question=by_question,
            urls=urls,
            full=full,
        )
    if is_supplier:
        _mark_prefilled_from_bank(shown, lang=lang)
    if facts is not None:
        for block in shown:
            _review_marks(block["items"], answers, facts)
        if show:
            _review_filter(shown, show)
    if not is_supplier:
        mark_stale(shown, a)
    if flags["can_review"]:
        _review_inputs(shown, review_error)
    for block in shown:
        _mark_editable(block["items"], flags)
    nav = section_nav(blocks, answers, open_codes, current)
    missing = []
    if flags["can_submit"] and request.GET.get("missing") == "1":
        evidence_open = set(progress["evidence_open_codes"])
        texts = {
            q.code: q
            for q in a.template.questions.filter(code__in=open_codes).select_related("section")
        }
        missing = [
            {"q": texts[q.code], "evidence": q.code in evidence_open}
            for q in questions
            if q.code in open_codes
        ]
    return {
        **flags,
        "joint_banner": joint_banner(a, request.membership),
        "sections": shown,
        "section_nav": nav if len(nav) > 1 else [],
        "section_here": current_entry(nav),
        "everything": everything,
        "page_query": page_query(only_mine=only_mine, everything=everything and not show),
        "any_visible": any(block["visible"] for block in blocks),
        "progress": progress,
        # After a refused submission: what is missing, each linked to its question.
        "missing": missing,
        "review_counts": counts,
        "review_show": show,
        "needs_score": needs_score,
        "provisional": _provisional(a) if not is_supplier else None,
        "profile_origin": profile_origin(a, answers, is_supplier=is_supplier),
        "mine": mine,
        "mine_open": [q for q in mine if q.code not in answers or answers[q.code].prefilled],
        "only_mine": only_mine,
    }


def _review_inputs(blocks, review_error) -> None:
    """The reviewer's form values per shown question (a refused verdict keeps its input)."""
    for item in (i for b in blocks for i in b["items"] if not i.get("hidden")):
        ans = item["a"]
        item["review"] = {
            "verdict": ans.verdict if ans else "",
            "message": "",
            "score_override": float(ans.score_override)
            if ans and ans.score_override is not None
            else None,
            "motivation": ans.override_motivation if ans else "",
        }
        if review_error and item["q"].code == review_error["code"]:
            item["review"], item["review_error"] = review_error["values"], review_error


__all__ = ["REVIEW_FILTERS", "autosave_context", "page_context"]
