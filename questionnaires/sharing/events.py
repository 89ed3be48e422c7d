"""The event a trust profile emits (DESIGN §14): a published answer changed."""

from __future__ import annotations

from portal.core.events import define


def _changed_data(*, profile, codes, care_organisations, **_unused) -> dict:
    return {
        "profile": profile.pk,
        "product": profile.product_id,
        "supplier": profile.supplier_id,
        "codes": sorted(codes),
        "care_organisations": list(care_organisations),
    }


def define_events() -> None:
    define(
        "trust_profile.changed",
        summary="A supplier changed answers published in a trust profile; the care "
        "organisations with access are told what changed.",
        arguments={
            "profile": "the TrustProfile",
            "codes": "the question codes whose answers changed",
            "care_organisations": "ids of the care organisations with access",
        },
        data={
            "profile": "id of the trust profile",
            "product": "id of the product",
            "supplier": "id of the supplier organisation",
            "codes": "the question codes whose answers changed",
            "care_organisations": "ids of the care organisations with access (each receives "
            "a copy naming only itself)",
        },
        build_data=_changed_data,
    )
