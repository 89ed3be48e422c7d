"""CSAF advisories (DESIGN §13 item 7): validation of valid and hostile documents, the product
tree, matching to products and fourth parties with normalised names, and confirming the matches
before one rapid questionnaire goes out (page and API, tenancy and roles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from questionnaires.csaf import parsing
from questionnaires.csaf.matching import match_products
from questionnaires.csaf.models import Advisory, AdvisoryStatus
from questionnaires.csaf.services import advisory_upload
from questionnaires.models import Assessment, RapidAssessment
from tests.conftest import api_client_for, client_for

from .csaf_doc import advisory, advisory_bytes
from .test_rapid import _supplier

DEMO = Path(__file__).resolve().parents[2] / "portal/top/demo/data/csaf/lablink-2026-001.json"


# --- parsing: valid documents --------------------------------------------------------------


def test_the_demo_advisory_is_valid_and_its_product_tree_is_read():
    parsed = parsing.parse(DEMO.read_bytes())
    assert parsed.tracking_id == "DEMO-ZORG-2026-001"
    assert [(p.vendor, p.name, p.version) for p in parsed.products] == [
        ("LabLink Systems B.V.", "LabLink Connect", "4.2.1"),
        ("TeamViewer GmbH", "TeamViewer Remote", "15.52"),
    ]


def test_product_tree_is_read_through_nested_branches_and_loose_names():
    doc = advisory([("Acme Inc.", "Portal", "2.1")])
    leaf = doc["product_tree"]["branches"][0]["branches"][0]["branches"][0]
    leaf.pop("product")
    leaf["branches"] = [
        {
            "category": "architecture",
            "name": "x64",
            "product": {"name": "Portal 2.1 x64", "product_id": "P-X64"},
        }
    ]
    doc["product_tree"]["full_product_names"] = [{"name": "Loose Tool 3", "product_id": "L-1"}]
    products = parsing.parse(json.dumps(doc)).products
    assert [(p.vendor, p.name, p.version) for p in products] == [
        ("Acme Inc.", "Portal", "2.1"),
        ("", "Loose Tool 3", ""),
    ]


@pytest.fixture(autouse=True)
def _english():
    """The services' messages in English, whatever language an earlier test left active in
    this thread (the expectations below are English)."""
    with translation.override("en"):
        yield


# --- parsing: malformed and hostile documents ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"[1, 2]", "JSON object"),
        (b'"text"', "JSON object"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"document": {"csaf_version": "1.2"}}', "not a CSAF 2.0 advisory"),
        (b'{"hello": "world"}', "not a CSAF 2.0 advisory"),
    ],
)
def test_malformed_documents_are_refused_with_a_reason(raw, expected):
    with pytest.raises(parsing.CsafInvalid) as caught:
        parsing.parse(raw)
    assert expected in " ".join(caught.value.errors)


def test_schema_errors_are_listed_with_their_place():
    doc = advisory()
    del doc["document"]["title"]
    doc["document"]["tracking"]["status"] = "whatever"
    with pytest.raises(parsing.CsafInvalid) as caught:
        parsing.parse(json.dumps(doc))
    errors = caught.value.errors
    assert "document: 'title' is a required property" in errors
    assert any(e.startswith("document.tracking.status:") for e in errors)


@override_settings(CSAF_MAX_BYTES=2000)
def test_size_limit():
    big = advisory()
    big["document"]["notes"][0]["text"] = "x" * 5000
    with pytest.raises(parsing.CsafInvalid) as caught:
        parsing.parse(json.dumps(big).encode())
    assert "larger than 2000 bytes" in caught.value.errors[0]


def test_depth_limit_is_checked_before_parsing():
    deep = b'{"document": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(parsing.CsafInvalid) as caught:
        parsing.parse(deep)
    assert "nested deeper" in caught.value.errors[0]
    # brackets inside strings do not count
    assert parsing.nesting_depth('{"a": "[[[[[[[[\\"[[[["}') == 1


def test_long_values_of_pattern_fields_are_refused_before_the_regular_expression():
    doc = advisory()
    leaf = doc["product_tree"]["branches"][0]["branches"][0]["branches"][0]["product"]
    leaf["product_identification_helper"] = {"cpe": "cpe:2.3:a:" + "a" * 5000 + "!"}
    with pytest.raises(parsing.CsafInvalid) as caught:
        parsing.parse(json.dumps(doc))
    assert "longer than 1000 characters" in caught.value.errors[0]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)


@given(value=json_values)
@hsettings(max_examples=150, deadline=None)
def test_any_json_value_is_a_clear_refusal_or_an_advisory(value):
    try:
        parsing.parse(json.dumps(value))
    except parsing.CsafInvalid as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)


@given(raw=st.binary(max_size=300))
@hsettings(max_examples=150, deadline=None)
def test_any_bytes_are_a_clear_refusal(raw):
    with pytest.raises(parsing.CsafInvalid):
        parsing.parse(raw)


PLACES = [
    ("document",),
    ("document", "tracking"),
    ("document", "publisher"),
    ("product_tree",),
    ("product_tree", "branches"),
    ("vulnerabilities",),
]


@given(place=st.sampled_from(PLACES), value=json_values)
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_valid_advisory_with_any_part_replaced_is_parsed_or_refused_clearly(place, value):
    doc = advisory()
    target = doc
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    try:
        parsed = parsing.parse(json.dumps(doc))
    except parsing.CsafInvalid as exc:
        assert exc.errors
    else:
        assert isinstance(parsed.products, list)


# --- matching --------------------------------------------------------------------------------


def _world(cast):
    """The hospital's live relationship with 'Leverancier B.V.' for product EPD, hosted on
    'Azure (Microsoft)'; an ended one for the same product; the other care org's one."""
    epd = _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    ended = _supplier(cast, cast.hospital, "Oud Systeem", "Azure (Microsoft)", status="ended")
    other = _supplier(
        cast,
        cast.other_care,
        "Leverancier B.V.",
        "Azure (Microsoft)",
        actor=cast.other_care_admin.user,
    )
    return {"epd": epd, "ended": ended, "other": other}


def _matches(cast, products):
    found = match_products(
        care_org=cast.hospital,
        products=[{"vendor": v, "name": n, "version": ver} for v, n, ver in products],
    )
    return [(m.relationship_id, m.reason, m.fourth_party) for m in found]


def test_products_match_with_normalised_vendor_and_product_names(cast):
    w = _world(cast)
    rel = w["epd"]
    assert _matches(cast, [("LEVERANCIER, Inc.", "leverancier-b.v.", "1")]) == [
        (rel.pk, "product", "")
    ]


def test_fourth_parties_match_whatever_the_legal_form(cast):
    w = _world(cast)
    assert _matches(cast, [("Microsoft Corporation", "Azure", "1")]) == [
        (w["epd"].pk, "fourth_party", "Azure (Microsoft)")
    ]


def test_the_supplier_as_vendor_of_another_product_is_a_vendor_match(cast):
    w = _world(cast)
    assert _matches(cast, [("Leverancier GmbH", "Something Else", "9")]) == [
        (w["epd"].pk, "vendor", "")
    ]


def test_unrelated_products_ended_relationships_and_other_organisations_never_match(cast):
    _world(cast)
    assert _matches(cast, [("Contoso", "Widget", "1"), ("", "Azure Stack Hub Tools", "")]) == []
    assert _matches(cast, [("Oud Systeem", "Oud Systeem B.V.", "1")]) == []


def test_matching_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for i in range(8):
        _supplier(cast, cast.hospital, f"Leverancier {i}", "Azure (Microsoft)")
    with django_assert_max_num_queries(3):
        found = match_products(
            care_org=cast.hospital, products=[{"vendor": "Microsoft", "name": "Azure"}]
        )
    assert len(found) == 8


# --- API --------------------------------------------------------------------------------------


def _post(membership, body):
    return api_client_for(membership).post(
        "/api/v1/advisories/", data=body, content_type="application/json"
    )


def test_api_post_returns_products_and_matches(cast):
    w = _world(cast)
    response = _post(cast.ciso, advisory_bytes([("Microsoft", "Azure", "2026")]))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["tracking_id"] == "TEST-2026-001" and data["title"] == "Test advisory"
    assert data["products"] == [{"vendor": "Microsoft", "name": "Azure", "version": "2026"}]
    assert [(m["relationship"], m["reason"], m["fourth_party"]) for m in data["matches"]] == [
        (w["epd"].pk, "fourth_party", "Azure (Microsoft)")
    ]
    assert data["status"] == "proposed"
    assert not RapidAssessment.objects.exists()  # nothing sent before a person confirms


@pytest.mark.parametrize(
    "body",
    [b"[]", b"{}", b"not json", b'{"document": {"csaf_version": "2.0"}}', b""],
)
def test_api_invalid_documents_are_a_400_listing_what_is_wrong(cast, body):
    response = _post(cast.ciso, body)
    assert response.status_code == 400
    assert response.json()["errors"]["document"]
    assert not Advisory.objects.exists()


def test_api_form_bodies_are_a_400_not_a_415(cast):
    response = api_client_for(cast.ciso).post("/api/v1/advisories/", data={"a": "b"})
    assert response.status_code == 400


@override_settings(CSAF_MAX_BYTES=1000)
def test_api_huge_document_is_a_400(cast):
    response = _post(cast.ciso, b'{"document": "' + b"x" * 50_000 + b'"}')
    assert response.status_code == 400
    assert "1000" in response.json()["errors"]["document"][0]  # the limit, in either language


def test_api_confirm_sends_the_rapid_questionnaire_to_the_confirmed_relationships_only(
    cast, django_capture_on_commit_callbacks
):
    w = _world(cast)
    second = _supplier(cast, cast.hospital, "Tweede", "Azure (Microsoft)")
    created = _post(cast.ciso, advisory_bytes([("Microsoft", "Azure", "1")])).json()
    assert {m["relationship"] for m in created["matches"]} == {w["epd"].pk, second.pk}
    client = api_client_for(cast.ciso)
    url = f"/api/v1/advisories/{created['id']}/send/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"relationships": [w["epd"].pk]}, content_type="application/json"
        )
    assert response.status_code == 202, response.content
    rapid = RapidAssessment.objects.get(pk=response.json()["rapid_assessment"])
    assert rapid.target == "advisory" and rapid.label.startswith("TEST-2026-001")
    assert list(rapid.relationships.values_list("pk", flat=True)) == [w["epd"].pk]
    assert list(Assessment.objects.values_list("relationship_id", flat=True)) == [w["epd"].pk]
    advisory_row = Advisory.objects.get(pk=created["id"])
    assert advisory_row.status == AdvisoryStatus.SENT and advisory_row.rapid_id == rapid.pk
    assert (
        client.post(
            url, {"relationships": [w["epd"].pk]}, content_type="application/json"
        ).status_code
        == 409
    )


def test_api_confirm_refuses_relationships_the_advisory_did_not_match(cast):
    w = _world(cast)
    unrelated = _supplier(cast, cast.hospital, "Anders", "Iets Anders")
    created = _post(cast.ciso, advisory_bytes([("Microsoft", "Azure", "1")])).json()
    response = api_client_for(cast.ciso).post(
        f"/api/v1/advisories/{created['id']}/send/",
        {"relationships": [w["epd"].pk, unrelated.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not RapidAssessment.objects.exists()


def test_api_other_organisations_get_404_and_readers_cannot_post(cast):
    _world(cast)
    created = _post(cast.ciso, advisory_bytes()).json()
    outsider = api_client_for(cast.other_care_ciso)
    assert outsider.get(f"/api/v1/advisories/{created['id']}/").status_code == 404
    assert (
        outsider.post(
            f"/api/v1/advisories/{created['id']}/send/",
            {"relationships": [1]},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider.get("/api/v1/advisories/").json()["results"] == []
    assert _post(cast.viewer, advisory_bytes()).status_code == 403
    assert _post(cast.supplier_owner, advisory_bytes()).status_code == 403
    assert (
        api_client_for(cast.viewer).get(f"/api/v1/advisories/{created['id']}/").status_code == 200
    )


# --- pages ------------------------------------------------------------------------------------


def test_page_upload_match_confirm_and_send_in_one_step(cast, django_capture_on_commit_callbacks):
    w = _world(cast)
    client = client_for(cast.ciso)
    upload = SimpleUploadedFile(
        "advisory.json", advisory_bytes([("Microsoft Corp.", "Azure", "1")]), "application/json"
    )
    response = client.post(reverse("csaf_upload"), {"document": upload})
    assert response.status_code == 302
    item = Advisory.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Azure (Microsoft)" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("csaf_send", args=[item.pk]), {"relationships": [w["epd"].pk]})
    rapid = RapidAssessment.objects.get()
    assert sent["Location"] == reverse("rapid_detail", args=[rapid.pk])
    assert Assessment.objects.filter(relationship=w["epd"]).count() == 1


def test_page_upload_of_a_broken_file_lists_the_problems(cast):
    client = client_for(cast.ciso)
    doc = advisory()
    del doc["document"]["publisher"]
    upload = SimpleUploadedFile("bad.json", json.dumps(doc).encode(), "application/json")
    response = client.post(reverse("csaf_upload"), {"document": upload})
    assert response.status_code == 400
    assert "publisher" in response.content.decode()
    assert not Advisory.objects.exists()


def test_page_dismiss_sends_nothing(cast):
    _world(cast)
    item = advisory_upload(care_org=cast.hospital, actor=cast.ciso.user, raw=advisory_bytes())
    client_for(cast.ciso).post(reverse("csaf_dismiss", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == AdvisoryStatus.DISMISSED and not RapidAssessment.objects.exists()


def test_the_demo_advisory_matches_a_demo_product_and_a_fourth_party(db):
    from django.core.management import call_command

    call_command("demo")
    call_command("demo")  # idempotent
    item = Advisory.objects.get(tracking_id="DEMO-ZORG-2026-001")
    assert item.care_org.slug == "rivierenland" and item.status == "proposed"
    found = {(m.relationship.name, m.reason) for m in item.matches.select_related("relationship")}
    assert found == {("Labkoppeling", "product"), ("Werkplekbeheer", "fourth_party")}


def test_api_list_and_detail_page_queries_do_not_grow_with_matches(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        for i in range(n):
            _supplier(cast, cast.hospital, f"Leverancier {n}-{i}", "Azure (Microsoft)")
        item = advisory_upload(
            care_org=cast.hospital,
            actor=cast.ciso.user,
            raw=advisory_bytes([("Microsoft", "Azure", "1")]),
        )
        assert item.matches.count() >= n
        client, api = client_for(cast.ciso), api_client_for(cast.ciso)
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("csaf_detail", args=[item.pk])).status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert api.get("/api/v1/advisories/").status_code == 200
        return len(page), len(listing)

    small, large = count(1), count(6)
    assert small == large
