"""The suppliers API addresses a supplier by the supplier organisation's id (API.md): the id a
client gets back is the one `relationships` takes, never a link id that names another supplier."""

from __future__ import annotations

import json

from django.urls import reverse

from portal.core.accounts.models import Organisation
from suppliers.models import Relationship, SupplierLink
from suppliers.services import product_save

INTAKE = {"data": 3, "volume": 2, "continuity": 2, "access": 1, "substitutability": 1}


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _crossed_suppliers(cast) -> tuple[Organisation, Organisation]:
    """Two linked suppliers whose link ids are each other's organisation ids — where taking
    the link's id for the supplier's picked the other supplier, silently."""
    alfa = Organisation.objects.create(pk=900, name="Alfa B.V.", slug="alfa", kind="supplier")
    bravo = Organisation.objects.create(pk=901, name="Bravo B.V.", slug="bravo", kind="supplier")
    SupplierLink.objects.create(pk=bravo.pk, care_org=cast.hospital, supplier=alfa)
    SupplierLink.objects.create(pk=alfa.pk, care_org=cast.hospital, supplier=bravo)
    return alfa, bravo


def test_a_suppliers_id_never_names_another_supplier(cast, as_api):
    alfa, bravo = _crossed_suppliers(cast)
    api = as_api(cast.procurement)
    listed = api.get(reverse("supplier-list")).json()["results"]
    ids = {s["name"]: s["id"] for s in listed}
    assert (ids["Alfa B.V."], ids["Bravo B.V."]) == (alfa.pk, bravo.pk)

    for name, supplier in (("Alfa B.V.", alfa), ("Bravo B.V.", bravo)):
        one = api.get(reverse("supplier-detail", args=[ids[name]])).json()
        assert (one["id"], one["name"], one["slug"]) == (supplier.pk, name, supplier.slug)
        response = _post(
            api,
            reverse("relationship-list"),
            {"supplier": ids[name], "name": name, "supplier_types": ["cloud"], "intake": INTAKE},
        )
        assert response.status_code == 201, response.content
        assert response.json()["supplier"] == supplier.pk
        assert Relationship.objects.get(pk=response.json()["id"]).supplier == supplier


def test_register_answers_the_id_relationships_take(cast, as_api):
    _crossed_suppliers(cast)
    # An organisation more than links, so the new link's id is not the new supplier's.
    Organisation.objects.create(name="Los B.V.", slug="los", kind="supplier")
    api = as_api(cast.procurement)
    new = _post(api, reverse("supplier-list"), {"name": "Charlie B.V."}).json()
    charlie = Organisation.objects.get(slug=new["slug"])
    assert new["id"] == new["supplier"] == charlie.pk
    body = {"supplier": new["id"], "name": "C", "supplier_types": ["other"], "intake": INTAKE}
    rel = _post(api, reverse("relationship-list"), body).json()
    assert SupplierLink.objects.get(care_org=cast.hospital, supplier=charlie).pk != charlie.pk
    assert Relationship.objects.get(pk=rel["id"]).supplier == charlie


def test_products_are_the_suppliers_own_and_another_suppliers_is_refused(cast, as_api):
    alfa, bravo = _crossed_suppliers(cast)
    portal = product_save(supplier=alfa, actor=None, name="Portaal")
    backup = product_save(supplier=bravo, actor=None, name="Back-up")
    api = as_api(cast.procurement)
    products = api.get(reverse("supplier-products", args=[alfa.pk])).json()
    assert [(p["id"], p["name"]) for p in products] == [(portal.pk, "Portaal")]

    body = {"supplier": alfa.pk, "name": "A", "supplier_types": ["cloud"], "intake": INTAKE}
    refused = _post(api, reverse("relationship-list"), {**body, "products": [backup.pk]})
    assert refused.status_code == 400 and "products" in refused.json()["errors"]
    assert not Relationship.objects.filter(supplier=alfa).exists()
    made = _post(api, reverse("relationship-list"), {**body, "products": [portal.pk]})
    assert made.status_code == 201 and made.json()["products"] == [portal.pk]
    assert list(Relationship.objects.get(pk=made.json()["id"]).products.all()) == [portal]


def test_a_supplier_without_a_link_is_a_404(cast, as_api):
    alfa, _bravo = _crossed_suppliers(cast)
    stranger = Organisation.objects.create(name="Vreemd B.V.", slug="vreemd", kind="supplier")
    SupplierLink.objects.create(care_org=cast.other_care, supplier=stranger)
    api = as_api(cast.procurement)
    for pk in (stranger.pk, cast.other_care.pk, 999_999):
        assert api.get(reverse("supplier-detail", args=[pk])).status_code == 404
        assert api.get(reverse("supplier-products", args=[pk])).status_code == 404
    # The other care organisation's link does not open this one's supplier.
    other = as_api(cast.other_care_ciso)
    assert other.get(reverse("supplier-detail", args=[alfa.pk])).status_code == 404
    assert other.get(reverse("supplier-detail", args=[stranger.pk])).json()["id"] == stranger.pk
