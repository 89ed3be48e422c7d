"""The parts both the page and an autosave build: section blocks, question items, who may
do what, and the pick lists the forms offer."""

from __future__ import annotations

from django.db import models
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone

from portal.core.accounts.models import Membership
from portal.core.permissions import has_perm
from suppliers.models import SupplierDocument

from .. import assessments as svc
from ..assignments import assignee_for
from ..joint.selectors import open_questions
from ..matching.equivalents import bank_template
from ..models import AssessmentStatus as S
from .labels import _labels, _shown


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


def _mark_editable(items, flags: dict) -> None:
    """What the supplier may still change on each question, decided here rather than in the
    template: answer it (during a clarification round only the questions sent back), and
    attach evidence where the question asks for it or is answered by a file."""
    for item in items:
        if item.get("hidden"):
            continue
        ans, q = item.get("a"), item["q"]
        asked = flags["joint_questions"].get(q.code, [])
        item["joint_asked"] = asked
        item["editable"] = flags["can_answer"] and (
            not flags["clarification_round"]
            or (ans is not None and ans.verdict == "clarification")
            or bool(asked)
        )
        item["evidence_form"] = item["editable"] and (
            q.evidence != "none" or q.answer_type == "file"
        )


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
        # Joint assessments: the participants' questions the supplier still has to answer.
        "joint_questions": open_questions(a)
        if is_supplier and a.status == S.CLARIFICATION_REQUESTED
        else {},
        "colleagues": _colleagues(a) if answering and colleagues else [],
        "documents": _shared_documents(request) if answering and documents else [],
        "labels": _labels(),
        "assign_url": reverse("assessment_assign", args=[a.pk]),
        "csrf_input": csrf_input(request),
    }


def _lang(request) -> str:
    return "en" if request.LANGUAGE_CODE.startswith("en") else "nl"


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
        .filter(organisation_id=a.relationship.supplier_id)
        .select_related("user")
        .order_by("user__name", "user__email")
    ]
