"""Pages for a supplier's shared documents: upload once, reuse as evidence (supplier side)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, TooLarge
from portal.core.permissions import has_perm
from portal.core.uploads import UploadRefused

from .documents import document_delete, document_save, products_of
from .forms import DocumentForm
from .models import SupplierDocument
from .views import _errors_to_form

MAX_FORM_FILE = 30 * 1024 * 1024


def _documents(request):
    return SupplierDocument.objects.visible_to(request.membership).prefetch_related("products")


def _save(request, form, document=None):
    """Run the service with the form's data; errors land on the form. True when saved."""
    d = form.cleaned_data
    upload = d.get("file")
    org = request.membership.organisation
    chosen = {int(x) for x in d.get("products") or []}
    try:
        if upload is not None and upload.size > MAX_FORM_FILE:
            raise TooLarge(_("The file is too large."))
        document_save(
            supplier=org,
            actor=request.user,
            title=d["title"],
            kind=d["kind"],
            name=upload.name if upload else "",
            data=upload.read() if upload else None,
            valid_from=d.get("valid_from"),
            valid_until=d.get("valid_until"),
            issuer=d.get("issuer") or "",
            accredited=d.get("accredited") or False,
            scope=d.get("scope") or "",
            products=[p for p in products_of(org) if p.pk in chosen],
            offered=d.get("offered") or False,
            document=document,
            version=d.get("version"),
            request=request,
        )
    except (UploadRefused, TooLarge) as exc:
        form.add_error("file", str(exc))
    except (ValidationError, Conflict) as exc:
        _errors_to_form(form, exc)
    else:
        return True
    return False


@membership_required("supplier.answer")
def document_list(request):
    """The documents of the supplier; the owner uploads new ones on the same page."""
    org = request.membership.organisation
    can_manage = has_perm(request.membership, "supplier.manage_profile")
    form = DocumentForm(
        request.POST or None, request.FILES or None, products=products_of(org), new=True
    )
    if request.method == "POST":
        if not can_manage:
            return render(request, "403.html", status=403)
        if form.is_valid() and _save(request, form):
            messages.success(request, _("Document uploaded."))
            return redirect("document_list")
    return render(
        request,
        "suppliers/documents.html",
        {
            "documents": _documents(request),
            "form": form,
            "can_manage": can_manage,
            "today": timezone.localdate(),
            "soon": timezone.localdate() + timedelta(days=60),
        },
        status=400 if request.method == "POST" else 200,
    )


@membership_required("supplier.manage_profile")
def document_edit(request, pk: int):
    doc = get_object_or_404(_documents(request), pk=pk)
    org = request.membership.organisation
    initial = {
        "title": doc.title,
        "kind": doc.kind,
        "valid_from": doc.valid_from,
        "valid_until": doc.valid_until,
        "issuer": doc.issuer,
        "accredited": doc.accredited,
        "offered": doc.offered,
        "scope": doc.scope,
        "products": [str(p.pk) for p in doc.products.all()],
        "version": doc.version,
    }
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        products=products_of(org),
        new=False,
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, doc):
        messages.success(request, _("Document saved."))
        return redirect("document_list")
    return render(
        request,
        "suppliers/document_edit.html",
        {"doc": doc, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@membership_required("supplier.answer")
def document_download(request, pk: int):
    doc = get_object_or_404(_documents(request), pk=pk)
    response = FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@membership_required("supplier.manage_profile")
def document_delete_view(request, pk: int):
    doc = get_object_or_404(_documents(request), pk=pk)
    document_delete(document=doc, actor=request.user, request=request)
    messages.success(request, _("Document deleted. Evidence already sent to customers stays."))
    return redirect("document_list")
