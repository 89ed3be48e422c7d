"""Pages for suppliers and relationships (care organisation side)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict
from portal.core.permissions import has_perm
from portal.core.xlsx import wants_xlsx, xlsx_response

from . import selectors, services
from .forms import IntakeForm, RelationshipForm, SupplierForm


def _errors_to_form(form, exc) -> None:
    if isinstance(exc, Conflict):
        form.add_error(None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


@membership_required("care.read")
def supplier_list(request):
    membership = request.membership
    if wants_xlsx(request):
        return xlsx_response(
            "ketenwacht-relationships.xlsx",
            _("Relationships"),
            [
                _("Relationship"),
                _("Supplier"),
                _("Supplier type"),
                _("Status"),
                _("Inherent tier"),
                _("Control score"),
                _("Residual risk"),
                _("Next assessment"),
                _("Owner"),
            ],
            (
                [
                    r.name,
                    r.supplier.name,
                    r.supplier_type_labels,
                    r.get_status_display(),
                    r.get_inherent_tier_display(),
                    r.control_score if r.assessed else "",
                    r.get_residual_risk_display() if r.assessed else _("not assessed"),
                    r.next_assessment_due,
                    str(r.owner or ""),
                ]
                for r in selectors.relationships_for(membership=membership)
            ),
        )
    return render(
        request,
        "suppliers/list.html",
        {
            "relationships": selectors.relationships_for(membership=membership),
            "links": selectors.supplier_links_for(membership=membership),
            "can_manage": has_perm(membership, "suppliers.manage"),
        },
    )


@membership_required("suppliers.manage")
def supplier_new(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.supplier_register(
                care_org=request.membership.organisation,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered. Now describe the relationship.")
                % {"name": link.supplier.name},
            )
            return redirect(f"{reverse('relationship_new')}?supplier={link.supplier_id}")
    return render(request, "suppliers/supplier_new.html", {"form": form})


@membership_required("suppliers.manage")
def relationship_new(request):
    links = list(selectors.supplier_links_for(membership=request.membership))
    suppliers = [link.supplier for link in links]
    if not suppliers:
        messages.info(request, _("Register the supplier first."))
        return redirect("supplier_new")
    form = RelationshipForm(
        request.POST or None, suppliers=suppliers, initial={"supplier": request.GET.get("supplier")}
    )
    if request.method == "POST" and form.is_valid():
        supplier = next(s for s in suppliers if str(s.pk) == form.cleaned_data["supplier"])
        try:
            rel = services.relationship_create(
                care_org=request.membership.organisation,
                supplier=supplier,
                name=form.cleaned_data["name"],
                supplier_types=form.cleaned_data["supplier_types"],
                intake=form.intake(),
                status=form.cleaned_data["status"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("relationship_detail", pk=rel.pk)
    return render(request, "suppliers/relationship_new.html", {"form": form})


def _relationship(request, pk):
    return get_object_or_404(selectors.relationships_for(membership=request.membership), pk=pk)


@membership_required("intake.edit")
def relationship_intake(request, pk: int):
    rel = _relationship(request, pk)
    initial = {f"intake_{f}": v for f, v in rel.intake.items()}
    initial["version"] = rel.version
    form = IntakeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_update(
                relationship=rel,
                actor=request.user,
                version=form.cleaned_data["version"],
                intake=form.intake(),
                request=request,
            )
        except (ValidationError, Conflict) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Intake saved; the tier was recalculated."))
            return redirect("relationship_detail", pk=rel.pk)
    return render(request, "suppliers/relationship_intake.html", {"rel": rel, "form": form})


@require_POST
@membership_required("suppliers.manage")
def relationship_products(request, pk: int):
    rel = _relationship(request, pk)
    wanted = {int(x) for x in request.POST.getlist("products") if x.isdecimal()}
    products = [
        p
        for p in selectors.products_for(membership=request.membership, supplier=rel.supplier)
        if p.pk in wanted
    ]
    services.relationship_set_products(
        relationship=rel, products=products, actor=request.user, request=request
    )
    messages.success(request, _("Products saved."))
    return redirect("relationship_detail", pk=rel.pk)
