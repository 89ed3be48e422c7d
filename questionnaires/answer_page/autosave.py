"""What one supplier autosave re-renders of the questionnaire page (see the package)."""

from __future__ import annotations

from django.db.models import F, prefetch_related_objects
from django.urls import reverse

from .. import assessments as svc
from ..assignments import assignments_of
from .labels import QUESTION_URLS, UNSHOWN, _url_maker
from .parts import _flags, _items, _lang, _layout, _mark_editable
from .sections import current_entry, page_query, section_nav, titled


def autosave_context(request, a, *, question, states: dict, saved) -> dict:
    """What one supplier autosave of `question` re-renders: `oob_items` (the question and the
    questions its answer showed or hid) and `oob_sections` (sections it showed or hid).
    `states` are the answers before the save (`answer_states`), `saved` the saved answer
    (None: the save was refused, nothing changed)."""
    code = question.code
    outline = svc.question_outline(a)
    after = states if saved is None else {**states, code: svc.AnswerState(saved.value, False)}
    now = svc.visible_questions(a, after, questions=outline)
    # Only the saved answer changed: the questions whose show_if names it are decided again.
    was = {q.code: shown for q, shown in now}
    if saved is not None:
        was = svc.visible_before(a, now, states, code)
    only_mine = request.GET.get("mine") == "1"
    everything = request.GET.get("all") == "1"
    progress = svc.progress(a, answers=after, visible=now)
    if saved is not None and not only_mine and all(was[q.code] == shown for q, shown in now):
        return _saved_only(
            request, a, question=question, saved=saved, now=now, after=after, progress=progress
        )
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
    flags = _flags(request, a, is_supplier=True, documents=evidence, colleagues=bool(flipped))
    oob_items = _items(changed, answers, full=full, **options)
    for items in [oob_items, *(block["items"] for block in flipped)]:
        _mark_editable(items, flags)
    return {
        **flags,
        "progress": progress,
        "oob_sections": flipped,
        "oob_items": oob_items,
        "section_nav": nav if restructured and len(nav) > 1 else [],
        "section_here": current_entry(nav) if restructured else None,
        "section_counts": [e for e in nav if e["current"]] if saved and len(nav) > 1 else [],
        "everything": everything,
        "page_query": page_query(only_mine=request.GET.get("mine") == "1", everything=everything),
    }


def _saved_only(request, a, *, question, saved, now, after, progress) -> dict:
    """The usual autosave: nothing showed or hid. Only the answer form (its new version,
    "Saved"), the section's count and the progress change: no assignments, files, messages or
    documents are read to render the rest of the question again, and only the saved
    question's section is counted."""
    here = [(q, shown, shown) for q, shown in now if q.section_id == question.section_id]
    block = {"section": question.section, "visible": any(row[1] for row in here), "rows": here}
    nav = section_nav([block], after, set(progress["required_open_codes"]), block)
    several = len({q.section_id for q, shown in now if shown}) > 1
    everything = request.GET.get("all") == "1"
    # The answer form's only address: the question's other URLs are not reversed.
    save = reverse(QUESTION_URLS["save"], kwargs={"pk": a.pk, "code": question.code})
    item = {"q": question, "a": saved, "choices": svc.choices_for(question), "urls": {"save": save}}
    return {
        **_flags(request, a, is_supplier=True, documents=False, colleagues=False),
        "progress": progress,
        "form_item": item,
        "oob_sections": [],
        "oob_items": [],
        "section_nav": [],
        "section_counts": nav if several else [],
        "everything": everything,
        "page_query": page_query(only_mine=False, everything=everything),
    }
