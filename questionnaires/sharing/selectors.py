"""Reads for trust profiles: the supplier's own profiles, the care directory, and a profile's
items (answers, certificates and documents) as far as an organisation may see them: summary
items by every care organisation, on-request items once granted, private items never."""

from __future__ import annotations

from django.db.models import Q

from suppliers.models import CERTIFICATE_KINDS

from ..models import LibraryAnswer
from .models import SEEN_BY_ALL, SEEN_WITH_ACCESS, AccessStatus, ProfileAccess, TrustProfile
from .models import Visibility as V


def profiles_for(membership, q: str = ""):
    org = membership.organisation
    qs = TrustProfile.objects.select_related("supplier", "product").prefetch_related(
        "documents__document"
    )
    if org.is_supplier:
        return qs.filter(supplier=org)
    if q:
        summary = Q(documents__visibility=V.SUMMARY) | Q(
            documents__visibility="", visibility=V.SUMMARY
        )
        certificate = summary & (
            Q(documents__document__title__icontains=q) | Q(documents__document__kind=q.lower())
        )
        qs = qs.filter(
            Q(supplier__name__icontains=q)
            | Q(supplier__kvk_number=q)
            | Q(product__name__icontains=q)
            | certificate
        ).distinct()
    return qs


def access_of(profile, care_org) -> str:
    access = ProfileAccess.objects.filter(profile=profile, care_org=care_org).first()
    return access.status if access else "none"


def has_access(profile, care_org) -> bool:
    return ProfileAccess.objects.filter(
        profile=profile, care_org=care_org, status=AccessStatus.GRANTED
    ).exists()


def levels_for(profile, org) -> tuple:
    """The visibility levels of the profile's items this organisation sees: all for the
    supplier that owns it, summary and on request once granted, else the summary only."""
    if org.pk == profile.supplier_id:
        return tuple(V.values)
    return SEEN_WITH_ACCESS if has_access(profile, org) else SEEN_BY_ALL


def requests_for(membership):
    return ProfileAccess.objects.filter(profile__supplier=membership.organisation).select_related(
        "profile", "care_org"
    )


def profile_answers(profile, *, levels=SEEN_WITH_ACCESS):
    """The profile's library answers whose visibility is one of `levels`."""
    entries = LibraryAnswer.objects.filter(
        supplier=profile.supplier, product=profile.product
    ).select_related("source")
    return [e for e in entries if profile.answer_level(e.code) in levels]


def profile_documents(profile, *, levels=SEEN_WITH_ACCESS):
    """The certificates and documents included in the profile whose visibility is in `levels`."""
    return [d for d in profile.documents.all() if d.level in levels]


def summary_certificates(profile) -> list:
    """The certificates every care organisation sees in the directory."""
    return [
        d.document
        for d in profile_documents(profile, levels=SEEN_BY_ALL)
        if d.document.kind in CERTIFICATE_KINDS
    ]


def downloadable(profile, org, document_pk: int):
    """The included document `org` may download (the owner, or a care organisation with
    access, for a document that is not private); None otherwise."""
    if org.is_care and not has_access(profile, org):
        return None
    item = next((d for d in profile.documents.all() if d.document_id == document_pk), None)
    if item is None or item.level not in levels_for(profile, org):
        return None
    return item.document
