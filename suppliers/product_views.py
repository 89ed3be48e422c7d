"""Supplier side: the supplier's own products and the fourth parties behind them (§10a)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.tenancy import visible_to

from . import services
from .models import Product, SupplierType


class ProductForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Product or service"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    supplier_types = forms.MultipleChoiceField(
        label=gettext_lazy("Supplier types"),
        choices=SupplierType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class SubProcessorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Party"), max_length=200)
    service = forms.CharField(label=gettext_lazy("What for"), max_length=200)
    country = forms.CharField(label=gettext_lazy("Country"), max_length=2, help_text="NL, DE, US …")
    parent_country = forms.CharField(
        label=gettext_lazy("Parent company country"), max_length=2, required=False
    )
    data_access = forms.BooleanField(label=gettext_lazy("Has access to data"), required=False)


def _apply(form, exc):
    for field, msgs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


@membership_required("supplier.manage_profile")
def product_list(request):
    supplier = request.membership.organisation
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_save(
                supplier=supplier, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Product added."))
            return redirect("product_list")
    products = visible_to(Product, request.membership).prefetch_related("subprocessors")
    return render(
        request,
        "suppliers/products.html",
        {"products": products, "form": form, "sub_form": SubProcessorForm()},
    )


@require_POST
@membership_required("supplier.manage_profile")
def subprocessor_add(request, pk: int):
    product = get_object_or_404(visible_to(Product, request.membership), pk=pk)
    form = SubProcessorForm(request.POST)
    if form.is_valid():
        try:
            services.subprocessor_add(
                product=product, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(" ".join(v) for v in exc.message_dict.values()))
        else:
            messages.success(request, _("Fourth party added."))
    else:
        messages.error(request, " ".join(" ".join(v) for v in form.errors.values()))
    return redirect("product_list")
