"""Demo trust profile (DESIGN §14): MedDossier publishes its EPD's confirmed answers, on
request and with a few answers kept private; De Linde has access and assessed from it."""

from __future__ import annotations

from portal.core.accounts.models import Organisation
from questionnaires.models import LibraryAnswer
from questionnaires.selectors import propose_template
from questionnaires.sharing.models import TrustProfile
from questionnaires.sharing.services import (
    access_grant,
    assessment_from_profile,
    profile_publish,
    profile_request_access,
)
from suppliers.models import Product, Relationship

TERMS = "Gebruik deze antwoorden alleen voor de eigen leveranciersbeoordeling; niet verder delen."


def load_sharing(orgs: dict[str, Organisation]) -> None:
    supplier, care = orgs["meddossier"], orgs["de-linde"]
    product = Product.objects.filter(supplier=supplier, name="MedDossier EPD").first()
    if product is None or TrustProfile.objects.filter(supplier=supplier, product=product).exists():
        return
    owner = supplier.memberships.filter(role="owner").select_related("user").first().user
    profile = profile_publish(
        supplier=supplier, product=product, visibility="on_request", terms=TERMS, actor=owner
    )
    codes = list(
        LibraryAnswer.objects.filter(supplier=supplier, product=product).values_list(
            "code", flat=True
        )
    )
    profile.private_codes = codes[-2:]  # kept private: never leave MedDossier
    profile.save(update_fields=["private_codes"])
    buyer = care.memberships.filter(role="procurement").select_related("user").first()
    access = profile_request_access(
        profile=profile,
        care_org=care,
        actor=buyer.user,
        message="Wij willen uw EPD beoordelen op basis van uw vertrouwensprofiel.",
        accept_terms=True,
    )
    access_grant(access=access, actor=owner)
    rel = Relationship.objects.filter(care_org=care, supplier=supplier).first()
    if rel is not None:
        template = propose_template(membership=buyer, relationship=rel)
        assessment_from_profile(
            profile=profile, relationship=rel, template=template, actor=buyer.user
        )
