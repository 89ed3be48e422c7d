"""The looser fourth-party match of a rapid questionnaire (DESIGN §13 item 6): the page first
shows which live relationships a typed name reaches and why (case, punctuation, parentheses,
legal forms and word order do not count; whole words only), sends nothing, and then sends only
to the relationships the security officer ticked. The API's exact contract stays."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from questionnaires.models import Assessment, RapidAssessment
from suppliers import reach
from suppliers.reach import NameMatch, name_match
from tests.conftest import client_for

from .test_rapid import _supplier


@pytest.mark.parametrize(
    ("typed", "declared", "reason"),
    [
        ("azure (microsoft)", "Azure (Microsoft)", NameMatch.SAME),
        ("Azure Microsoft B.V.", "Azure (Microsoft)", NameMatch.SAME),
        ("Microsoft Azure", "Azure (Microsoft)", NameMatch.REORDERED),
        ("Microsoft, Inc. Azure", "Azure (Microsoft Ltd.)", NameMatch.REORDERED),
        ("Azure", "Azure (Microsoft)", NameMatch.WITHIN),
        ("Microsoft", "Azure (Microsoft Corporation)", NameMatch.WITHIN),
        ("Microsoft Azure Cloud", "Azure", NameMatch.AROUND),
        ("Azure", "Azul Systems", None),
        ("Azure", "Azureus Hosting", None),
        ("Amazon Web Services", "Azure (Microsoft)", None),
        ("B.V.", "Acme B.V.", None),
        ("", "Azure", None),
    ],
)
def test_names_match_loosely_but_by_whole_words(typed, declared, reason):
    assert name_match(typed, declared) == reason


@given(st.text(max_size=40), st.text(max_size=40))
def test_a_match_is_symmetric_in_kind_and_never_crashes(a, b):
    there, back = name_match(a, b), name_match(b, a)
    flip = {NameMatch.WITHIN: NameMatch.AROUND, NameMatch.AROUND: NameMatch.WITHIN}
    assert back == flip.get(there, there)


def test_the_csaf_matcher_and_the_rapid_preview_share_one_normalisation():
    from questionnaires.csaf import matching

    assert matching.norm is reach.normalise_name
    assert reach.name_tokens("Microsoft Azure B.V.") == reach.name_tokens("Azure (Microsoft)")


def _world(cast):
    return {
        "declared": _supplier(cast, cast.hospital, "Alfa", "Azure (Microsoft)"),
        "reordered": _supplier(cast, cast.hospital, "Beta", "Microsoft Azure B.V."),
        "azul": _supplier(cast, cast.hospital, "Gamma", "Azul Systems"),
        "ended": _supplier(cast, cast.hospital, "Delta", "Azure", status="ended"),
        "foreign": _supplier(
            cast, cast.other_care, "Epsilon", "Azure", actor=cast.other_care_admin.user
        ),
    }


def test_the_preview_shows_the_loose_matches_and_sends_nothing(cast):
    world = _world(cast)
    with translation.override("en"):
        response = client_for(cast.ciso).get(
            reverse("rapid_preview"), {"fourth_party": "Azure", "due_date": "2099-01-01"}
        )
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g["relationship_id"] for g in groups] == [world["declared"].pk, world["reordered"].pk]
    first = groups[0]["via"][0]
    assert (first.supplier, first.product, first.declared) == ("Alfa", "Alfa", "Azure (Microsoft)")
    assert first.reason == NameMatch.WITHIN
    html = response.content.decode()
    assert "Azure (Microsoft)" in html and "every word you typed is in the declared name" in html
    assert "Azul Systems" not in html and "Epsilon" not in html
    assert 'value="2099-01-01"' in html
    assert not RapidAssessment.objects.exists() and not Assessment.objects.exists()


def test_the_list_page_form_leads_to_the_preview_not_to_a_send(cast):
    _world(cast)
    response = client_for(cast.ciso).post(
        reverse("rapid_start"), {"pick": "fourth_party", "fourth_party": "Microsoft Azure"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("rapid_preview") + "?fourth_party=Microsoft")
    assert not RapidAssessment.objects.exists() and not Assessment.objects.exists()


def test_confirming_sends_only_to_the_ticked_relationships(
    cast, django_capture_on_commit_callbacks
):
    world = _world(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.ciso).post(
            reverse("rapid_start"),
            {
                "pick": "fourth_party",
                "fourth_party": "Microsoft Azure",
                "confirm": "1",
                "relationships": [world["reordered"].pk],
            },
        )
    rapid = RapidAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "rapid_detail", args=[rapid.pk]
    )
    assert rapid.target == "fourth_party" and rapid.label == "Microsoft Azure"
    assert list(rapid.relationships.values_list("pk", flat=True)) == [world["reordered"].pk]
    assert list(Assessment.objects.values_list("relationship_id", flat=True)) == [
        world["reordered"].pk
    ]


@pytest.mark.parametrize("which", ["azul", "ended", "foreign"])
def test_a_relationship_the_preview_did_not_match_cannot_be_confirmed(cast, which):
    world = _world(cast)
    response = client_for(cast.ciso).post(
        reverse("rapid_start"),
        {
            "pick": "fourth_party",
            "fourth_party": "Azure",
            "confirm": "1",
            "relationships": [world["declared"].pk, world[which].pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("rapid_preview"))
    assert not RapidAssessment.objects.exists() and not Assessment.objects.exists()


def test_another_organisation_never_sees_or_reaches_our_relationships(cast):
    world = _world(cast)
    other = client_for(cast.other_care_ciso)
    preview = other.get(reverse("rapid_preview"), {"fourth_party": "Azure"})
    assert [g["relationship_id"] for g in preview.context["groups"]] == [world["foreign"].pk]
    response = client_for(cast.ciso).post(
        reverse("rapid_start"),
        {"pick": "fourth_party", "fourth_party": "Azure", "confirm": "1",
         "relationships": [world["declared"].pk]},
    )  # fmt: skip
    rapid = RapidAssessment.objects.get()
    assert response["Location"] == reverse("rapid_detail", args=[rapid.pk])
    assert other.get(reverse("rapid_detail", args=[rapid.pk])).status_code == 404


def test_api_keeps_its_exact_match_and_offers_the_preview(
    cast, as_api, django_capture_on_commit_callbacks
):
    world = _world(cast)
    api = as_api(cast.ciso)
    # the documented contract: the name as declared, case-insensitively, reaches it directly
    with django_capture_on_commit_callbacks(execute=True):
        exact = api.post(
            reverse("rapid-assessment-list"), {"fourth_party": "azure (MICROSOFT)"}, format="json"
        )
    assert exact.status_code == 202 and exact.json()["relationships"] == 1
    assert list(RapidAssessment.objects.get().relationships.values_list("pk", flat=True)) == [
        world["declared"].pk
    ]
    preview = api.get(reverse("rapid-assessment-preview"), {"fourth_party": "Azure"})
    assert preview.status_code == 200
    assert [(m["relationship"], m["reason"]) for m in preview.json()["matches"]] == [
        (world["declared"].pk, "within"),
        (world["reordered"].pk, "within"),
    ]
    assert RapidAssessment.objects.count() == 1
    assert api.get(reverse("rapid-assessment-preview")).status_code == 400
    refused = api.post(
        reverse("rapid-assessment-list"),
        {"fourth_party": "Azure", "relationships": [world["foreign"].pk]},
        format="json",
    )
    assert refused.status_code == 400 and RapidAssessment.objects.count() == 1
    confirmed = api.post(
        reverse("rapid-assessment-list"),
        {"fourth_party": "Azure", "relationships": [world["reordered"].pk]},
        format="json",
    )
    assert confirmed.status_code == 202 and confirmed.json()["relationships"] == 1
    assert RapidAssessment.objects.count() == 2


def test_the_preview_costs_one_query_however_many_relationships(cast, django_assert_num_queries):
    for round_ in (1, 2):
        for n in range(3):
            _supplier(cast, cast.hospital, f"S{round_}{n}", "Azure (Microsoft)")
        with django_assert_num_queries(1):
            found = reach.fourth_party_candidates(care_org=cast.hospital, name="azure")
        assert len(found) == 3 * round_
