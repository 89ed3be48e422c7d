"""A supplier's shared documents: upload once, attach a copy as evidence (DESIGN §10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.core.audit.models import AuditEvent
from portal.core.exceptions import Conflict
from portal.core.uploads import UploadRefused
from questionnaires import assessments as svc
from questionnaires.models import Evidence
from suppliers.documents import document_save
from suppliers.models import SupplierDocument
from tests.access import PDF, _document, _sent_with_document
from tests.conftest import client_for


def test_owner_uploads_edits_and_deletes_from_the_page(cast, django_capture_on_commit_callbacks):
    owner = client_for(cast.supplier_owner)
    r = owner.post(
        reverse("document_list"),
        {
            "title": "ISO 27001-certificaat",
            "kind": "iso27001",
            "file": SimpleUploadedFile("iso.pdf", PDF, content_type="application/pdf"),
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "issuer": "Certificerende instelling",
            "accredited": "on",
        },
    )
    assert r.status_code == 302
    doc = SupplierDocument.objects.get()
    assert (doc.supplier, doc.accredited, doc.size) == (cast.supplier, True, len(PDF))
    page = owner.get(reverse("document_list")).content.decode()
    assert "ISO 27001-certificaat" in page and "expires soon" in page
    # A stale edit is refused and changes nothing.
    r = owner.post(
        reverse("document_edit", kwargs={"pk": doc.pk}),
        {"title": "Nieuw", "kind": "iso27001", "version": 99},
    )
    assert r.status_code == 400 and "Someone else changed this document" in r.content.decode()
    assert SupplierDocument.objects.get().title == "ISO 27001-certificaat"
    r = owner.post(
        reverse("document_edit", kwargs={"pk": doc.pk}),
        {"title": "ISO 27001 (2026)", "kind": "iso27001", "version": doc.version},
    )
    assert r.status_code == 302 and SupplierDocument.objects.get().title == "ISO 27001 (2026)"
    path = doc.file.path
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("document_delete", kwargs={"pk": doc.pk}))
    assert not SupplierDocument.objects.exists()
    import os

    assert not os.path.exists(path)
    assert {"document.uploaded", "document.changed", "document.deleted"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_hostile_or_bad_documents_are_refused(cast):
    owner = client_for(cast.supplier_owner)
    r = owner.post(
        reverse("document_list"),
        {
            "title": "Vals",
            "kind": "policy",
            "file": SimpleUploadedFile("beleid.pdf", b"<html><script>alert(1)</script>"),
        },
    )
    assert r.status_code == 400
    with pytest.raises(UploadRefused):
        document_save(
            supplier=cast.supplier,
            actor=cast.supplier_owner.user,
            title="Leeg",
            kind="policy",
            name="leeg.pdf",
            data=b"",
        )
    with pytest.raises(ValidationError):
        document_save(
            supplier=cast.supplier,
            actor=cast.supplier_owner.user,
            title="Datums",
            kind="policy",
            name="a.pdf",
            data=PDF,
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() - timedelta(days=1),
        )
    assert not SupplierDocument.objects.exists()
    # A respondent may read but not upload.
    r = client_for(cast.respondent).post(
        reverse("document_list"),
        {"title": "x", "kind": "policy", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert r.status_code == 403 and not SupplierDocument.objects.exists()


def test_pick_a_document_as_evidence_is_a_copy(cast):
    world = _sent_with_document(cast)
    a, doc = world["assessment"], world["document"]
    respondent = client_for(cast.respondent)
    page = respondent.get(reverse("assessment_detail", kwargs={"pk": a.pk})).content.decode()
    assert "or attach one of your documents" in page and "NEN 7510-certificaat" in page
    r = respondent.post(
        reverse("assessment_evidence_pick", kwargs={"pk": a.pk, "code": "A-01"}),
        {"document": doc.pk},
    )
    assert r.status_code == 302
    ev = Evidence.objects.get()
    assert (ev.name, ev.sha256, ev.source_document) == ("certificaat.pdf", doc.sha256, doc)
    assert ev.file.name != doc.file.name  # its own copy
    # The care organisation downloads the copy.
    care = client_for(cast.ciso).get(reverse("evidence_download", kwargs={"pk": ev.pk}))
    assert b"".join(care.streaming_content) == PDF


def test_expired_or_foreign_documents_cannot_be_attached(cast):
    world = _sent_with_document(cast)
    a, doc = world["assessment"], world["document"]
    SupplierDocument.objects.filter(pk=doc.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    doc.refresh_from_db()
    with pytest.raises(ValidationError):
        svc.evidence_from_document(
            assessment=a, code="A-01", document=doc, actor=cast.supplier_owner.user
        )
    foreign = document_save(
        supplier=cast.other_supplier,
        actor=cast.other_supplier_owner.user,
        title="Ander",
        kind="policy",
        name="a.pdf",
        data=PDF,
    )
    with pytest.raises(ValidationError):
        svc.evidence_from_document(
            assessment=a, code="A-01", document=foreign, actor=cast.supplier_owner.user
        )
    r = client_for(cast.supplier_owner).post(
        reverse("assessment_evidence_pick", kwargs={"pk": a.pk, "code": "A-01"}),
        {"document": foreign.pk},
        follow=True,
    )
    assert "Choose one of your documents first." in r.content.decode()
    assert not Evidence.objects.exists()


def test_stale_api_free_service_conflict(cast):
    doc = _document(cast)["document"]
    with pytest.raises(Conflict):
        document_save(
            supplier=cast.supplier,
            actor=cast.supplier_owner.user,
            title="x",
            kind="policy",
            document=doc,
            version=doc.version + 1,
        )
