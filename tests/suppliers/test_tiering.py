"""Inherent tier (DESIGN §6.2): every rule, with reasons, plus properties."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from suppliers.tiering import FACTORS, IntakeError, inherent_tier, rule_words


def _intake(data=0, volume=0, continuity=0, access=0, substitutability=0):
    return {
        "data": data,
        "volume": volume,
        "continuity": continuity,
        "access": access,
        "substitutability": substitutability,
    }


@pytest.mark.parametrize(
    ("intake", "tier", "rule"),
    [
        (_intake(2, 2, 2, 2, 3), "critical", "S>=11"),  # S = 11
        (_intake(0, 0, 3, 0, 0), "critical", "continuity=3"),
        (_intake(3, 3, 0, 0, 0), "critical", "data=3 and volume=3"),
        (_intake(2, 2, 2, 1, 0), "high", "S>=7"),  # S = 7
        (_intake(3, 0, 0, 0, 0), "high", "data=3"),
        (_intake(0, 0, 0, 3, 0), "high", "access=3"),
        (_intake(1, 1, 1, 1, 0), "medium", "S>=4"),  # S = 4
        (_intake(1, 1, 1, 0, 0), "low", "otherwise"),  # S = 3
        (_intake(), "low", "otherwise"),
    ],
)
def test_every_tier_rule(intake, tier, rule):
    result = inherent_tier(intake)
    assert result.tier == tier
    assert rule in [r.rule for r in result.reasons]
    assert all(r.nl and r.en for r in result.reasons)


def test_sum_is_reported_and_thresholds_are_inclusive():
    assert inherent_tier(_intake(2, 2, 2, 2, 2)).score == 10
    assert inherent_tier(_intake(2, 2, 2, 2, 2)).tier == "high"
    assert inherent_tier(_intake(1, 1, 1, 0, 0)).tier == "low"
    assert inherent_tier(_intake(2, 1, 1, 0, 0)).tier == "medium"


def test_highest_tier_wins_and_lists_all_its_reasons():
    result = inherent_tier(_intake(3, 3, 3, 3, 3))
    assert result.tier == "critical"
    assert {r.rule for r in result.reasons} == {"S>=11", "continuity=3", "data=3 and volume=3"}


@pytest.mark.parametrize(
    "bad", [{"data": 4}, {"data": -1}, {"data": "3"}, {"data": True}, {"colour": 1}]
)
def test_bad_intake_is_refused(bad):
    with pytest.raises(IntakeError):
        inherent_tier({**_intake(), **bad})


ORDER = ["low", "medium", "high", "critical"]
intakes = st.fixed_dictionaries({f: st.integers(0, 3) for f in FACTORS})


@given(intakes)
def test_tier_matches_the_rules(intake):
    s = sum(intake.values())
    expected = (
        "critical"
        if s >= 11 or intake["continuity"] == 3 or (intake["data"] == 3 and intake["volume"] == 3)
        else "high"
        if s >= 7 or intake["data"] == 3 or intake["access"] == 3
        else "medium"
        if s >= 4
        else "low"
    )
    assert inherent_tier(intake).tier == expected


@given(intakes, st.sampled_from(FACTORS))
def test_raising_a_factor_never_lowers_the_tier(intake, factor):
    before = inherent_tier(intake).tier
    raised = {**intake, factor: min(3, intake[factor] + 1)}
    assert ORDER.index(inherent_tier(raised).tier) >= ORDER.index(before)


@pytest.mark.parametrize(
    ("rule", "lang", "words"),
    [
        ("S>=11", "nl", "score 11 of hoger"),
        ("S>=11", "en", "score 11 or higher"),
        ("data=3 and volume=3", "nl", "gegevens en volume beide 3"),
        ("data=3 and volume=3", "en", "data and volume both 3"),
        ("continuity=3", "nl", "continuïteit 3"),
        ("data=3 and access=2", "en", "data 3 and access 2"),
        ("otherwise", "nl", "geen regel voor een hoger niveau"),
    ],
)
def test_tier_rules_read_as_words(rule, lang, words):
    with translation.override(lang):
        assert rule_words(rule) == words
