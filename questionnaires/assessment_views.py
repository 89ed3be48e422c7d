"""Assessment pages for both sides: send, inbox, answer with autosave, submit, review, complete."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.accounts.models import User
from portal.core.audit.models import AuditEvent
from portal.core.exceptions import Conflict, error_text
from portal.core.tenancy import visible_to

from . import assessments as svc
from . import selectors
from .answer_page import REVIEW_FILTERS, autosave_context, page_context
from .assignments import assignment_set
from .models import AssessmentStatus as S
from .models import LibraryAnswer
from .question_form_views import assign_form, message_form

_error_text = error_text


def _assessment(request, pk):
    return get_object_or_404(selectors.assessments_for(membership=request.membership), pk=pk)


@require_http_methods(["GET", "POST"])
@membership_required("supplier.answer")
def assessment_assign(request, pk: int):
    """Assign a section or a question to a colleague (or clear it); GET ?target=question:CODE
    gives the form, loaded when the respondent opens it."""

    a = _assessment(request, pk)
    if request.method == "GET":
        kind, _sep, code = request.GET.get("target", "").partition(":")
        if kind != "question":
            return render(request, "404.html", status=404)
        return assign_form(request, a, code)
    kind, _sep, code = request.POST.get("target", "").partition(":")
    who = request.POST.get("assignee", "")
    assignee = User.objects.filter(pk=int(who)).first() if who.isdecimal() else None
    if who and assignee is None:
        messages.error(request, _("Assign to a colleague of your own organisation."))
        return redirect("assessment_detail", pk=a.pk)
    try:
        assignment_set(
            assessment=a,
            actor=request.user,
            assignee=assignee,
            section=code if kind == "section" else "",
            question=code if kind == "question" else "",
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Assigned to %(who)s.") % {"who": assignee} if assignee else _("Assignment removed."),
        )
    if kind == "question":
        return redirect(_question_url(a, code))
    return redirect(reverse("assessment_detail", args=[a.pk]) + f"?section={quote(code)}#s-{code}")


def _question_url(a, code: str) -> str:
    """The questionnaire page opened at the section of this question, scrolled to it."""
    return reverse("assessment_detail", args=[a.pk]) + f"?q={quote(code)}#q-{code}"


@membership_required()
def assessment_detail(request, pk: int):
    a = _assessment(request, pk)
    return render(request, "questionnaires/assessment_detail.html", page_context(request, a))


def _parse_value(q, post):
    raw = post.getlist("value") if q.answer_type == "multiple_choice" else post.get("value", "")
    if q.answer_type == "multiple_choice":
        return [v for v in raw if v] or None
    if raw == "":
        return None
    if q.answer_type == "number":
        try:
            return float(raw) if "." in raw or "," in raw else int(raw)
        except ValueError:
            return raw
    return raw


@require_POST
@membership_required("supplier.answer")
def answer_save(request, pk: int, code: str):
    """Save one answer. The htmx answer re-renders only what the save changed (answer_page).
    One transaction: the assessment read with its row locked (the tenancy check is the lock's
    query), the answers as they stand, the save; a refused save rolls it back."""
    error = saved = None
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        with transaction.atomic():
            a = selectors.assessment_to_answer(membership=request.membership, pk=pk)
            question = svc.question_for(a, code)
            if question is not None:
                status_before = a.status
                states, row = svc.answer_states_and_row(a, question) if request.htmx else ({}, None)
                saved = svc.answer_save_locked(
                    assessment=a,
                    code=code,
                    value=_parse_value(question, request.POST),
                    explanation=request.POST.get("explanation", "")[:4000],
                    version=version,
                    actor=request.user,
                    request=request,
                    question=question,
                    row=row,
                )
    except (ValidationError, Conflict) as exc:
        error = _error_text(exc)
    if question is None:
        return render(request, "404.html", status=404)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("assessment_detail", pk=a.pk)
    # The status read under the lock, after the save if it was saved: no query needed.
    outcome = {"saved_code": None if error else code, "error_code": code if error else None}
    outcome["error"] = error
    moved_on = a.status != status_before and (status_before, a.status) != (S.SENT, S.IN_PROGRESS)
    if a.status not in svc.ANSWERABLE or moved_on:
        # Answering closed meanwhile (a colleague submitted, say): every question changes, and
        # the page needs the assessment in full (the autosave read only what a save needs).
        a = _assessment(request, pk)
        context = {**page_context(request, a, focus=code), **outcome}
        return render(request, "questionnaires/_answer_sections.html", context)
    context = {
        **autosave_context(request, a, question=question, states=states, saved=saved),
        **outcome,
    }
    response = render(request, "questionnaires/_answer_saved.html", context)
    response["HX-Reswap"] = "none"  # every part is swapped out of band, in place
    return response


def _post_action(request, pk, action, success):
    a = _assessment(request, pk)
    anchor = ""
    try:
        action(a)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        if errors.get("missing"):
            messages.error(
                request,
                _(
                    "Not submitted yet: some required answers or files are missing. They are "
                    "listed below, each with a link to the question."
                ),
            )
            anchor = "?missing=1#kw-missing"
        elif errors.get("unscored"):
            messages.error(request, unscored_text(a, errors["unscored"]))
            anchor = "#kw-needs-score"
        else:
            messages.error(request, _error_text(exc))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(reverse("assessment_detail", kwargs={"pk": a.pk}) + anchor)


def unscored_text(a, codes: list[str]) -> str:
    """Why completing was refused, naming the questions that still need the reviewer's score."""
    questions = selectors.questions_by_code(assessment=a, codes=codes)
    return _(
        "Not completed: these answers still need your score (accept or reject them, or give a "
        "score override): %(questions)s"
    ) % {"questions": "; ".join(f"{q.code} {q.text}" for q in questions)}


@require_POST
@membership_required("supplier.submit")
def assessment_submit(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a: svc.assessment_submit(assessment=a, actor=request.user, request=request),
        _("Submitted. Your answers are now read-only until the care organisation responds."),
    )


REVIEW_FIELDS = ("verdict", "message", "score_override", "motivation")


@require_POST
@membership_required("assessment.review")
def answer_review(request, pk: int, code: str):
    """Save one verdict. With htmx the question is re-rendered in place (with the provisional
    result and what still needs a score, out of band); without JavaScript the page reloads at
    the question. A refused verdict shows its error next to the field and keeps the input."""
    a = _assessment(request, pk)
    if svc.question_for(a, code) is None:
        return render(request, "404.html", status=404)
    values = {f: request.POST.get(f, "")[:4000] for f in REVIEW_FIELDS}
    show = request.POST.get("show", "")
    try:
        svc.answer_review(
            assessment=a,
            code=code,
            verdict=values["verdict"],
            message=values["message"],
            score_override=values["score_override"].strip().replace(",", ".") or None,
            motivation=values["motivation"],
            actor=request.user,
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        field = next((f for f in REVIEW_FIELDS if f in errors), "")
        review_error = {"code": code, "error": _error_text(exc), "field": field, "values": values}
        a.refresh_from_db()
        context = page_context(request, a, review_error=review_error, focus=code)
        if request.htmx:
            return _review_fragment(request, context, code, status=200)
        return render(request, "questionnaires/assessment_detail.html", context, status=400)
    if not request.htmx:
        messages.success(request, _("Review saved."))
        query = f"?show={show}" if show in REVIEW_FILTERS else f"?q={quote(code)}"
        return redirect(reverse("assessment_detail", kwargs={"pk": a.pk}) + f"{query}#q-{code}")
    a.refresh_from_db()
    context = page_context(request, a, focus=code)
    context["review_saved"] = code
    return _review_fragment(request, context, code)


def _review_fragment(request, context, code: str, *, status: int = 200):
    """The reviewed question (the htmx target) and, out of band, what its verdict changed.
    A POST carries no `?show=` filter, so the question is always among the sections."""
    item = next(i for b in context["sections"] for i in b["items"] if i["q"].code == code)
    return render(
        request, "questionnaires/_review_saved.html", {**context, "item": item}, status=status
    )


@require_POST
@membership_required("assessment.review")
def assessment_clarify(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a: svc.assessment_request_clarification(
            assessment=a, actor=request.user, request=request
        ),
        _("The questions marked for clarification were sent back to the supplier."),
    )


@require_POST
@membership_required("assessment.review")
def assessment_complete(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a: svc.assessment_complete(assessment=a, actor=request.user, request=request),
        _("Completed. The scores and the residual risk were updated."),
    )


@membership_required("supplier.manage_profile")
def library(request):
    lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
    entries = selectors.library_entries(membership=request.membership, lang=lang)
    return render(request, "questionnaires/library.html", {"entries": entries})


@require_POST
@membership_required("supplier.manage_profile")
def library_delete(request, pk: int):
    entry = get_object_or_404(LibraryAnswer.objects.visible_to(request.membership), pk=pk)
    entry.delete()
    messages.success(request, _("Removed from your answer library."))
    return redirect("answer_library")


@membership_required("care.read")
def assessment_history(request, pk: int):
    """Every transition and answer change of one assessment, with before and after."""

    a = _assessment(request, pk)
    answer_ids = [str(i) for i in a.answers.values_list("pk", flat=True)]
    events = (
        visible_to(AuditEvent, request.membership)
        .filter(
            models.Q(object_type="questionnaires.assessment", object_id=str(a.pk))
            | models.Q(object_type="questionnaires.answer", object_id__in=answer_ids)
        )
        .order_by("at", "pk")
    )
    return render(request, "questionnaires/assessment_history.html", {"a": a, "events": events})


@require_http_methods(["GET", "POST"])
@membership_required()
def answer_message(request, pk: int, code: str):
    """Post a message on one answer; GET gives the form, loaded when it is opened."""
    a = _assessment(request, pk)
    if request.method == "GET":
        return message_form(request, a, code)
    try:
        svc.answer_message_add(
            assessment=a,
            code=code,
            body=request.POST.get("body", ""),
            internal=request.POST.get("internal") == "on",
            shared=request.POST.get("shared") == "on",
            membership=request.membership,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, f"{code}: {_error_text(exc)}")
    return redirect(_question_url(a, code))
