"""The per-question message and assignment forms, loaded when the supplier or reviewer opens
them (DESIGN §16: a 300-question page no longer renders 600 forms nobody opens). With htmx the
form arrives as a fragment inside the opened <details>; without JavaScript the same URL is a
small page of its own."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from portal.core.accounts.models import Membership

from . import assessments as svc
from .assignments import assignments_of
from .joint.selectors import in_joint


def _page(request, a, q, template: str, context: dict):
    context = {
        **context,
        "a": a,
        "q": q,
        "back": reverse("assessment_detail", args=[a.pk]) + f"?q={q.code}#q-{q.code}",
    }
    if request.htmx:
        return render(request, template, context)
    return render(request, "questionnaires/question_form.html", {**context, "form": template})


def message_form(request, a, code: str):
    """The form to write a message (or, for the care side, an internal note) on one answer."""
    q = svc.question_for(a, code)
    if q is None or a.status == "draft":
        return render(request, "404.html", status=404)
    is_supplier = request.membership.organisation.kind == "supplier"
    return _page(
        request,
        a,
        q,
        "questionnaires/_message_form.html",
        {
            "is_supplier": is_supplier,
            "joint": not is_supplier and in_joint(a),
            "url": reverse("assessment_answer_message", args=[a.pk, code]),
        },
    )


def assign_form(request, a, code: str):
    """The form to assign one question to a colleague of the supplier."""
    q = svc.question_for(a, code)
    if q is None:
        return render(request, "404.html", status=404)
    _by_section, by_question = assignments_of(a)
    hit = by_question.get(code)
    colleagues = [
        m.user
        for m in Membership.objects.active()
        .filter(organisation=a.relationship.supplier)
        .select_related("user")
        .order_by("user__name", "user__email")
    ]
    return _page(
        request,
        a,
        q,
        "questionnaires/_assign_form.html",
        {
            "colleagues": colleagues,
            "assignee": hit.assignee if hit else None,
            "answering": a.status in svc.ANSWERABLE,
        },
    )
