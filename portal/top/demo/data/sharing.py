"""Demo trust profile (DESIGN §14): MedDossier publishes its EPD's confirmed answers, on
request, with a few answers and its NEN 7510 certificate as the summary for everyone, its
pentest summary on request and two answers kept private; De Linde has access and assessed from
it (the questions the profile does not cover went to MedDossier as a short questionnaire)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.core.accounts.models import Organisation
from questionnaires.models import LibraryAnswer
from questionnaires.selectors import propose_template
from questionnaires.sharing.models import TrustProfile
from questionnaires.sharing.services import (
    access_grant,
    assessment_from_profile,
    profile_items_set,
    profile_publish,
    profile_request_access,
)
from suppliers.models import Product, Relationship, SupplierDocument

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
    # A few answers and the NEN 7510 certificate as the summary for every care organisation,
    # the pentest summary on request, two answers kept private (they never leave MedDossier).
    documents = {
        d.pk: ("summary" if d.kind == "nen7510" else "on_request")
        for d in SupplierDocument.objects.filter(supplier=supplier, kind__in=("nen7510", "pentest"))
    }
    answers = {code: "summary" for code in codes[:3]} | {code: "private" for code in codes[-2:]}
    profile_items_set(profile=profile, answers=answers, documents=documents, actor=owner)
    buyer = care.memberships.filter(role="procurement").select_related("user").first()
    access = profile_request_access(
        profile=profile,
        care_org=care,
        actor=buyer.user,
        message="Wij willen uw EPD beoordelen op basis van uw vertrouwensprofiel.",
        accept_terms=True,
    )
    access_grant(access=access, actor=owner)
    # Three answers were last confirmed over a year ago: the copy flags them for the reviewer.
    LibraryAnswer.objects.filter(supplier=supplier, product=product, code__in=codes[3:6]).update(
        updated_at=timezone.now() - timedelta(days=430)
    )
    rel = Relationship.objects.filter(care_org=care, supplier=supplier).first()
    if rel is not None:
        template = propose_template(membership=buyer, relationship=rel)
        assessment_from_profile(
            profile=profile, relationship=rel, template=template, actor=buyer.user
        )
