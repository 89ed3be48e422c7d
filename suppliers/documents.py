"""A supplier's shared documents: upload once, reuse as evidence and offer certificates.

Every file passes the upload checks of DESIGN §12 (size, content sniffing, safe names) and is
stored under a random name outside the static root; edits use optimistic locking.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.dates import implausible_message, plausible
from portal.core.exceptions import Conflict
from portal.core.uploads import check_upload

from .models import DocumentKind, Product, SupplierDocument


def _check(title: str, kind: str, valid_from: date | None, valid_until: date | None) -> dict:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("A title is required.")
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose the kind of document.")
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("The end of validity lies before its start.")
    for field, day in (("valid_from", valid_from), ("valid_until", valid_until)):
        if day is not None and field not in errors and not plausible(day):
            errors[field] = implausible_message()
    return errors


@transaction.atomic
def document_save(
    *,
    supplier,
    actor,
    title: str,
    kind: str,
    name: str = "",
    data: bytes | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    issuer: str = "",
    accredited: bool = False,
    scope: str = "",
    products=(),
    offered: bool = False,
    document: SupplierDocument | None = None,
    version: int | None = None,
    request=None,
) -> SupplierDocument:
    """Create a document (a file is required) or update one (a new file is optional)."""
    errors = _check(title, kind, valid_from, valid_until)
    if document is None and data is None:
        errors["file"] = _("Choose a file.")
    products = list(products)
    if any(p.supplier_id != supplier.pk for p in products):
        errors["products"] = _("Pick only your own products.")
    if errors:
        raise ValidationError(errors)
    checked = check_upload(name, data) if data is not None else None
    if document is None:
        doc = SupplierDocument(supplier=supplier, uploaded_by=actor)
        before = {}
    else:
        doc = SupplierDocument.objects.select_for_update().get(pk=document.pk, supplier=supplier)
        if version is not None and version != doc.version:
            raise Conflict(
                _("Someone else changed this document meanwhile. Reload and try again."),
                current={"version": doc.version},
            )
        before = {
            "title": doc.title,
            "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
            "sha256": doc.sha256,
        }
        doc.version += 1
    doc.title, doc.kind = title.strip()[:200], kind
    doc.valid_from, doc.valid_until = valid_from, valid_until
    doc.issuer, doc.accredited, doc.scope = issuer.strip()[:200], bool(accredited), scope[:4000]
    doc.offered = bool(offered)
    if checked is not None:
        doc.name, doc.content_type = checked.name, checked.content_type
        doc.size, doc.sha256 = checked.size, checked.sha256
        doc.uploaded_by = actor
        doc.file.save("upload", ContentFile(data), save=False)
    doc.save()
    doc.products.set(products)
    audit_record(
        action="document.uploaded" if document is None else "document.changed",
        organisation=supplier,
        actor=actor,
        obj=doc,
        before=before,
        after={
            "title": doc.title,
            "kind": doc.kind,
            "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
            "sha256": doc.sha256,
            "products": [p.pk for p in products],
            "offered": doc.offered,
        },
        request=request,
    )
    return doc


@transaction.atomic
def document_delete(*, document: SupplierDocument, actor, request=None) -> None:
    """Remove a document; evidence already attached from it keeps its own copy."""
    audit_record(
        action="document.deleted",
        organisation=document.supplier,
        actor=actor,
        obj=document,
        before={"title": document.title, "sha256": document.sha256},
        request=request,
    )
    storage, stored = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))  # only once the row is really gone


def products_of(supplier):
    return Product.objects.filter(supplier=supplier).order_by("name")
