"""Sector scale (DESIGN §16, issue 21): `seed_bench --scale sector` at a tiny size, and the
pages of the largest care organisation and the largest supplier issue the same number of
queries however large the installation and the supplier's own customer base grow."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.accounts.models import Membership, Organisation
from portal.core.accounts.services import organisation_create
from portal.top.demo.bench.portfolio import CARE_SLUG, SECURITY_EMAIL, SUPPLIER_EMAIL
from portal.top.demo.bench.sector import EPD_EMAIL, EPD_SLUG, SECTOR_TEMPLATE_KEY
from questionnaires import assessments as svc
from questionnaires.models import Answer, Assessment, LibraryAnswer, QuestionnaireTemplate
from suppliers.incidents.models import Incident, Recipient
from suppliers.models import Product, Relationship, SupplierLink
from tests.conftest import client_for
from tests.reports.test_portfolio import _generate

INTAKE = {f"intake_{k}": 2 for k in ("data", "volume", "continuity", "access", "substitutability")}
SIZES = {
    "relationships": 20,
    "assessments": 40,
    "questions": 10,
    "scale": "sector",
    "care_orgs": 5,
    "suppliers": 12,
    "total_relationships": 80,
    "total_assessments": 200,
    "epd_customers": 12,
}


@pytest.fixture
def sector(db):
    out = io.StringIO()
    call_command("seed_bench", stdout=out, **SIZES)
    return out.getvalue()


def test_sector_seed_makes_the_numbers_asked_for(sector):
    assert Organisation.objects.filter(kind="care").count() == 5
    assert Organisation.objects.filter(kind="supplier").count() == 12
    assert Relationship.objects.count() == 80
    assert Assessment.objects.count() == 200
    hospital = Organisation.objects.get(slug=CARE_SLUG)
    assert Relationship.objects.filter(care_org=hospital).count() == 20  # the hospital as before
    assert Assessment.objects.filter(relationship__care_org=hospital).count() == 40
    assert Relationship.objects.values("care_org").distinct().count() == 5
    # The hospital's relationships lie among the others' (ids 1, 5, 9, …), not in one block.
    ids = sorted(Relationship.objects.filter(care_org=hospital).values_list("pk", flat=True))
    assert ids[:3] == [1, 5, 9] and ids[-1] == 77
    epd = Organisation.objects.get(slug=EPD_SLUG)
    epd_rels = Relationship.objects.filter(supplier=epd)
    assert epd_rels.count() == 12  # its customers: every other care organisation, 3 each
    assert epd_rels.values("care_org").distinct().count() == 4
    assert not epd_rels.filter(care_org=hospital).exists()
    # The benchmark supplier answers the hospital only (the same inbox at every size); the
    # hospital's other suppliers are shared with the sector.
    benchmark = Organisation.objects.get(memberships__user__email=SUPPLIER_EMAIL)
    assert set(Relationship.objects.filter(supplier=benchmark).values_list("care_org", flat=True))
    assert not Relationship.objects.filter(supplier=benchmark).exclude(care_org=hospital).exists()
    shared = Relationship.objects.exclude(care_org=hospital).filter(
        supplier__in=Relationship.objects.filter(care_org=hospital).values("supplier")
    )
    assert shared.exists()
    for care, supplier in Relationship.objects.values_list("care_org", "supplier"):
        assert SupplierLink.objects.filter(care_org=care, supplier=supplier).exists()
    assert LibraryAnswer.objects.filter(supplier=epd).count() > 10
    incidents = Incident.objects.filter(supplier=epd)
    assert incidents.count() == 12
    assert Recipient.objects.filter(incident__in=incidents).count() == 12 * 4
    assert Incident.objects.filter(recipients__care_org=hospital).exists()
    assert Answer.objects.filter(assessment__relationship__supplier=epd).exists()
    assert "epd@bench.example" in sector


def test_sector_seed_refuses_impossible_sizes(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_bench", **{**SIZES, "care_orgs": 0})
    assert not Organisation.objects.exists()


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _pages() -> list[tuple[object, str]]:
    """(client, url) of every page measured at sector scale, for the same three people."""
    hospital = Organisation.objects.get(slug=CARE_SLUG)
    care, supplier, epd = (
        client_for(Membership.objects.get(user__email=email))
        for email in (SECURITY_EMAIL, SUPPLIER_EMAIL, EPD_EMAIL)
    )
    rel = Relationship.objects.filter(care_org=hospital).order_by("pk").first()
    incident = Incident.objects.filter(recipients__care_org=hospital).order_by("pk").first()
    open_epd = Incident.objects.filter(supplier__slug=EPD_SLUG, closed_at__isnull=True).get()
    pages = [
        (care, reverse("home")),
        (care, reverse("portfolio")),
        (care, "/api/v1/dashboard/"),
        (care, reverse("relationship_detail", args=[rel.pk])),
        (care, reverse("fourth_parties")),
        (care, reverse("incident_list")),
        (care, reverse("incident_detail", args=[incident.pk])),
        (supplier, reverse("assessment_list")),
        (supplier, reverse("answer_library")),
        (epd, reverse("assessment_list")),
        (epd, reverse("answer_library")),
        (epd, reverse("incident_detail", args=[open_epd.pk])),
    ]
    for client, url in pages:  # the first request of a session caches the MFA check
        client.get(url)
    return pages


def _more_epd_customers(n: int) -> None:
    """n more customers of the EPD vendor, each with an open questionnaire partly answered,
    a copy of its open incident, and a library answer more."""
    epd = Organisation.objects.get(slug=EPD_SLUG)
    product = Product.objects.filter(supplier=epd).first()
    template = QuestionnaireTemplate.objects.get(key=SECTOR_TEMPLATE_KEY)
    questions = list(template.questions.filter(show_if__isnull=True)[:3])
    incident = Incident.objects.get(supplier=epd, closed_at__isnull=True)
    for i in range(n):
        care = organisation_create(slug=f"groei-{i}", name=f"Groei {i}", kind="care")
        SupplierLink.objects.create(care_org=care, supplier=epd)
        rel = Relationship.objects.create(
            care_org=care, supplier=epd, name=f"EPD {i}", status="active", **INTAKE
        )
        rel.products.add(product)
        a = Assessment.objects.create(
            relationship=rel, template=template, status="in_progress", due_date=date(2027, 1, i + 1)
        )
        Answer.objects.bulk_create(
            Answer(assessment=a, question=q, value="yes", version=1) for q in questions[: i % 3]
        )
        LibraryAnswer.objects.create(supplier=epd, code=f"EXTRA-{i}", value="yes")
        Recipient.objects.create(incident=incident, care_org=care).relationships.add(rel)


def test_page_queries_stay_flat_as_the_installation_and_the_supplier_grow(sector):
    pages = _pages()
    small = [_count(client, url) for client, url in pages]
    for care in Organisation.objects.filter(kind="care").exclude(slug=CARE_SLUG)[:2]:
        _generate(care, 12, seed=care.pk)  # other organisations grow: not the hospital's view
    _more_epd_customers(9)  # the EPD vendor's own customers, inbox, library, copies grow
    assert Assessment.objects.filter(relationship__supplier__slug=EPD_SLUG).count() >= 45
    large = [_count(client, url) for client, url in pages]
    assert small == large, [
        (url, s, lg) for (_c, url), s, lg in zip(pages, small, large, strict=True) if s != lg
    ]


def test_inbox_progress_in_one_batch_is_each_assessments_own_progress(sector):
    """The inbox reads progress for all its assessments at once: the same figures, follow-up
    questions and supplier types included, as `progress` gives for each one alone."""
    rows = list(Assessment.objects.select_related("relationship", "template").order_by("pk"))
    batch = svc.progress_of_many(rows)
    assert set(batch) == {a.pk for a in rows}
    assert any(p["answered"] for p in batch.values())
    for a in rows:
        assert batch[a.pk] == svc.progress(a), a.pk
