"""Texts and addresses the questionnaire page shows: answers in words, the labels of the
parts of a question, and the URLs of one question's actions."""

from __future__ import annotations

from types import MappingProxyType
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _shown(value, choices, lang: str) -> str:
    """An answer as a person reads it: choice labels instead of codes."""
    if value is None or value == "":
        return ""
    labels = {c["value"]: (c.get("label") or {}).get(lang) or c["value"] for c in choices}
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


_TRANSLATED: dict[str, MappingProxyType] = {}


def _labels() -> MappingProxyType:
    """The texts every question repeats, translated once per page instead of 300 times (and
    once per language and process: an autosave renders a few of them, not all 40)."""
    language = get_language() or ""
    if language not in _TRANSLATED:
        _TRANSLATED[language] = MappingProxyType(_translate_labels())
    return _TRANSLATED[language]


def _translate_labels() -> dict[str, str]:
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
        "shared_note": _("shared with the joint assessment"),
        "asked_by": _("Clarification asked by"),
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
        "stale": _("Confirmed more than 12 months before the copy"),
        "internal_note_hint": _("Internal note (the supplier never sees it)"),
        "message": _("Message"),
        "message_or_internal_note": _("Message or internal note"),
        "message_to_the_supplier": _("Message to the supplier"),
        "motivation": _("Motivation"),
        "no_verdict": _("— choose —"),
        "nobody_section_assignee": _("nobody (the section's assignee)"),
        "not_answered": _("not answered"),
        "open_form": _("Open the form"),
        "or_attach_document": _("or attach one of your documents"),
        "prefilled": _("Prefilled from your answer library — please confirm."),
        "prefilled_from": _("Your earlier answer to this question of the question bank:"),
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
