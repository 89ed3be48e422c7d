"""Writes for contracts: the register, private contract files, renewals (which make the
relationship due for reassessment), certificate reviews, and the daily reminders."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Membership
from portal.core.audit.services import audit_record
from portal.core.dates import implausible_message, plausible
from portal.core.exceptions import Conflict
from portal.core.notifications.services import notice_kind, notify, once
from portal.core.uploads import check_upload
from suppliers.models import CERTIFICATE_KINDS, Relationship, SupplierDocument
from suppliers.risk import add_months, relationship_mark_due

from .exitnote import exit_note_refresh
from .models import (
    CertificateReview,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    ScopeVerdict,
)

REMINDER_DAYS = (60, 14)  # before a notice deadline, an end date, a certificate's expiry

NOTICE_DUE = notice_kind(
    "contract.notice_due", gettext_lazy("A contract's notice date or end approaches"), side="care"
)
CERTIFICATE_EXPIRING = notice_kind(
    "certificate.expiring", gettext_lazy("A certificate or report expires soon"), side="both"
)
EXIT_TEST_DUE = notice_kind(
    "exit_test.due", gettext_lazy("An exit plan is due for its test"), side="care"
)


def _check(reference, title, start_date, end_date, notice_months, renewal_months) -> dict:
    errors = {}
    if not (reference or "").strip():
        errors["reference"] = _("A reference is required.")
    if not (title or "").strip():
        errors["title"] = _("A title is required.")
    if start_date is None:
        errors["start_date"] = _("A start date is required.")
    if start_date and end_date and end_date <= start_date:
        errors["end_date"] = _("The end date must lie after the start date.")
    for field, day in (("start_date", start_date), ("end_date", end_date)):
        if day is not None and field not in errors and not plausible(day):
            errors[field] = implausible_message()
    if not isinstance(notice_months, int) or not 0 <= notice_months <= 60:
        errors["notice_months"] = _("Give the notice period in months, 0 to 60.")
    if not isinstance(renewal_months, int) or not 1 <= renewal_months <= 120:
        errors["renewal_months"] = _("Give the renewal term in months, 1 to 120.")
    return errors


def _owner_ok(owner, relationship) -> bool:
    return (
        owner is None
        or owner.memberships.filter(organisation=relationship.care_org, is_active=True).exists()
    )


@transaction.atomic
def contract_save(
    *,
    relationship,
    actor,
    reference: str,
    title: str,
    start_date: date | None,
    end_date: date | None = None,
    notice_months: int = 3,
    auto_renewal: bool = False,
    renewal_months: int = 12,
    owner=None,
    notes: str = "",
    contract: Contract | None = None,
    version: int | None = None,
    request=None,
) -> Contract:
    errors = _check(reference, title, start_date, end_date, notice_months, renewal_months)
    if not _owner_ok(owner, relationship):
        errors["owner"] = _("The owner must be a member of your organisation.")
    if errors:
        raise ValidationError(errors)
    if contract is None:
        c = Contract(relationship=relationship)
        before = {}
    else:
        c = Contract.objects.select_for_update().get(pk=contract.pk, relationship=relationship)
        if version is not None and version != c.version:
            raise Conflict(
                _("Someone else changed this contract meanwhile. Reload and try again."),
                current={"version": c.version},
            )
        before = _snapshot(c)
        c.version += 1
    c.reference, c.title = reference.strip()[:100], title.strip()[:200]
    c.start_date, c.end_date, c.notice_months = start_date, end_date, notice_months
    c.auto_renewal, c.renewal_months = bool(auto_renewal), renewal_months
    if owner is not None:
        c.owner = owner
    elif contract is None:
        c.owner = actor
    c.notes = (notes or "")[:4000]
    c.save()

    exit_note_refresh(relationship=relationship, actor=actor)
    audit_record(
        action="contract.created" if contract is None else "contract.changed",
        organisation=relationship.care_org,
        actor=actor,
        obj=c,
        before=before,
        after=_snapshot(c),
        request=request,
    )
    return c


def _snapshot(c: Contract) -> dict:
    return {
        "reference": c.reference,
        "title": c.title,
        "start_date": c.start_date.isoformat() if c.start_date else None,
        "end_date": c.end_date.isoformat() if c.end_date else None,
        "notice_months": c.notice_months,
        "auto_renewal": c.auto_renewal,
        "owner": c.owner_id,
    }


@transaction.atomic
def contract_document_add(
    *, contract: Contract, kind: str, name: str, data: bytes, actor, request=None
):
    if kind not in ContractDocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    checked = check_upload(name, data)
    doc = ContractDocument(
        contract=contract,
        kind=kind,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    doc.file.save("upload", ContentFile(data), save=False)
    doc.save()
    audit_record(
        action="contract.document_added",
        organisation=contract.relationship.care_org,
        actor=actor,
        obj=contract,
        after={"kind": kind, "name": checked.name, "sha256": checked.sha256},
        request=request,
    )
    return doc


@transaction.atomic
def contract_renew(*, contract: Contract, actor, new_end_date: date | None = None, request=None):
    """Extend the contract (by its renewal term, or to a given date) and mark the relationship
    due for reassessment — DESIGN §6.6: every contract renewal triggers one."""
    c = Contract.objects.select_for_update().select_related("relationship").get(pk=contract.pk)
    if c.end_date is None:
        raise Conflict(_("A contract without an end date cannot be renewed."))
    end = new_end_date or add_months(c.end_date, c.renewal_months)
    if end <= c.end_date:
        raise ValidationError({"end_date": _("The new end date must lie after the current one.")})
    before = c.end_date
    c.end_date = end
    c.version += 1
    c.save(update_fields=["end_date", "version"])
    audit_record(
        action="contract.renewed",
        organisation=c.relationship.care_org,
        actor=actor,
        obj=c,
        before={"end_date": before.isoformat()},
        after={"end_date": end.isoformat()},
        request=request,
    )

    exit_note_refresh(relationship=c.relationship, actor=actor)
    relationship_mark_due(
        relationship=c.relationship,
        reason=_("Contract %(ref)s renewed until %(date)s") % {"ref": c.reference, "date": end},
        actor=actor,
    )
    return c


# -- certificates -----------------------------------------------------------------------------


def offered_certificates(relationship):
    """The supplier's offered certificates and reports, for this relationship's care org."""
    return SupplierDocument.objects.filter(
        supplier=relationship.supplier, offered=True, kind__in=CERTIFICATE_KINDS
    ).prefetch_related("products")


@transaction.atomic
def certificate_review_set(
    *, relationship, document, verdict: str, note: str, actor, request=None
) -> CertificateReview:
    """Record whether an offered certificate's scope covers what this relationship buys."""
    if not offered_certificates(relationship).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("This supplier does not offer that certificate.")})
    if verdict not in ScopeVerdict.values:
        raise ValidationError({"verdict": _("Choose a verdict.")})
    if verdict in (ScopeVerdict.PARTLY, ScopeVerdict.NOT_COVERED) and not (note or "").strip():
        raise ValidationError({"note": _("Say what the scope leaves out.")})

    review, _created = CertificateReview.objects.select_for_update().get_or_create(
        relationship=relationship, document=document
    )
    before = {"verdict": review.verdict, "note": review.note}
    review.verdict, review.note = verdict, (note or "").strip()[:4000]
    review.reviewed_by, review.reviewed_at = actor, timezone.now()
    review.save()
    audit_record(
        action="certificate.reviewed",
        organisation=relationship.care_org,
        actor=actor,
        obj=relationship,
        before=before,
        after={"document": document.pk, "verdict": verdict, "note": review.note},
        request=request,
    )
    return review


# -- the daily run ----------------------------------------------------------------------------


def _recipients_for_contract(c: Contract):

    people = {c.owner} if c.owner and c.owner.is_active else set()
    people.update(
        m.user
        for m in Membership.objects.active()
        .filter(organisation=c.relationship.care_org, role="procurement")
        .select_related("user")
    )
    return people


def contract_reminders(*, today: date) -> int:
    """60 and 14 days before a notice deadline or an end date: the owner and procurement hear,
    once per contract, date and person (beat may fire twice)."""
    sent = 0
    for c in Contract.objects.filter(end_date__gte=today).select_related(
        "relationship__care_org", "owner"
    ):
        events = [("notice", c.notice_deadline), ("end", c.end_date)]
        for kind, day in events:
            if day is None or day < today:
                continue
            left = (day - today).days
            if left not in REMINDER_DAYS:
                continue
            for person in _recipients_for_contract(c):
                if not once(f"contract:{c.pk}:{kind}:{day.isoformat()}:{left}:{person.pk}"):
                    continue

                def render(c=c, kind=kind, day=day, left=left):
                    what = _("the notice deadline") if kind == "notice" else _("the end date")
                    return (
                        _("%(ref)s: %(what)s is in %(n)s days")
                        % {"ref": c.reference, "what": what, "n": left},
                        _(
                            "Contract %(ref)s (%(title)s) with %(rel)s: %(what)s is %(date)s. "
                            "Decide whether to renew, renegotiate or give notice; a renewal "
                            "makes the supplier due for reassessment."
                        )
                        % {
                            "ref": c.reference,
                            "title": c.title,
                            "rel": c.relationship.name,
                            "what": what,
                            "date": date_format(day, "DATE_FORMAT"),
                        },
                    )

                notify(
                    user=person,
                    organisation=c.relationship.care_org,
                    render=render,
                    url=reverse("contract_list", args=[c.relationship_id]),
                    kind=NOTICE_DUE,
                )
                sent += 1
    return sent


def certificate_reminders(*, today: date) -> int:
    """60 and 14 days before a certificate or report expires: the supplier's owners and, for an
    offered one, the owner of every relationship with that supplier."""

    sent = 0
    days = [today + timedelta(days=d) for d in REMINDER_DAYS]
    for doc in SupplierDocument.objects.filter(
        kind__in=CERTIFICATE_KINDS, valid_until__in=days
    ).select_related("supplier"):
        left = (doc.valid_until - today).days
        targets = [
            (m.user, doc.supplier, reverse("document_edit", args=[doc.pk]))
            for m in Membership.objects.active()
            .filter(organisation=doc.supplier, role="owner")
            .select_related("user")
        ]
        if doc.offered:
            for rel in (
                Relationship.objects.filter(
                    supplier=doc.supplier, owner__isnull=False, owner__is_active=True
                )
                .exclude(status="ended")
                .select_related("owner", "care_org")
            ):
                targets.append((rel.owner, rel.care_org, reverse("contract_list", args=[rel.pk])))
        for person, org, url in targets:
            key = f"certificate:{doc.pk}:{doc.valid_until.isoformat()}:{left}:{person.pk}:{org.pk}"
            if not once(key):
                continue

            def render(doc=doc, left=left):
                return (
                    _("%(title)s expires in %(n)s days") % {"title": doc.title, "n": left},
                    _(
                        "%(title)s of %(supplier)s is valid until %(date)s. A new certificate or "
                        "report should be uploaded and offered before then."
                    )
                    % {
                        "title": doc.title,
                        "supplier": doc.supplier.name,
                        "date": date_format(doc.valid_until, "DATE_FORMAT"),
                    },
                )

            notify(user=person, organisation=org, render=render, url=url, kind=CERTIFICATE_EXPIRING)
            sent += 1
    return sent
