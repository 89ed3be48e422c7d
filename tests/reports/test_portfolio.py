"""The CISO portfolio dashboard: every number equals the list it links to (demo data and
generated data, with filters), the JSON figures match, query counts stay flat, tenancy holds."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.core.accounts.models import Membership
from portal.core.accounts.services import organisation_create
from portal.top.dashboards import portfolio
from suppliers.models import Product, Relationship, SubProcessor, SupplierDocument, SupplierLink
from tests.access import _finding
from tests.conftest import api_client_for, client_for

LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*data-metric="([^"]+)" data-count="(\d+)"')
TIERS = ("critical", "high", "medium", "low")


def _links(html: str) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for href, key, n in LINK.findall(html):
        href = href.replace("&amp;", "&")
        assert found.get(key, (href, int(n))) == (href, int(n)), key  # same figure twice: equal
        found[key] = (href, int(n))
    return found


def _assert_numbers_equal_lists(client, query: str = "") -> dict[str, int]:
    page = client.get(reverse("portfolio") + (f"?{query}" if query else ""))
    assert page.status_code == 200
    links = _links(page.content.decode())
    if not links:  # empty portfolio: the page says so instead of showing zeros
        return {}
    assert set(links) == set(portfolio.METRICS), set(portfolio.METRICS) ^ set(links)
    for key, (href, n) in links.items():
        listing = client.get(href)
        assert listing.status_code == 200, key
        html = listing.content.decode()
        assert f'data-count="{n}"' in html, (key, n)
        assert html.count("<tr data-row>") == n, (key, n, html.count("<tr data-row>"))
    return {k: n for k, (_h, n) in links.items()}


def _generate(org, n: int, seed: int = 7) -> list[Relationship]:
    """n relationships of `org` with random intake results, scores, owners, dates, products,
    fourth parties and certificates (stored results only: the dashboard reads those)."""
    rnd = random.Random(seed)  # noqa: S311 - test data
    today = timezone.localdate()
    owners = [m.user for m in Membership.objects.filter(organisation=org)][:3] + [None]
    suppliers = []
    for i in range(4):
        sup = organisation_create(slug=f"gen-{org.pk}-{seed}-{i}", name=f"Gen {i}", kind="supplier")
        SupplierLink.objects.create(care_org=org, supplier=sup)
        product = Product.objects.create(supplier=sup, name=f"Product {i}")
        SubProcessor.objects.create(
            product=product,
            name="Shared Cloud" if i < 3 else f"Own DC {i}",
            service="hosting",
            country=rnd.choice(["NL", "US", "DE"]),
        )
        for k in range(3):
            SupplierDocument.objects.create(
                supplier=sup,
                title=f"ISO {i}-{k}",
                kind="iso27001",
                file="x",
                name="x.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
                offered=k != 2,
                valid_until=today + timedelta(days=rnd.randint(-200, 400)),
            )
        suppliers.append((sup, product))
    rels = []
    for i in range(n):
        sup, product = rnd.choice(suppliers)
        assessed = rnd.random() < 0.7
        rel = Relationship.objects.create(
            care_org=org, supplier=sup, name=f"Gen rel {i:03d}",
            supplier_types=rnd.sample(["epd", "cloud", "it_management", "medical_device"], 2),
            owner=rnd.choice(owners), status=rnd.choice(["prospect", "active", "ending", "ended"]),
            intake_data=1, intake_volume=1, intake_continuity=1, intake_access=1,
            intake_substitutability=1, inherent_tier=rnd.choice(TIERS),
            residual_risk=rnd.choice(TIERS), assessed=assessed,
            control_score=Decimal(str(rnd.choice([0, 9.9, 10, 45.5, 59.9, 60, 99.9, 100])))
            if assessed else None,
            next_assessment_due=today + timedelta(days=rnd.randint(-90, 120))
            if assessed else None,
        )  # fmt: skip
        rel.products.add(product)
        rels.append(rel)
    return rels


def test_every_number_on_the_demo_dashboard_equals_its_list(db):
    call_command("demo")
    ciso = Membership.objects.filter(organisation__kind="care", role="security").first()
    client = client_for(ciso)
    counts = _assert_numbers_equal_lists(client)
    assert counts["relationships"] > 0
    # the demo has something in most corners; the figures agree with the JSON for integrations
    api = api_client_for(ciso).get(reverse("api-dashboard")).json()
    assert api["figures"] == {k: counts[k] for k in api["figures"]}
    assert sum(
        v for k, v in counts.items() if k.startswith("findings-") and k != "findings-overdue"
    )
    assert counts["decisions-pending"] >= 1


@pytest.mark.parametrize(
    "query", ["", "tier=critical", "status=ended", "type=cloud", "type=epd&tier=high", "owner=OWN"]
)
def test_every_number_equals_its_list_on_generated_data_with_filters(cast, query):
    _finding(cast)  # an assessment with a finding, a decision-ready relationship
    _generate(cast.hospital, 40)
    query = query.replace("OWN", str(cast.ciso.user.pk))
    counts = _assert_numbers_equal_lists(client_for(cast.ciso), query)
    assert counts, "generated data gives a non-empty portfolio"
    heat = sum(v for k, v in counts.items() if k.startswith("cell-"))
    assert heat == counts["relationships"]
    assessed = sum(v for k, v in counts.items() if k.startswith("score-"))
    assert assessed + counts["not-assessed"] == counts["relationships"]


def test_the_filters_narrow_every_figure(cast):
    rels = _generate(cast.hospital, 30)
    client = api_client_for(cast.ciso)
    allf = client.get(reverse("api-dashboard")).json()["figures"]
    live = [r for r in rels if r.status != "ended"]
    assert allf["relationships"] == len(live)
    crit = client.get(reverse("api-dashboard"), {"tier": "critical"}).json()
    assert crit["filters"]["tier"] == "critical"
    assert crit["figures"]["relationships"] == sum(r.inherent_tier == "critical" for r in live)
    assert crit["figures"]["cell-high-low"] == 0
    cloud = client.get(reverse("api-dashboard"), {"type": "cloud"}).json()["figures"]
    assert cloud["relationships"] == sum("cloud" in r.supplier_types for r in live)
    ended = client.get(reverse("api-dashboard"), {"status": "ended"}).json()["figures"]
    assert ended["relationships"] == len(rels) - len(live)
    # nonsense filters are ignored, not an error
    junk = client.get(reverse("api-dashboard"), {"tier": "x'--", "owner": "9" * 40}).json()
    assert junk["figures"] == allf and junk["filters"]["owner"] is None


def test_fourth_party_concentration_and_certificates(cast):
    _generate(cast.hospital, 30)
    today = timezone.localdate()
    figures = api_client_for(cast.ciso).get(reverse("api-dashboard")).json()["figures"]
    assert figures["fourth-concentration"] == 1  # "Shared Cloud" behind three suppliers
    offered = SupplierDocument.objects.filter(offered=True, supplier__name__startswith="Gen")
    used = set(
        Relationship.objects.filter(care_org=cast.hospital)
        .exclude(status="ended")
        .values_list("supplier", flat=True)
    )
    expired = [d for d in offered if d.supplier_id in used and d.valid_until < today]
    assert figures["certificates-expired"] == len(expired)


def test_another_organisation_sees_none_of_it(cast):
    _generate(cast.hospital, 10)
    other = client_for(cast.other_care_ciso)
    figures = api_client_for(cast.other_care_ciso).get(reverse("api-dashboard")).json()["figures"]
    assert figures["relationships"] == 0 and figures["certificates-expired"] == 0
    html = other.get(reverse("portfolio_list", args=["relationships"])).content.decode()
    assert "Gen rel" not in html
    assert "Gen rel" not in other.get(reverse("pipeline")).content.decode()
    assert other.get(reverse("portfolio_list", args=["no-such-figure"])).status_code == 404
    # a supplier has no portfolio at all
    assert client_for(cast.supplier_owner).get(reverse("portfolio")).status_code == 403


def test_list_downloads_as_formula_safe_spreadsheet_with_the_same_rows(cast):
    rels = _generate(cast.hospital, 12)
    Relationship.objects.filter(pk=rels[0].pk).update(
        name='=HYPERLINK("http://x")', status="active"
    )
    client = client_for(cast.ciso)
    page = client.get(reverse("portfolio_list", args=["relationships"]))
    n = page.content.decode().count("<tr data-row>")
    r = client.get(reverse("portfolio_list", args=["relationships"]), {"format": "xlsx"})
    assert r["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row - 1 == n
    names = [c.value for c in ws["A"]][1:]
    assert '\'=HYPERLINK("http://x")' in names and not any(v.startswith("=") for v in names)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["ciso", "procurement", "board", "care_admin"])
def test_dashboard_query_counts_do_not_grow_with_relationships(cast, who):
    _finding(cast)
    client = client_for(cast.membership(who))
    urls = [reverse("home"), reverse("portfolio"), reverse("pipeline"),
            reverse("portfolio_list", args=["relationships"])]  # fmt: skip
    if who == "ciso":
        urls.append(reverse("remote_overview"))
    _generate(cast.hospital, 5, seed=1)
    client.get(reverse("home"))  # the first request of a session caches the MFA check
    small = [_queries(client, u) for u in urls]
    _generate(cast.hospital, 40, seed=2)
    large = [_queries(client, u) for u in urls]
    assert small == large, dict(zip(urls, zip(small, large, strict=True), strict=True))


def test_supplier_home_query_count_does_not_grow(cast):
    client = client_for(cast.supplier_owner)
    _finding(cast)
    client.get(reverse("home"))  # the first request of a session caches the MFA check
    small = _queries(client, reverse("home"))
    for i in range(6):
        Relationship.objects.create(
            care_org=cast.hospital, supplier=cast.supplier, name=f"Extra {i}", intake_data=1,
            intake_volume=1, intake_continuity=1, intake_access=1, intake_substitutability=1,
        )  # fmt: skip
    assert _queries(client, reverse("home")) == small


def test_pipeline_shows_each_stage_with_assessment_and_contract(cast):
    from contracts.models import Contract

    world = _finding(cast)
    rel = world["relationship"]
    today = timezone.localdate()
    Contract.objects.create(
        relationship=rel, reference="C-1", title="EPD", start_date=today - timedelta(days=400),
        end_date=today + timedelta(days=120), notice_months=3,
    )  # fmt: skip
    gen = _generate(cast.hospital, 9)
    client = client_for(cast.procurement)
    html = client.get(reverse("pipeline")).content.decode()
    live = [r for r in gen if r.status != "ended"] + [rel]
    assert html.count('<li class="kw-pipe-item" data-row>') == len(live)
    assert "Notice deadline soon" in html and "No contract registered" in html
    world["assessment"].refresh_from_db()
    assert world["assessment"].get_status_display() == "Completed"
    assert f'/assessments/{world["assessment"].pk}/">completed</a>' in html
    ws = load_workbook(
        io.BytesIO(client.get(reverse("pipeline"), {"format": "xlsx"}).content)
    ).active
    assert ws.max_row - 1 == len(live)
    row = next(r for r in ws.iter_rows(values_only=True) if r[1] == rel.name)
    assert row[6] == "Notice deadline soon"


def test_pipeline_never_labels_a_live_relationship_concept(cast):
    """A drafted questionnaire reads as such, not as the relationship's state."""
    from tests.access import assessment_at

    world = assessment_at(cast, "draft")
    world["relationship"].status = "active"
    world["relationship"].save()
    nl = client_for(cast.procurement, lang="nl").get(reverse("pipeline")).content.decode()
    assert "vragenlijst opgesteld, nog niet verstuurd" in nl
    assert ">Concept<" not in nl
