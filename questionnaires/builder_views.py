"""Builder pages: security officers and admins build a questionnaire draft in the browser."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict

from . import builder, selectors
from .builder_forms import (
    NewTemplateForm,
    QuestionForm,
    SectionForm,
    fact_choices,
    field_for_path,
)
from .models import Question, QuestionnaireTemplate, Section
from .yaml_io import QuestionnaireFileError, validate_question


def _own_template(request, pk: int) -> QuestionnaireTemplate:
    """Only the organisation's own templates can be built (404 for anything else)."""
    return get_object_or_404(
        QuestionnaireTemplate.objects.filter(owner=request.membership.organisation_id), pk=pk
    )


def _apply_errors(form, exc) -> None:
    if isinstance(exc, QuestionnaireFileError):
        for err in exc.errors:
            field = field_for_path(err.path)
            form.add_error(field if field in form.fields else None, f"{err.path}: {err.message}")
    elif isinstance(exc, Conflict):
        form.add_error(None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


@membership_required("questionnaire.build")
def template_new(request):
    form = NewTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = builder.template_create(
                owner=request.membership.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("questionnaire_builder", pk=template.pk)
    return render(request, "questionnaires/builder_new.html", {"form": form})


@membership_required("questionnaire.build")
def template_builder(request, pk: int):
    template = _own_template(request, pk)
    sections = list(selectors.sections_of(template=template))
    questions = list(template.questions.order_by("order", "pk"))
    by_section: dict[int, list] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(q)
    for s in sections:
        s.question_list = by_section.get(s.pk, [])
    return render(
        request,
        "questionnaires/builder.html",
        {
            "template": template,
            "sections": sections,
            "section_form": SectionForm(initial={"revision": template.revision}),
        },
    )


@membership_required("questionnaire.build")
def section_edit(request, pk: int, section_pk: int | None = None):
    template = _own_template(request, pk)
    section = get_object_or_404(Section, template=template, pk=section_pk) if section_pk else None
    initial = {"revision": template.revision}
    if section:
        initial.update(code=section.code, title_nl=section.title_nl, title_en=section.title_en)
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            builder.section_save(
                template=template, actor=request.user, section=section, **form.cleaned_data
            )
        except (ValidationError, Conflict) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Section saved."))
            return redirect("questionnaire_builder", pk=template.pk)
    return render(
        request,
        "questionnaires/builder_section.html",
        {"template": template, "section": section, "form": form},
    )


@membership_required("questionnaire.build")
def question_edit(request, pk: int, section_pk: int, question_pk: int | None = None):
    template = _own_template(request, pk)
    section = get_object_or_404(Section, template=template, pk=section_pk)
    question = get_object_or_404(Question, section=section, pk=question_pk) if question_pk else None
    codes = [
        c
        for c in template.questions.order_by("section__order", "order").values_list(
            "code", flat=True
        )
        if not question or c != question.code
    ]
    initial = (
        QuestionForm.initial_for(question)
        if question
        else {"weight": 1, "required": True, "severity": "medium", "evidence": "none"}
    )
    initial["revision"] = template.revision
    form = QuestionForm(
        request.POST or None,
        initial=initial,
        fact_choices=fact_choices(codes),
        current_rule=question.show_if if question else None,
    )
    if request.method == "POST" and form.is_valid():
        raw = form.to_raw()
        if not form.is_valid():  # unreadable lines: still report every other problem at once
            try:
                validate_question(raw, other_codes=set(codes), all_codes=set(codes) | {raw["code"]})
            except QuestionnaireFileError as exc:
                _apply_errors(form, exc)
        else:
            try:
                builder.question_save(
                    section=section,
                    actor=request.user,
                    raw=raw,
                    question=question,
                    revision=form.cleaned_data["revision"],
                )
            except (QuestionnaireFileError, ValidationError, Conflict) as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Question %(code)s saved.") % {"code": raw["code"]})
                return redirect("questionnaire_builder", pk=template.pk)
    return render(
        request,
        "questionnaires/builder_question.html",
        {"template": template, "section": section, "question": question, "form": form},
    )


def _confirm_delete(request, template, obj, kind: str, action):
    if request.method == "POST":
        try:
            action()
        except (ValidationError, Conflict) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("Deleted."))
        return redirect("questionnaire_builder", pk=template.pk)
    return render(
        request,
        "questionnaires/builder_delete.html",
        {"template": template, "obj": obj, "kind": kind},
    )


@membership_required("questionnaire.build")
def section_delete(request, pk: int, section_pk: int):
    template = _own_template(request, pk)
    section = get_object_or_404(Section, template=template, pk=section_pk)
    return _confirm_delete(
        request,
        template,
        section,
        "section",
        lambda: builder.section_delete(
            section=section, actor=request.user, revision=_revision(request)
        ),
    )


@membership_required("questionnaire.build")
def question_delete(request, pk: int, question_pk: int):
    template = _own_template(request, pk)
    question = get_object_or_404(Question, template=template, pk=question_pk)
    return _confirm_delete(
        request,
        template,
        question,
        "question",
        lambda: builder.question_delete(
            question=question, actor=request.user, revision=_revision(request)
        ),
    )


def _revision(request) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


@require_POST
@membership_required("questionnaire.build")
def move_item(request, pk: int, kind: str, item_pk: int, direction: str):
    template = _own_template(request, pk)
    model = Section if kind == "section" else Question
    obj = get_object_or_404(model, template=template, pk=item_pk)
    try:
        builder.move(
            obj=obj,
            direction="up" if direction == "up" else "down",
            actor=request.user,
            revision=_revision(request),
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    return redirect("questionnaire_builder", pk=template.pk)
