"""Pages for the contract register (contracts, their documents, renewals) and the review of a
supplier's certificates (care side). The clause checklist has checklist_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.accounts.models import Membership
from portal.core.exceptions import Conflict, TooLarge, error_text
from portal.core.permissions import has_perm
from portal.core.tenancy import visible_to
from portal.core.uploads import UploadRefused
from suppliers.models import Relationship
from suppliers.views import _errors_to_form as _to_form

from . import services
from .forms import CertificateReviewForm, ContractDocumentForm, ContractForm
from .models import (
    CertificateReview,
    Contract,
    ContractDocument,
)


def _relationship(request, pk) -> Relationship:
    return get_object_or_404(
        visible_to(Relationship, request.membership).select_related("supplier", "care_org"), pk=pk
    )


def _members(request):
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organisation=request.membership.organisation)
        .select_related("user")
        .order_by("user__name", "user__email")
    ]


_message = error_text


def _contract_kwargs(form, request, rel) -> dict:
    d = form.cleaned_data
    members = {u.pk: u for u in _members(request)}
    return {
        "relationship": rel,
        "actor": request.user,
        "reference": d["reference"],
        "title": d["title"],
        "start_date": d["start_date"],
        "end_date": d.get("end_date"),
        "notice_months": d["notice_months"],
        "auto_renewal": d.get("auto_renewal") or False,
        "renewal_months": d["renewal_months"],
        "owner": members.get(d.get("owner")),
        "notes": d.get("notes") or "",
        "request": request,
    }


@membership_required("care.read")
def contract_list(request, pk: int):
    """A relationship's contracts and the supplier's certificates with our scope review."""
    rel = _relationship(request, pk)
    can_edit = has_perm(request.membership, "contracts.edit")
    form = ContractForm(request.POST or None, members=_members(request))
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                c = services.contract_save(**_contract_kwargs(form, request, rel))
            except (ValidationError, Conflict) as exc:
                _to_form(form, exc)
            else:
                messages.success(request, _("Contract %(ref)s added.") % {"ref": c.reference})
                return redirect("contract_list", pk=rel.pk)
    today = timezone.localdate()
    certificates = list(services.offered_certificates(rel))
    reviews = {
        r.document_id: r
        for r in CertificateReview.objects.filter(relationship=rel).select_related("reviewed_by")
    }
    for doc in certificates:
        doc.review = reviews.get(doc.pk)
        doc.expired = doc.valid_until is not None and doc.valid_until < today
        doc.expiring = (
            not doc.expired and doc.valid_until is not None and (doc.valid_until - today).days <= 60
        )
    return render(
        request,
        "contracts/contracts.html",
        {
            "rel": rel,
            "contracts": Contract.objects.filter(relationship=rel)
            .select_related("owner")
            .prefetch_related("documents"),
            "form": form,
            "doc_form": ContractDocumentForm(),
            "review_form": CertificateReviewForm(),
            "certificates": certificates,
            "can_edit": can_edit,
            "today": today,
        },
        status=400 if request.method == "POST" else 200,
    )


def _contract(request, pk) -> Contract:
    return get_object_or_404(
        visible_to(Contract, request.membership).select_related("relationship"), pk=pk
    )


@membership_required("contracts.edit")
def contract_edit(request, pk: int):
    c = _contract(request, pk)
    initial = {
        "reference": c.reference,
        "title": c.title,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "notice_months": c.notice_months,
        "auto_renewal": c.auto_renewal,
        "renewal_months": c.renewal_months,
        "owner": c.owner_id,
        "notes": c.notes,
        "version": c.version,
    }
    form = ContractForm(request.POST or None, initial=initial, members=_members(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_save(
                **_contract_kwargs(form, request, c.relationship),
                contract=c,
                version=form.cleaned_data.get("version"),
            )
        except (ValidationError, Conflict) as exc:
            _to_form(form, exc)
        else:
            messages.success(request, _("Contract saved."))
            return redirect("contract_list", pk=c.relationship_id)
    return render(
        request,
        "contracts/contract_edit.html",
        {"c": c, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@membership_required("contracts.edit")
def contract_renew(request, pk: int):
    c = _contract(request, pk)
    try:
        services.contract_renew(contract=c, actor=request.user, request=request)
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            _("Renewed. The relationship is now due for reassessment."),
        )
    return redirect("contract_list", pk=c.relationship_id)


@require_POST
@membership_required("contracts.edit")
def contract_document_upload(request, pk: int):
    c = _contract(request, pk)
    form = ContractDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the kind and a file."))
        return redirect("contract_list", pk=c.relationship_id)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > 30 * 1024 * 1024:
            raise TooLarge(_("The file is too large."))
        services.contract_document_add(
            contract=c,
            kind=form.cleaned_data["kind"],
            name=upload.name,
            data=upload.read(),
            actor=request.user,
            request=request,
        )
    except (UploadRefused, TooLarge) as exc:
        messages.error(request, str(exc))
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("%(name)s was added.") % {"name": upload.name[:120]})
    return redirect("contract_list", pk=c.relationship_id)


@membership_required("care.read")
def contract_document_download(request, pk: int):
    doc = get_object_or_404(
        ContractDocument.objects.filter(contract__in=visible_to(Contract, request.membership)),
        pk=pk,
    )
    response = FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@membership_required("contracts.edit")
def certificate_review(request, pk: int, document: int):
    rel = _relationship(request, pk)
    doc = services.offered_certificates(rel).filter(pk=document).first()
    form = CertificateReviewForm(request.POST)
    if doc is None:
        messages.error(request, _("This supplier does not offer that certificate."))
    elif not form.is_valid():
        messages.error(request, _("Choose a verdict."))
    else:
        try:
            services.certificate_review_set(
                relationship=rel,
                document=doc,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data.get("note") or "",
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("Review saved."))
    return redirect(reverse("contract_list", args=[rel.pk]) + "#certificates")


@membership_required("care.read")
def certificate_download(request, pk: int, document: int):
    """The care organisation downloads a certificate its supplier offers."""
    rel = _relationship(request, pk)
    doc = get_object_or_404(services.offered_certificates(rel), pk=document)
    response = FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
