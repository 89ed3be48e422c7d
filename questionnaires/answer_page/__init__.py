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

from django.db import models
from django.db.models import F, prefetch_related_objects
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone

from portal.core.accounts.models import Membership
from portal.core.permissions import has_perm
from suppliers.models import SupplierDocument

from .. import assessments as svc
from ..assignments import assignee_for, assignments_of
from ..matching.equivalents import bank_template
from ..models import AssessmentStatus as S
from .labels import CARE_UNSHOWN, UNSHOWN, _labels, _shown, _url_maker
from .review import (
    REVIEW_FILTERS,
    _provisional,
    _review_facts,
    _review_filter,
    _review_marks,
)
from .sections import chosen_block, current_entry, page_query, section_nav, titled


def _layout(rows, *, user, by_section, by_question, only_mine: bool, was=None):
    """Group `rows` [(question, visible)] into section blocks in page order.

    Returns the blocks ({section, assignee, visible, was_visible, rows: [(question, visible,
    visible before)]}) and the shown questions assigned to `user`. `was` ({code: visible}) is
    the visibility before an autosave; without it nothing counts as changed."""
    blocks, mine = [], []
    for q, visible in rows:
        assignee = assignee_for(q, by_section, by_question)
        is_mine = assignee is not None and assignee.pk == user.pk
        if only_mine and not is_mine:
            continue
        if visible and is_mine:
            mine.append(q)
        if not blocks or blocks[-1]["section"].pk != q.section_id:
            hit = by_section.get(q.section.code)
            blocks.append(
                {
                    "section": q.section,
                    "assignee": hit.assignee if hit else None,
                    "visible": False,
                    "was_visible": False,
                    "rows": [],
                }
            )
        before = visible if was is None else was[q.code]
        block = blocks[-1]
        block["visible"] = block["visible"] or visible
        block["was_visible"] = block["was_visible"] or before
        block["rows"].append((q, visible, before))
    return blocks, mine


def _items(rows, answers, *, lang, is_supplier, by_question, urls, full=None) -> list[dict]:
    """What the template needs per question; `full` maps codes of outline rows to questions."""
    items = []
    for q, visible, before in rows:
        q = full[q.code] if full is not None else q
        if not visible:
            items.append({"q": q, "hidden": True, "changed": before})
            continue
        ans = answers.get(q.code)
        choices = svc.choices_for(q)
        hit = by_question.get(q.code)
        items.append(
            {
                "q": q,
                "a": ans,
                "choices": choices,
                "files": list(ans.evidence.all()) if ans is not None else [],
                # The supplier never sees the care organisation's internal notes.
                "thread": [m for m in ans.messages.all() if not (is_supplier and m.internal)]
                if ans is not None
                else [],
                "shown": _shown(ans.value if ans is not None else None, choices, lang),
                "assignee": hit.assignee if hit else None,
                "changed": not before,
                "urls": urls(q.code),
            }
        )
    return items


def _mark_prefilled_from_bank(blocks, *, lang: str) -> None:
    """A prefilled answer of a question matched to the bank says which bank question it answered
    and how that question was worded (DESIGN §14: never silently). One query, only when needed."""
    waiting = [
        item
        for block in blocks
        for item in block["items"]
        if item.get("a") is not None and item["a"].prefilled and item["q"].equivalent_code
    ]
    if not waiting:
        return
    bank = bank_template()
    texts = {}
    if bank is not None:
        codes = {item["q"].equivalent_code for item in waiting}
        texts = dict(bank.questions.filter(code__in=codes).values_list("code", f"text_{lang}"))
    for item in waiting:
        code = item["q"].equivalent_code
        if item["q"].code != code:
            item["prefilled_from"] = {"code": code, "text": texts.get(code, "")}


def _flags(
    request, a, is_supplier: bool, *, documents: bool = True, colleagues: bool = True
) -> dict:
    """Who may do what on the page now, and the pick lists the answer forms offer
    (`documents`: whether any question shown takes evidence, so needs the documents;
    `colleagues`: whether a section's assignment form is shown, so needs the colleagues)."""
    membership = request.membership
    answering = is_supplier and a.status in svc.ANSWERABLE
    return {
        "a": a,
        "is_supplier": is_supplier,
        "can_answer": answering and has_perm(membership, "supplier.answer"),
        "can_submit": is_supplier
        and has_perm(membership, "supplier.submit")
        and a.status in (S.IN_PROGRESS, S.CLARIFICATION_REQUESTED),
        "can_review": not is_supplier
        and has_perm(membership, "assessment.review")
        and a.status in (S.SUBMITTED, S.IN_REVIEW),
        "clarification_round": a.status == S.CLARIFICATION_REQUESTED,
        "colleagues": _colleagues(a) if answering and colleagues else [],
        "documents": _shared_documents(request) if answering and documents else [],
        "labels": _labels(),
        "assign_url": reverse("assessment_assign", args=[a.pk]),
        "csrf_input": csrf_input(request),
    }


def _lang(request) -> str:
    return "en" if request.LANGUAGE_CODE.startswith("en") else "nl"


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
    if flags["can_review"]:
        _review_inputs(shown, review_error)
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


def autosave_context(request, a, *, question, states: dict, saved) -> dict:
    """What one supplier autosave of `question` re-renders: `oob_items` (the question and the
    questions its answer showed or hid) and `oob_sections` (sections it showed or hid).
    `states` are the answers before the save (`answer_states`), `saved` the saved answer
    (None: the save was refused, nothing changed)."""
    code = question.code
    outline = svc.question_outline(a)
    after = states if saved is None else {**states, code: svc.AnswerState(saved.value, False)}
    was = {q.code: shown for q, shown in svc.visible_questions(a, states, questions=outline)}
    now = svc.visible_questions(a, after, questions=outline)
    only_mine = request.GET.get("mine") == "1"
    everything = request.GET.get("all") == "1"
    progress = svc.progress(a, answers=after, questions=outline)
    if saved is not None and not only_mine and all(was[q.code] == shown for q, shown in now):
        # The usual autosave: nothing showed or hid. Only the answer form (its new version,
        # "Saved"), the section's count and the progress change: no assignments, files,
        # messages or documents are read to render the rest of the question again.
        blocks, _mine = _layout(now, user=request.user, by_section={}, by_question={},
                                only_mine=False, was=was)  # fmt: skip
        current = next(b for b in blocks if b["section"].pk == question.section_id)
        nav = section_nav(blocks, after, set(progress["required_open_codes"]), current)
        item = {"q": question, "a": saved, "choices": svc.choices_for(question),
                "urls": _url_maker(a)(code)}  # fmt: skip
        return {
            **_flags(request, a, is_supplier=True, documents=False, colleagues=False),
            "progress": progress,
            "form_item": item,
            "oob_sections": [],
            "oob_items": [],
            "section_nav": [],
            "section_counts": [e for e in nav if e["current"]] if len(nav) > 1 else [],
            "everything": everything,
            "page_query": page_query(only_mine=False, everything=everything),
        }
    by_section, by_question = assignments_of(a)
    blocks, _mine = _layout(
        now,
        user=request.user,
        by_section=by_section,
        by_question=by_question,
        only_mine=only_mine,
        was=was,
    )
    # One section at a time: only the saved question's section is on the page; a follow-up
    # the answer showed or hid elsewhere changes that section's entry in the navigation.
    here = [b for b in blocks if everything or b["section"].pk == question.section_id]
    flipped = [b for b in here if b["visible"] != b["was_visible"]]
    changed = [
        row
        for b in here
        if b["visible"] == b["was_visible"]
        for row in b["rows"]
        if row[0].code == code or row[1] != row[2]
    ]
    wanted = {row[0].code for b in flipped for row in b["rows"]} | {r[0].code for r in changed}
    full = {code: question}
    if wanted - {code}:  # follow-ups shown or hidden: their texts too
        full.update(
            (q.code, q)
            for q in a.template.questions.filter(code__in=wanted - {code})
            .select_related("section")
            .defer(*UNSHOWN)
        )
    if saved is not None and wanted == {code}:  # the usual case: only the saved question
        answers = {code: saved}
        prefetch_related_objects([saved], "evidence", "messages__author")
    else:
        answers = {
            x.code: x
            for x in a.answers.filter(question__code__in=wanted)
            .annotate(code=F("question__code"))
            .prefetch_related("evidence", "messages__author")
        }
    options = {
        "lang": _lang(request),
        "is_supplier": True,
        "by_question": by_question,
        "urls": _url_maker(a),
    }
    for block in flipped:
        block["items"] = _items(block["rows"], answers, full=full, **options)
        block["section"] = block["items"][0]["q"].section
    evidence = any(
        full[c].evidence != "none" or full[c].answer_type == "file" for c in wanted if c in full
    )
    # The navigation's counts of the saved question's section change; when a section appeared
    # or disappeared the whole navigation is sent again (then with the sections' titles).
    current = next((b for b in blocks if b["section"].pk == question.section_id), None)
    restructured = any(b["visible"] != b["was_visible"] for b in blocks)
    if restructured:
        titled(blocks, {s.pk: s for s in a.template.sections.all()})
    nav = section_nav(blocks, after, set(progress["required_open_codes"]), current)
    return {
        **_flags(request, a, is_supplier=True, documents=evidence, colleagues=bool(flipped)),
        "progress": progress,
        "oob_sections": flipped,
        "oob_items": _items(changed, answers, full=full, **options),
        "section_nav": nav if restructured and len(nav) > 1 else [],
        "section_here": current_entry(nav) if restructured else None,
        "section_counts": [e for e in nav if e["current"]] if saved and len(nav) > 1 else [],
        "everything": everything,
        "page_query": page_query(only_mine=request.GET.get("mine") == "1", everything=everything),
    }


def _shared_documents(request):

    return list(
        SupplierDocument.objects.visible_to(request.membership)
        .filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=timezone.localdate())
        )
        .only("pk", "title", "valid_until")
    )


def _colleagues(a):

    return [
        m.user
        for m in Membership.objects.active()
        .filter(organisation=a.relationship.supplier)
        .select_related("user")
        .order_by("user__name", "user__email")
    ]


__all__ = ["REVIEW_FILTERS", "autosave_context", "page_context"]
