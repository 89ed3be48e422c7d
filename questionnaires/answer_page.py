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

from urllib.parse import quote

from django.db import models
from django.db.models import F
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.accounts.models import Membership
from portal.core.permissions import has_perm
from suppliers.models import Band, SupplierDocument, Tier

from . import assessments as svc
from .assignments import assignee_for, assignments_of
from .models import AssessmentStatus as S


def _shown(value, choices, lang: str) -> str:
    """An answer as a person reads it: choice labels instead of codes."""
    if value is None or value == "":
        return ""
    labels = {c["value"]: (c.get("label") or {}).get(lang) or c["value"] for c in choices}
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


def _labels() -> dict[str, str]:
    """The texts every question repeats, translated once per page instead of 300 times."""
    return {
        "accept": _("Accept"),
        "answer": _("Answer"),
        "answer_by_attaching": _("Answer this question by attaching the document below."),
        "ask_for_clarification": _("Ask for clarification"),
        "assign": _("Assign"),
        "assign_this_question": _("Assign this question"),
        "assigned_to": _("Assigned to"),
        "attach": _("Attach"),
        "confirm": _("Confirm"),
        "evidence": _("Evidence"),
        "evidence_optional": _("Evidence (optional)"),
        "evidence_required": _("Evidence (required)"),
        "explanation_optional": _("Explanation (optional)"),
        "internal_note": _("internal note"),
        "knockout_fired": _("knock-out fired"),
        "knockout_fired_hint": _(
            "This knock-out question scored below 0.5: the residual risk is at least high."
        ),
        "knockout_question": _("knock-out question"),
        "knockout_question_hint": _(
            "Only a score below 0.5 fires it and raises the residual risk to at least high."
        ),
        "needs_score": _("needs your score"),
        "needs_score_hint": _(
            "Accept or reject this answer, or give a score override. Until then the assessment "
            "cannot be completed."
        ),
        "points_lost": _("points lost"),
        "review_saved": _("Review saved."),
        "internal_note_hint": _("Internal note (the supplier never sees it)"),
        "message": _("Message"),
        "message_or_internal_note": _("Message or internal note"),
        "message_to_the_supplier": _("Message to the supplier"),
        "motivation": _("Motivation"),
        "no_verdict": _("— choose —"),
        "nobody_section_assignee": _("nobody (the section's assignee)"),
        "not_answered": _("not answered"),
        "or_attach_document": _("or attach one of your documents"),
        "prefilled": _("Prefilled from your answer library — please confirm."),
        "reject": _("Reject"),
        "reply_or_ask_a_question": _("Reply or ask a question"),
        "required": _("required"),
        "save": _("Save"),
        "saved": _("Saved"),
        "score_override": _("Score override (0–1)"),
        "send": _("Send"),
        "valid_until": _("valid until"),
        "verdict": _("Verdict"),
        "yours": _("yours"),
    }


# Question fields the page never shows (scoring and advice): not read for 300 questions.
UNSHOWN = ("weight", "knockout", "severity", "bands", "reviewer_scored", "references")
UNSHOWN += ("advice_nl", "advice_en")
CARE_UNSHOWN = tuple(f for f in UNSHOWN if f not in ("knockout", "reviewer_scored"))

QUESTION_URLS = {
    "save": "assessment_answer_save",
    "evidence": "assessment_evidence_upload",
    "pick": "assessment_evidence_pick",
    "message": "assessment_answer_message",
    "review": "assessment_answer_review",
}
_CODE = "__code__"  # never a question code: codes are upper-case


def _url_maker(a):
    """Each question's form URLs: reversed once per page, then filled in per question."""
    patterns = {
        key: reverse(name, kwargs={"pk": a.pk, "code": _CODE})
        for key, name in QUESTION_URLS.items()
    }

    def urls(code: str) -> dict[str, str]:
        quoted = quote(code)
        return {key: p.replace(_CODE, quoted) for key, p in patterns.items()}

    return urls


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


def _flags(request, a, is_supplier: bool, *, documents: bool = True) -> dict:
    """Who may do what on the page now, and the pick lists the answer forms offer
    (`documents`: whether any question shown takes evidence, so needs the documents)."""
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
        "colleagues": _colleagues(a) if answering else [],
        "documents": _shared_documents(request) if answering and documents else [],
        "labels": _labels(),
        "assign_url": reverse("assessment_assign", args=[a.pk]),
        "csrf_input": csrf_input(request),
    }


def _lang(request) -> str:
    return "en" if request.LANGUAGE_CODE.startswith("en") else "nl"


REVIEW_FILTERS = ("cost", "open")  # answers that cost points, answers still to review


def _review_facts(a) -> dict | None:
    """What the care organisation's page says about scoring per question: the points each answer
    costs and the knock-outs that fired — re-scored live while reviewing, as stored once
    completed. None before submission (nothing to score yet)."""
    if a.status in (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED):
        result = svc.score(a)
        explanation, knockouts = result.explanation, result.knockouts
    elif a.status == S.COMPLETED:
        stored = a.scores or {}
        explanation, knockouts = stored.get("explanation", []), stored.get("knockouts", [])
    else:
        return None
    return {
        "lost": {e["question"]: e["points_lost"] for e in explanation},
        "knockouts": set(knockouts),
    }


def _review_marks(items, answers, facts) -> None:
    """Mark each shown question for the reviewer: points lost, knock-out (question, and fired
    only when the risk model says so: q < 0.5, DESIGN §6.5), needs a score, still to review."""
    for item in items:
        if item.get("hidden"):
            continue
        q, ans = item["q"], answers.get(item["q"].code)
        item["lost"] = facts["lost"].get(q.code)
        item["knockout_fired"] = q.code in facts["knockouts"]
        item["needs_score"] = svc.needs_reviewer_score(q, ans)
        item["to_review"] = item["needs_score"] or (
            ans is not None and ans.value not in (None, "", []) and not ans.verdict
        )


def _review_filter(blocks, show: str) -> None:
    """Keep only the questions the reviewer asked for; sections left empty are hidden."""
    wanted = {
        "cost": lambda item: item.get("lost") is not None,
        "open": lambda item: item.get("to_review"),
    }[show]
    for block in blocks:
        block["items"] = [i for i in block["items"] if not i.get("hidden") and wanted(i)]
        block["visible"] = bool(block["items"])


def page_context(request, a, *, review_error: dict | None = None) -> dict:
    """Everything the questionnaire page shows, for the supplier or the care organisation.
    `review_error` ({code, error, field, values}) re-shows a refused verdict with its input."""
    rows = a.answers.annotate(code=F("question__code")).prefetch_related(
        "evidence", "messages__author"
    )
    is_supplier = request.membership.organisation.kind == "supplier"
    every = {x.code: x for x in rows}
    # The care organisation never sees a prefilled answer the supplier has not confirmed.
    answers = every if is_supplier else {c: x for c, x in every.items() if not x.prefilled}
    # The care side reads the knock-out and reviewer-scored flags: its page marks them.
    questions = svc.applicable_questions(a, defer=UNSHOWN if is_supplier else CARE_UNSHOWN)
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
    urls = _url_maker(a)
    for block in blocks:
        block["items"] = _items(
            block["rows"],
            answers,
            lang=_lang(request),
            is_supplier=is_supplier,
            by_question=by_question,
            urls=urls,
        )
    flags = _flags(request, a, is_supplier)
    progress = svc.progress(
        a,
        answers=every,
        questions=questions,
        evidence={code for code, x in every.items() if x.evidence.all()},
    )
    facts = None if is_supplier else _review_facts(a)
    counts, show = {}, ""
    if facts is not None:
        for block in blocks:
            _review_marks(block["items"], answers, facts)
        shown = [i for b in blocks for i in b["items"] if not i.get("hidden")]
        counts = {
            "all": len(shown),
            "cost": sum(1 for i in shown if i["lost"] is not None),
            "open": sum(1 for i in shown if i["to_review"]),
        }
        needs_score = [i["q"] for i in shown if i["needs_score"]]
        show = request.GET.get("show", "") if flags["can_review"] else ""
        if show in REVIEW_FILTERS:
            _review_filter(blocks, show)
        else:
            show = ""
    if flags["can_review"]:
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
    open_codes = set(progress["required_open_codes"])
    evidence_open = set(progress["evidence_open_codes"])
    return {
        **flags,
        "sections": blocks,
        "any_visible": any(block["visible"] for block in blocks),
        "progress": progress,
        # After a refused submission: what is missing, each linked to its question.
        "missing": [
            {"q": q, "evidence": q.code in evidence_open} for q in questions if q.code in open_codes
        ]
        if flags["can_submit"] and request.GET.get("missing") == "1"
        else [],
        "review_counts": counts,
        "review_show": show,
        "needs_score": needs_score if facts is not None else [],
        "provisional": _provisional(a) if not is_supplier else None,
        "mine": mine,
        "mine_open": [q for q in mine if q.code not in answers or answers[q.code].prefilled],
        "only_mine": only_mine,
    }


def autosave_context(request, a, *, question, states: dict, saved) -> dict:
    """What one supplier autosave of `question` re-renders: `oob_items` (the question and the
    questions its answer showed or hid) and `oob_sections` (sections it showed or hid).
    `states` are the answers before the save (`answer_states`), `saved` the saved answer
    (None: the save was refused, nothing changed)."""
    code = question.code
    outline = svc.question_outline(a)
    after = states if saved is None else {**states, code: svc.AnswerState(saved.value, False)}
    was = {q.code: shown for q, shown in svc.visible_questions(a, states, questions=outline)}
    by_section, by_question = assignments_of(a)
    blocks, _mine = _layout(
        svc.visible_questions(a, after, questions=outline),
        user=request.user,
        by_section=by_section,
        by_question=by_question,
        only_mine=request.GET.get("mine") == "1",
        was=was,
    )
    flipped = [b for b in blocks if b["visible"] != b["was_visible"]]
    changed = [
        row
        for b in blocks
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
    return {
        **_flags(request, a, is_supplier=True, documents=evidence),
        "progress": svc.progress(a, answers=after, questions=outline),
        "oob_sections": flipped,
        "oob_items": _items(changed, answers, full=full, **options),
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


def _provisional(a) -> dict | None:
    """The re-scored result while reviewing, with the band and risk in words."""

    p = (a.scores or {}).get("provisional")
    if not p or a.status not in (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED):
        return None
    return {
        **p,
        "band_label": dict(Band.choices).get(p.get("band"), ""),
        "residual_label": dict(Tier.choices).get(p.get("residual_risk"), ""),
    }
