"""Reads for trust profiles: the supplier's own profiles, the care directory, and a profile's
answers for a care organisation with access (private codes never leave the supplier)."""

from __future__ import annotations

from django.db.models import Q

from ..models import LibraryAnswer
from .models import AccessStatus, ProfileAccess, TrustProfile


def profiles_for(membership, q: str = ""):
    org = membership.organisation
    qs = TrustProfile.objects.select_related("supplier", "product")
    if org.is_supplier:
        return qs.filter(supplier=org)
    if q:
        qs = qs.filter(
            Q(supplier__name__icontains=q)
            | Q(supplier__kvk_number=q)
            | Q(product__name__icontains=q)
        )
    return qs


def access_of(profile, care_org) -> str:
    access = ProfileAccess.objects.filter(profile=profile, care_org=care_org).first()
    return access.status if access else "none"


def has_access(profile, care_org) -> bool:
    return ProfileAccess.objects.filter(
        profile=profile, care_org=care_org, status=AccessStatus.GRANTED
    ).exists()


def requests_for(membership):
    return ProfileAccess.objects.filter(profile__supplier=membership.organisation).select_related(
        "profile", "care_org"
    )


def profile_answers(profile, *, include_private: bool = False):
    """The profile's answers; private codes only for the supplier itself (include_private)."""
    entries = LibraryAnswer.objects.filter(
        supplier=profile.supplier, product=profile.product
    ).select_related("source")
    return [e for e in entries if include_private or e.code not in profile.private_codes]
