"""Pages for questionnaire templates: list, detail, preview, upload (YAML and xlsx), life cycle."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core import rules
from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict
from portal.core.permissions import has_perm

from . import selectors, services
from .forms import YamlUploadForm
from .models import QuestionnaireTemplate, SupplierType
from .xlsx_export import questionnaire_to_xlsx
from .yaml_io import QuestionnaireFileError, parse_questionnaire, questionnaire_to_yaml


def _template(request, pk: int) -> QuestionnaireTemplate:
    return get_object_or_404(selectors.templates_for(membership=request.membership), pk=pk)


@membership_required("care.read")
def template_list(request):
    can_build = has_perm(request.membership, "questionnaire.build")
    templates = selectors.templates_for(membership=request.membership, published_only=not can_build)
    return render(
        request,
        "questionnaires/template_list.html",
        {"templates": templates, "can_build": can_build},
    )


@membership_required("care.read")
def template_detail(request, pk: int):
    template = _template(request, pk)
    sections = list(selectors.sections_of(template=template))
    questions = list(selectors.questions_of(template=template))
    by_section: dict[int, list] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(q)
    for s in sections:
        s.question_list = by_section.get(s.pk, [])
    return render(
        request,
        "questionnaires/template_detail.html",
        {
            "template": template,
            "sections": sections,
            "question_count": len(questions),
            "can_build": has_perm(request.membership, "questionnaire.build")
            and (template.owner_id in (None, request.membership.organisation_id)),
            "owned": template.owner_id == request.membership.organisation_id,
        },
    )


@membership_required("care.read")
def template_preview(request, pk: int):
    """The questionnaire as a supplier of the chosen type sees it; show_if follows the answers."""
    template = _template(request, pk)
    supplier_type = request.GET.get("type", "")
    if supplier_type not in SupplierType.values:
        supplier_type = SupplierType.EPD
    answers = {k[2:]: v for k, v in request.GET.items() if k.startswith("a_")}
    facts = {"supplier.types": [supplier_type]}
    facts.update({rules.answer_fact(code): value for code, value in answers.items() if value})
    sections = []
    visible_count = 0
    current = None
    for q in selectors.questions_of(template=template):
        applicable = not q.applies_to or supplier_type in q.applies_to
        if not applicable:
            continue
        q.visible = q.show_if is None or rules.evaluate(q.show_if, facts)
        q.current = answers.get(q.code, "")
        if current is None or current["section"].pk != q.section_id:
            current = {"section": q.section, "questions": []}
            sections.append(current)
        current["questions"].append(q)
        visible_count += q.visible
    context = {
        "template": template,
        "sections": sections,
        "supplier_type": supplier_type,
        "supplier_types": SupplierType.choices,
        "visible_count": visible_count,
    }
    template_name = (
        "questionnaires/_preview_body.html"
        if request.htmx
        else "questionnaires/template_preview.html"
    )
    return render(request, template_name, context)


@membership_required("care.read")
def template_export(request, pk: int):
    template = _template(request, pk)
    data = services.template_to_dict(template)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            questionnaire_to_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"{template.key}-v{template.version}.xlsx"
    else:
        response = HttpResponse(
            questionnaire_to_yaml(data), content_type="application/x-yaml; charset=utf-8"
        )
        filename = f"{template.key}-v{template.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@membership_required("questionnaire.build")
def template_upload(request):
    form = YamlUploadForm(request.POST or None, request.FILES or None)
    file_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            data = parse_questionnaire(form.cleaned_data["file"].read())
            template = services.template_import(
                data=data,
                owner=request.membership.organisation,
                actor=request.user,
                publish=form.cleaned_data["publish"],
            )
        except QuestionnaireFileError as exc:
            file_errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported %(title)s with %(n)s questions.")
                % {"title": template.title, "n": template.questions.count()},
            )
            return redirect("questionnaire_detail", pk=template.pk)
    return render(
        request,
        "questionnaires/upload.html",
        {"form": form, "file_errors": file_errors},
    )


def _lifecycle(request, pk: int, action):
    template = _template(request, pk)
    if template.owner_id not in (None, request.membership.organisation_id):
        return render(request, "404.html", status=404)
    try:
        result = action(template)
    except (Conflict, ValidationError) as exc:
        messages.error(
            request, getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [str(exc)]))
        )
        return redirect("questionnaire_detail", pk=template.pk)
    return redirect("questionnaire_detail", pk=result.pk)


@require_POST
@membership_required("questionnaire.build")
def template_publish(request, pk: int):
    def act(t):
        if t.owner_id is None:
            raise Conflict(_("Shipped questionnaires are published by Ketenwacht."))
        result = services.template_publish(template=t, actor=request.user)
        messages.success(request, _("Published. This version can no longer change."))
        return result

    return _lifecycle(request, pk, act)


@require_POST
@membership_required("questionnaire.build")
def template_new_version(request, pk: int):
    def act(t):
        result = services.template_new_version(
            template=t, actor=request.user, owner=request.membership.organisation
        )
        messages.success(request, _("A new draft version was created."))
        return result

    return _lifecycle(request, pk, act)


@require_POST
@membership_required("questionnaire.build")
def template_retire(request, pk: int):
    def act(t):
        if t.owner_id is None:
            raise Conflict(_("Shipped questionnaires are retired by Ketenwacht."))
        result = services.template_retire(template=t, actor=request.user)
        messages.success(request, _("Retired. It can no longer be sent."))
        return result

    return _lifecycle(request, pk, act)
