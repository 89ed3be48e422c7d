"""The lock-in rating is one table of cases read by one loop (contracts/lockin.py). The grid
below pins its results: the digest was taken from the if-chain it replaced, so the table gives
the same level, score and factors for every one of these inputs."""

from __future__ import annotations

import hashlib
import random

from django.utils import translation

from contracts.lockin import FACTORS, RULES, lock_in

POOL = [None, True, 0, 1, 2, 3, 5, 6, 7, 12, 36, 37, 48, 0.5, "no", "partial", "yes"]
POOL += ["on_request", "self_full", "missing", "negotiating", "present", "waived"]
POOL += [["proprietary"], ["fhir"], ["zib", "csv"], ["csv"], [], "proprietary"]
TYPES = [None, [], ["epd"], ["cloud"], ["epd", "cloud"], ["onprem"], "epd"]
KEYS = [
    "intake.substitutability",
    "intake.volume",
    "answer.EXIT-01",
    "answer.EXIT-02",
    "answer.EXIT-03",
    "answer.EXIT-04",
    "answer.EXIT-05",
    "answer.EXIT-06",
    "answer.LOC-04",
    "answer.BCK-05",
    "answer.LOG-03",
    "answer.NL-02",
    "checklist.EXIT-ASSIST",
    "contract.months_left",
    "contract.notice_months",
    "fourth_party.non_eu_parent",
]
# sha256 over (level, score, [(factor, points)]) of the 5,000 grid inputs, as rated by the
# previous implementation (a 240-line if-chain).
PINNED = "16d1f31976d58e41ca2a1111231ff328bf2c695538f67c9b7a1a60340d560913"


def _grid(n: int = 5000):
    rnd = random.Random(15)  # noqa: S311 - a fixed, reproducible grid, not security
    for _ in range(n):
        facts = {k: rnd.choice(POOL) for k in KEYS if rnd.random() < 0.85}
        facts["supplier.types"] = rnd.choice(TYPES)
        yield facts


def test_the_rule_table_rates_the_grid_as_before():
    digest = hashlib.sha256()
    levels = set()
    for facts in _grid():
        r = lock_in(facts)
        levels.add(r.level)
        digest.update(repr((r.level, r.score, [(x.factor, x.points) for x in r.reasons])).encode())
    assert levels == {"low", "medium", "high"}
    assert digest.hexdigest() == PINNED


def test_every_factor_in_the_table_is_explained_in_both_languages():
    assert {factor for factor, *_rest in RULES} == set(FACTORS)
    for name, explanation in FACTORS.values():
        with translation.override("nl"):
            nl = (str(name), str(explanation))
        with translation.override("en"):
            en = (str(name), str(explanation))
        assert nl != en and all(nl) and all(en)


def test_reasons_are_rendered_in_the_active_language_and_stored_in_both():
    result = lock_in({"answer.EXIT-04": 2, "contract.notice_months": 12})
    by_factor = {r.factor: r for r in result.reasons}
    assert by_factor["transition"].as_dict() == {
        "factor": "transition",
        "points": 2,
        "nl": "Overgangsbegeleiding van 2 maanden is te kort.",
        "en": "Transition assistance of 2 months is too short.",
    }
    unknown = by_factor["export"]
    assert unknown.unknown and unknown.points == 1
    with translation.override("nl"):
        assert unknown.text == (
            "Onbekend: of alle gegevens te exporteren zijn (vraag EXIT-01 is niet beantwoord) "
            "— vraag het de leverancier."
        )
    with translation.override("en"):
        assert unknown.text == (
            "Not known: whether all data can be exported (question EXIT-01 unanswered) — ask "
            "the supplier."
        )
        assert by_factor["notice"].text == "Notice period of 12 months."
