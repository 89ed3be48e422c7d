"""Telling care organisations with access that a trust profile's answers changed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Organisation
from portal.core.events import emit
from portal.core.notifications.services import notice_kind, notify

from ..notices.common import users
from .models import AccessStatus, ProfileAccess, TrustProfile, Visibility

CHANGED = notice_kind(
    "trust_profile.changed",
    gettext_lazy("A supplier changed answers in a trust profile you can read"),
    side="care",
)


def profiles_changed(*, supplier, changes: dict) -> None:
    """`changes` maps product id → changed codes; emits once per published profile."""
    for profile in TrustProfile.objects.filter(supplier=supplier, product_id__in=list(changes)):
        orgs = list(
            ProfileAccess.objects.filter(profile=profile, status=AccessStatus.GRANTED).values_list(
                "care_org_id", flat=True
            )
        )
        codes = [
            c for c in changes[profile.product_id] if profile.answer_level(c) != Visibility.PRIVATE
        ]
        if orgs and codes:
            emit("trust_profile.changed", profile=profile, codes=codes, care_organisations=orgs)


def notify_profile_readers(event) -> None:
    data = event["data"]
    profile = (
        TrustProfile.objects.select_related("supplier", "product")
        .filter(pk=data["profile"])
        .first()
    )
    if profile is None:
        return
    url = reverse("trust_profile_detail", args=[profile.pk])
    values = {
        "supplier": profile.supplier.name,
        "product": profile.product.name,
        "codes": ", ".join(data["codes"]),
    }

    def render():
        return (
            _("%(supplier)s changed its trust profile for %(product)s") % values,
            _("Changed answers: %(codes)s.") % values,
        )

    granted = ProfileAccess.objects.filter(profile=profile, status=AccessStatus.GRANTED)
    for org in Organisation.objects.filter(pk__in=granted.values("care_org_id")):
        for user in users(org, roles=("admin", "security")):
            notify(user=user, organisation=org, render=render, url=url, kind=CHANGED)
