"""Pages for the clause checklist of a relationship (generate, record where each clause stands,
export as a spreadsheet or PDF) and the clause library (care organisation side only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core import rules
from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict
from portal.core.i18n import active_language, stored_text
from portal.core.permissions import has_perm

from . import checklist as cl
from .exports import checklist_pdf, checklist_xlsx
from .forms import ChecklistItemForm
from .models import ChecklistItem, Clause, ClauseCategory, ClauseStatus, Contract
from .views import _message, _relationship


def _items(rel):
    return list(
        ChecklistItem.objects.filter(relationship=rel)
        .select_related("clause", "contract", "updated_by")
        .order_by("-triggered", "clause__order", "clause__code")
    )


def _form(item, contracts, data=None) -> ChecklistItemForm:
    initial = {
        "status": item.status,
        "contract": item.contract_id,
        "article": item.article,
        "motivation": item.motivation,
        "version": item.version,
    }
    return ChecklistItemForm(data, initial=initial, contracts=contracts, prefix=f"c{item.pk}")


def _row_context(request, rel, item, *, form=None, saved=False) -> dict:
    """One clause row: read-only, or (with a form) its edit form in place."""
    item.reason_texts = [stored_text(r) for r in item.reasons]
    return {
        "rel": rel,
        "item": item,
        "form": form,
        "saved": saved,
        "can_edit": has_perm(request.membership, "contracts.edit"),
    }


@membership_required("care.read")
def checklist(request, pk: int, *, editing=None, status_code: int = 200):
    """Every clause as a short row; one row at a time opens its edit form in place (htmx, or
    `?edit=<id>` without JavaScript)."""
    rel = _relationship(request, pk)
    items = _items(rel)
    can_edit = has_perm(request.membership, "contracts.edit")
    edit_id = request.GET.get("edit", "")
    if editing is None and can_edit and edit_id.isdecimal():
        item = next((i for i in items if i.pk == int(edit_id)), None)
        if item is not None:
            editing = (item.pk, _form(item, list(Contract.objects.filter(relationship=rel))))
    for item in items:
        item.reason_texts = [stored_text(r) for r in item.reasons]
        item.form = editing[1] if editing and editing[0] == item.pk else None
    status = request.GET.get("status", "")
    shown = [i for i in items if not status or i.status == status]
    return render(
        request,
        "contracts/checklist.html",
        {
            "rel": rel,
            "items": shown,
            "summary": cl.checklist_summary(rel),
            "can_edit": can_edit,
            "status": status,
            "library_size": Clause.objects.count(),
            "statuses": ClauseStatus.choices,
        },
        status=status_code,
    )


@membership_required("contracts.edit")
def checklist_item_edit(request, pk: int, item: int):
    """The edit form of one clause row (the htmx target); without htmx, the page with that row
    open."""
    rel = _relationship(request, pk)
    obj = get_object_or_404(ChecklistItem.objects.filter(relationship=rel), pk=item)
    if not request.htmx:
        url = reverse("checklist", args=[rel.pk])
        return redirect(f"{url}?edit={obj.pk}#cl-{obj.clause.code}")
    form = _form(obj, list(Contract.objects.filter(relationship=rel)))
    return render(
        request, "contracts/_checklist_item.html", _row_context(request, rel, obj, form=form)
    )


@require_POST
@membership_required("contracts.edit")
def checklist_regenerate(request, pk: int):
    rel = _relationship(request, pk)
    counts = cl.checklist_generate(relationship=rel, actor=request.user)
    messages.success(
        request,
        _(
            "Checklist up to date: %(added)s added, %(dropped)s no longer triggered; "
            "recorded statuses were kept."
        )
        % counts,
    )
    return redirect("checklist", pk=rel.pk)


@require_POST
@membership_required("contracts.edit")
def checklist_item(request, pk: int, item: int):
    """Save one clause row. With htmx the row is re-rendered in place (and the summary out of
    band); a refused change keeps the typed input next to its error."""
    rel = _relationship(request, pk)
    obj = get_object_or_404(ChecklistItem.objects.filter(relationship=rel), pk=item)
    contracts = list(Contract.objects.filter(relationship=rel))
    form = _form(obj, contracts, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            cl.checklist_item_update(
                item=obj,
                actor=request.user,
                status=d["status"],
                contract=next((c for c in contracts if c.pk == d.get("contract")), None),
                article=d.get("article") or "",
                motivation=d.get("motivation") or "",
                version=d.get("version"),
                request=request,
            )
        except (ValidationError, Conflict) as exc:
            form.add_error(None, _message(exc))
    else:
        form.add_error(
            None, _("Check the status and the fields of %(code)s.") % {"code": obj.clause.code}
        )
    if form.errors:
        obj.refresh_from_db()
        if request.htmx:
            context = _row_context(request, rel, obj, form=form)
            return render(request, "contracts/_checklist_item.html", context)
        return checklist(request, rel.pk, editing=(obj.pk, form), status_code=400)
    if request.htmx:
        obj.refresh_from_db()
        context = _row_context(request, rel, obj, saved=True)
        context["summary"] = cl.checklist_summary(rel)
        return render(request, "contracts/_checklist_item.html", context)
    messages.success(request, _("%(code)s saved.") % {"code": obj.clause.code})
    return redirect(reverse("checklist", args=[rel.pk]) + f"#cl-{obj.clause.code}")


@membership_required("care.read")
def checklist_export_xlsx(request, pk: int):
    rel = _relationship(request, pk)
    response = HttpResponse(
        checklist_xlsx(rel, _items(rel)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="clauses-{rel.pk}.xlsx"'
    return response


@membership_required("care.read")
def checklist_export_pdf(request, pk: int):
    rel = _relationship(request, pk)
    # The page's "PDF for the supplier": nothing of the care organisation's own assessment.
    data = checklist_pdf(rel, _items(rel), active_language(), for_supplier=True)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="clauses-{rel.pk}.pdf"'
    return response


@membership_required("care.read")
def clause_library(request):
    """Browse and search the clause library."""
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    clauses = Clause.objects.all()
    if q:
        clauses = clauses.filter(
            Q(code__icontains=q)
            | Q(title_nl__icontains=q)
            | Q(title_en__icontains=q)
            | Q(requirement_nl__icontains=q)
            | Q(requirement_en__icontains=q)
            | Q(basis__icontains=q)
        )
    if category in ClauseCategory.values:
        clauses = clauses.filter(category=category)
    lang = active_language()
    rows = [(c, rules.describe(c.applies_if, lang) if c.applies_if else None) for c in clauses]
    return render(
        request,
        "contracts/library.html",
        {
            "rows": rows,
            "q": q,
            "category": category,
            "categories": ClauseCategory.choices,
            "total": Clause.objects.count(),
        },
    )
