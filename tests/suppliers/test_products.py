"""Suppliers maintain their products and fourth parties; care organisations pick products."""

from __future__ import annotations

from django.urls import reverse

from suppliers.models import Product, SubProcessor
from tests.access import _relationship
from tests.conftest import client_for


def test_supplier_adds_product_and_fourth_party(cast):
    client = client_for(cast.supplier_owner)
    client.post(reverse("product_list"), {"name": "EPD Pro", "supplier_types": ["epd", "cloud"]})
    product = Product.objects.get(supplier=cast.supplier)
    assert product.supplier_types == ["epd", "cloud"]
    client.post(
        reverse("subprocessor_add", kwargs={"pk": product.pk}),
        {
            "name": "Hyperscaler",
            "service": "hosting",
            "country": "ie",
            "parent_country": "US",
            "data_access": "on",
        },
    )
    sub = SubProcessor.objects.get(product=product)
    assert (sub.country, sub.parent_country, sub.data_access) == ("IE", "US", True)
    client.post(
        reverse("subprocessor_add", kwargs={"pk": product.pk}),
        {"name": "X", "service": "y", "country": "Nederland"},
    )
    assert SubProcessor.objects.count() == 1  # a bad country code changes nothing


def test_other_supplier_cannot_add_to_my_product(cast):
    client_for(cast.supplier_owner).post(reverse("product_list"), {"name": "EPD Pro"})
    product = Product.objects.get()
    response = client_for(cast.other_supplier_owner).post(
        reverse("subprocessor_add", kwargs={"pk": product.pk}),
        {"name": "X", "service": "y", "country": "NL"},
    )
    assert response.status_code == 404 and not SubProcessor.objects.exists()


def test_care_org_picks_only_that_suppliers_products(cast):
    rel = _relationship(cast)["relationship"]
    client_for(cast.supplier_owner).post(reverse("product_list"), {"name": "EPD Pro"})
    client_for(cast.other_supplier_owner).post(reverse("product_list"), {"name": "Vreemd"})
    mine, foreign = Product.objects.get(name="EPD Pro"), Product.objects.get(name="Vreemd")
    client_for(cast.procurement).post(
        reverse("relationship_products", kwargs={"pk": rel.pk}), {"products": [mine.pk, foreign.pk]}
    )
    assert list(rel.products.values_list("name", flat=True)) == ["EPD Pro"]
    page = client_for(cast.viewer).get(reverse("relationship_detail", kwargs={"pk": rel.pk}))
    assert [p.name for p in page.context["supplier_products"]] == ["EPD Pro"]


def test_relationship_page_lists_assessments_findings_and_send_button(cast):
    from questionnaires import assessments as svc
    from tests.access import assessment_at

    world = assessment_at(cast, "submitted")
    svc.assessment_complete(assessment=world["assessment"], actor=cast.ciso.user)
    page = client_for(cast.procurement).get(
        reverse("relationship_detail", kwargs={"pk": world["relationship"].pk})
    )
    assert [a.pk for a in page.context["assessments"]] == [world["assessment"].pk]
    assert [f.question_code for f in page.context["findings"]] == ["A-01"]
    assert page.context["can_send"] is True
    html = page.content.decode()
    assert reverse("assessment_send", kwargs={"pk": world["relationship"].pk}) in html
    viewer = client_for(cast.viewer).get(
        reverse("relationship_detail", kwargs={"pk": world["relationship"].pk})
    )
    assert viewer.context["can_send"] is False
