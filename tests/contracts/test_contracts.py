"""The contract register, renewals, contract files, certificate reviews and their reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import CertificateReview, Contract
from portal.core.audit.models import AuditEvent
from portal.core.exceptions import Conflict
from portal.core.notifications.models import Notification
from portal.core.uploads import UploadRefused
from suppliers.models import Relationship
from tests.access import PDF, _contract, _offered_certificate, _relationship
from tests.conftest import client_for


def _form(**overrides):
    data = {
        "reference": "C-7",
        "title": "Hostingovereenkomst",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "notice_months": 3,
        "renewal_months": 12,
        "auto_renewal": "on",
    }
    data.update(overrides)
    return data


def test_register_edit_and_renew_from_the_pages(cast):
    rel = _relationship(cast)["relationship"]
    client = client_for(cast.procurement)
    r = client.post(reverse("contract_list", kwargs={"pk": rel.pk}), _form())
    assert r.status_code == 302
    c = Contract.objects.get()
    assert (c.owner, c.notice_deadline) == (cast.procurement.user, date(2027, 9, 30))
    page = client.get(reverse("contract_list", kwargs={"pk": rel.pk})).content.decode()
    assert "C-7" in page and "30 September 2027" in page
    # Dates through Django's localisation: the Dutch page writes the month in Dutch, lower case.
    nl = client_for(cast.procurement, lang="nl").get(
        reverse("contract_list", kwargs={"pk": rel.pk})
    )
    assert "30 september 2027" in nl.content.decode() and "Sep 2027" not in nl.content.decode()
    # Bad input: an end before the start; nothing stored.
    r = client.post(
        reverse("contract_list", kwargs={"pk": rel.pk}),
        _form(reference="C-8", end_date="2025-01-01"),
    )
    assert (
        r.status_code == 400 and "The end date must lie after the start date." in r.content.decode()
    )
    assert Contract.objects.count() == 1
    # A stale edit is refused.
    r = client.post(
        reverse("contract_edit", kwargs={"pk": c.pk}), _form(title="Nieuw", version=c.version + 5)
    )
    assert r.status_code == 400 and "Someone else changed this contract" in r.content.decode()
    # Renewal extends by the term and makes the relationship due for reassessment.
    r = client.post(reverse("contract_renew", kwargs={"pk": c.pk}))
    c.refresh_from_db()
    assert c.end_date == date(2028, 12, 31)
    rel.refresh_from_db()
    assert rel.next_assessment_due == timezone.localdate()
    assert "C-7" in rel.due_reason
    assert {"contract.created", "contract.renewed", "relationship.marked_due"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    # Board and viewer read, but cannot register.
    assert (
        client_for(cast.board).get(reverse("contract_list", kwargs={"pk": rel.pk})).status_code
        == 200
    )
    assert (
        client_for(cast.viewer)
        .post(reverse("contract_list", kwargs={"pk": rel.pk}), _form())
        .status_code
        == 403
    )


def test_contract_files_are_private_and_checked(cast):
    world = _contract(cast)
    c = world["contract"]
    with pytest.raises(UploadRefused):  # an executable under a .pdf name
        services.contract_document_add(
            contract=c, kind="signed", name="x.pdf", data=b"MZ\x90\x00", actor=cast.procurement.user
        )
    doc = services.contract_document_add(
        contract=c,
        kind="dpa",
        name="verwerkersovereenkomst.pdf",
        data=PDF,
        actor=cast.procurement.user,
    )
    url = reverse("contract_document_download", kwargs={"pk": doc.pk})
    r = client_for(cast.viewer).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert client_for(cast.supplier_owner).get(url).status_code in (403, 404)
    assert client_for(cast.other_care_admin).get(url).status_code == 404


def test_contract_reminders_with_frozen_dates(cast):
    world = _contract(cast)  # ends 2028-12-31, notice 3 months: deadline 2028-09-30
    c = world["contract"]
    assert services.contract_reminders(today=date(2028, 8, 1)) == 1  # 60 days before notice
    assert services.contract_reminders(today=date(2028, 8, 1)) == 0  # beat twice: once
    assert services.contract_reminders(today=date(2028, 8, 2)) == 0
    assert services.contract_reminders(today=date(2028, 9, 16)) == 1  # 14 days before
    assert services.contract_reminders(today=date(2028, 11, 1)) == 1  # 60 days before the end
    subjects = list(
        Notification.objects.filter(user=cast.procurement.user).values_list("subject", flat=True)
    )
    assert subjects.count("C-2026-01: de uiterste opzegdatum is over 60 dagen") == 1
    assert c.pk


def test_certificate_review_and_reminders_for_both_sides(cast):
    world = _offered_certificate(cast)
    rel, doc = world["relationship"], world["document"]
    client = client_for(cast.procurement)
    page = client.get(reverse("contract_list", kwargs={"pk": rel.pk})).content.decode()
    assert "NEN 7510-certificaat" in page and "Not reviewed" in page
    r = client.post(
        reverse("certificate_review", kwargs={"pk": rel.pk, "document": doc.pk}),
        {"verdict": "partly", "note": ""},
        follow=True,
    )
    assert "Say what the scope leaves out." in r.content.decode()
    assert not CertificateReview.objects.exists()
    client.post(
        reverse("certificate_review", kwargs={"pk": rel.pk, "document": doc.pk}),
        {"verdict": "partly", "note": "De scope dekt de hosting niet"},
    )
    review = CertificateReview.objects.get()
    assert (review.verdict, review.reviewed_by) == ("partly", cast.procurement.user)
    # 60 days before expiry: the supplier's owner and the relationship's owner hear, once.
    doc.refresh_from_db()
    doc.valid_until = timezone.localdate() + timedelta(days=60)
    doc.save()
    assert services.certificate_reminders(today=timezone.localdate()) == 2
    assert services.certificate_reminders(today=timezone.localdate()) == 0
    assert Notification.objects.filter(user=cast.supplier_owner.user).count() >= 1
    # Expired: flagged on the relationship page.
    doc.valid_until = timezone.localdate() - timedelta(days=1)
    doc.save()
    page = client.get(reverse("relationship_detail", kwargs={"pk": rel.pk})).content.decode()
    assert "Expired certificate" in page


def test_service_refusals_change_nothing(cast):
    world = _contract(cast)
    c = world["contract"]
    with pytest.raises(ValidationError):
        services.contract_save(
            relationship=world["relationship"],
            actor=cast.procurement.user,
            reference="",
            title="",
            start_date=None,
        )
    with pytest.raises(ValidationError):
        services.contract_save(
            relationship=world["relationship"],
            actor=cast.procurement.user,
            reference="X",
            title="X",
            start_date=date(2026, 1, 1),
            owner=cast.other_care_admin.user,
        )
    Contract.objects.filter(pk=c.pk).update(end_date=None)
    c.refresh_from_db()
    with pytest.raises(Conflict):
        services.contract_renew(contract=c, actor=cast.procurement.user)
    assert Contract.objects.count() == 1
    assert Relationship.objects.get(pk=world["relationship"].pk).next_assessment_due is None
