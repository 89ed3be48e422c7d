"""Demo relationships, the suppliers' products and the fourth parties behind them."""

from __future__ import annotations

from portal.core.accounts.models import Organisation
from suppliers.models import INTAKE_FACTORS, Product, Relationship
from suppliers.services import (
    product_save,
    relationship_create,
    subprocessor_add,
    supplier_register,
)

# (care org, supplier, name, types, intake: data, volume, continuity, access, substitutability)
RELATIONSHIPS = [
    ("rivierenland", "meddossier", "EPD MedDossier", ["epd"], (3, 3, 3, 3, 3)),
    ("rivierenland", "wolkzorg", "Zorgportaal (SaaS)", ["cloud"], (3, 2, 2, 1, 2)),
    ("rivierenland", "beheerpunt", "Werkplekbeheer", ["it_services"], (1, 1, 1, 2, 1)),
    ("rivierenland", "lablink", "Labkoppeling", ["medical_device"], (1, 1, 1, 0, 0)),
    ("de-linde", "wolkzorg", "Cliëntdossier in de cloud", ["cloud", "epd"], (3, 1, 2, 1, 2)),
    ("de-linde", "beheerpunt", "IT-beheer", ["it_services"], (1, 1, 1, 1, 1)),
    # De Linde assesses MedDossier from its trust profile (sharing.py), not by questionnaire.
    ("de-linde", "meddossier", "Zorgdossier MedDossier", ["epd"], (3, 1, 2, 2, 3)),
]


def _load_relationships(orgs: dict[str, Organisation]) -> None:
    for care, supplier, name, types, levels in RELATIONSHIPS:
        care_org = orgs[care]
        if Relationship.objects.filter(care_org=care_org, name=name).exists():
            continue
        actor = care_org.memberships.filter(role="procurement").first()
        actor_user = actor.user if actor else None
        link = supplier_register(
            care_org=care_org,
            name=orgs[supplier].name,
            kvk_number=orgs[supplier].kvk_number,
            actor=actor_user,
        )
        relationship_create(
            care_org=care_org,
            supplier=link.supplier,
            name=name,
            supplier_types=types,
            intake=dict(zip(INTAKE_FACTORS, levels, strict=True)),
            status="active",
            actor=actor_user,
        )


# (supplier slug, product, fourth parties: name, service, country, parent country, data access)
PRODUCTS = [
    (
        "meddossier",
        "MedDossier EPD",
        [
            ("Azure (Microsoft)", "Hosting en opslag", "NL", "US", True),
            ("Zivver", "Beveiligde e-mail", "NL", "", True),
        ],
    ),
    ("wolkzorg", "Zorgportaal", [("Azure (Microsoft)", "Hosting", "IE", "US", True)]),
    ("beheerpunt", "Werkplekbeheer", [("TeamViewer", "Beheer op afstand", "DE", "", False)]),
    ("lablink", "LabLink Connect", [("Cloudflare", "DDoS-bescherming", "US", "US", False)]),
]


PRODUCT_OF = {
    "EPD MedDossier": "MedDossier EPD",
    "Zorgdossier MedDossier": "MedDossier EPD",
    "Zorgportaal (SaaS)": "Zorgportaal",
    "Cliëntdossier in de cloud": "Zorgportaal",
    "Werkplekbeheer": "Werkplekbeheer",
    "IT-beheer": "Werkplekbeheer",
    "Labkoppeling": "LabLink Connect",
}


def _load_products(orgs: dict[str, Organisation]) -> None:

    for slug, name, parties in PRODUCTS:
        supplier = orgs[slug]
        if Product.objects.filter(supplier=supplier, name=name).exists():
            continue
        owner = supplier.memberships.filter(role="owner").select_related("user").first().user
        product = product_save(supplier=supplier, actor=owner, name=name)
        for party, service, country, parent, access in parties:
            subprocessor_add(
                product=product,
                actor=owner,
                name=party,
                service=service,
                country=country,
                parent_country=parent,
                data_access=access,
            )
    for rel in Relationship.objects.filter(name__in=PRODUCT_OF):
        if not rel.products.exists():
            rel.products.set(
                Product.objects.filter(supplier=rel.supplier, name=PRODUCT_OF[rel.name])
            )
