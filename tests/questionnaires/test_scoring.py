"""Scoring (DESIGN §6.3–6.5): table tests of every cell, and properties (hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.scoring import (
    AnswerInput,
    QuestionSpec,
    band_for,
    question_score,
    residual_risk,
    score_assessment,
)

TODAY = date(2026, 11, 22)
MATRIX = {
    ("critical", "strong"): "medium",
    ("critical", "adequate"): "high",
    ("critical", "weak"): "critical",
    ("critical", "poor"): "critical",
    ("high", "strong"): "low",
    ("high", "adequate"): "medium",
    ("high", "weak"): "high",
    ("high", "poor"): "critical",
    ("medium", "strong"): "low",
    ("medium", "adequate"): "low",
    ("medium", "weak"): "medium",
    ("medium", "poor"): "high",
    ("low", "strong"): "low",
    ("low", "adequate"): "low",
    ("low", "weak"): "low",
    ("low", "poor"): "medium",
}


@pytest.mark.parametrize(("cell", "expected"), MATRIX.items())
def test_every_residual_cell(cell, expected):
    tier, band = cell
    assert residual_risk(tier, band, []) == expected


@pytest.mark.parametrize(("cell", "expected"), MATRIX.items())
def test_knockout_raises_every_cell_to_at_least_high(cell, expected):
    tier, band = cell
    result = residual_risk(tier, band, ["IAM-01"])
    assert result == (expected if expected in ("high", "critical") else "high")


def test_not_assessed_residual_equals_tier():
    assert residual_risk("medium", None, []) == "medium"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "strong"),
        (85, "strong"),
        (84.9, "adequate"),
        (70, "adequate"),
        (69.9, "weak"),
        (50, "weak"),
        (49.9, "poor"),
        (0, "poor"),
        (None, None),
    ],
)
def test_bands(score, band):
    assert band_for(score) == band


def yn(code, w=1, section="A", **kw):
    return QuestionSpec(code=code, section=section, answer_type="yes_partial_no", weight=w, **kw)


@pytest.mark.parametrize(("value", "q"), [("yes", 1), ("partial", 0.5), ("no", 0), (None, 0)])
def test_yes_partial_no(value, q):
    assert question_score(yn("Q"), AnswerInput(value) if value else None, as_of=TODAY) == q


def test_na_is_excluded_and_choices_carry_their_own_scores():
    assert question_score(yn("Q"), AnswerInput("na"), as_of=TODAY) is None
    inverted = QuestionSpec(
        "Q", "A", "yes_no", choices=({"value": "yes", "score": 0}, {"value": "no", "score": 1})
    )
    assert question_score(inverted, AnswerInput("no"), as_of=TODAY) == 1


def test_multiple_choice_sums_to_at_most_one():
    spec = QuestionSpec(
        "Q",
        "A",
        "multiple_choice",
        choices=(
            {"value": "a", "score": 0.5},
            {"value": "b", "score": 0.4},
            {"value": "c", "score": 0.3},
        ),
    )
    assert question_score(spec, AnswerInput(["a", "b"]), as_of=TODAY) == pytest.approx(0.9)
    assert question_score(spec, AnswerInput(["a", "b", "c"]), as_of=TODAY) == 1


def test_number_and_date_bands():
    pentest = QuestionSpec(
        "Q", "A", "date", bands=({"lte": 12, "score": 1}, {"lte": 24, "score": 0.5})
    )
    assert question_score(pentest, AnswerInput("2026-03-01"), as_of=TODAY) == 1
    assert question_score(pentest, AnswerInput("2025-03-01"), as_of=TODAY) == 0.5
    assert question_score(pentest, AnswerInput("2023-01-01"), as_of=TODAY) == 0
    unbanded = QuestionSpec("Q", "A", "number")
    assert question_score(unbanded, AnswerInput(5), as_of=TODAY) is None


def test_text_scored_only_by_reviewer():
    assert question_score(QuestionSpec("Q", "A", "text"), AnswerInput("x"), as_of=TODAY) is None
    rev = QuestionSpec("Q", "A", "text", reviewer_scored=True)
    assert question_score(rev, AnswerInput("x", verdict="accepted"), as_of=TODAY) == 1
    assert question_score(rev, AnswerInput("x", verdict="rejected"), as_of=TODAY) == 0


def test_override_wins():
    assert question_score(yn("Q"), AnswerInput("no", override=0.75), as_of=TODAY) == 0.75


def test_control_score_sections_explanation_and_knockout():
    specs = [
        yn("A-1", 3, "A", knockout=True),
        yn("A-2", 1, "A"),
        yn("B-1", 2, "B"),
        yn("B-2", 0, "B"),
        yn("C-1", 1, "C", applies_to=("epd",)),
        yn("B-3", 1, "B", show_if={"fact": "answer.B-1", "op": "eq", "value": "no"}),
    ]
    answers = {
        "A-1": AnswerInput("no"),
        "A-2": AnswerInput("yes"),
        "B-1": AnswerInput("partial"),
        "B-2": AnswerInput("no"),
        "C-1": AnswerInput("no"),
    }
    result = score_assessment(specs, answers, supplier_types=["cloud"], as_of=TODAY)
    # counted: A-1 (3·0) + A-2 (1·1) + B-1 (2·0.5) = 2 of 6
    assert result.control_score == 33.3
    assert result.band == "poor"
    assert result.section_scores == {"A": 25.0, "B": 50.0}
    assert result.knockouts == ["A-1"]
    assert [e["question"] for e in result.explanation] == ["A-1", "B-1"]
    assert result.explanation[0]["points_lost"] == 50.0
    excluded = {r.code: r.excluded_because for r in result.questions if r.excluded_because}
    assert excluded == {"B-2": "weight_0", "C-1": "not_applicable", "B-3": "hidden"}


def test_no_counted_question_gives_no_score():
    result = score_assessment([yn("A", 0)], {}, supplier_types=["epd"], as_of=TODAY)
    assert result.control_score is None and result.band is None


# --- properties -------------------------------------------------------------------------

answers_st = st.sampled_from(["yes", "partial", "no", "na", None])
bank = [yn(f"Q{i}", w=i % 4, section=f"S{i % 3}", knockout=(i == 2)) for i in range(10)]


@settings(max_examples=300, deadline=None)
@given(st.lists(answers_st, min_size=10, max_size=10))
def test_score_within_0_and_100(values):
    answers = {f"Q{i}": AnswerInput(v) for i, v in enumerate(values) if v}
    r = score_assessment(bank, answers, supplier_types=["epd"], as_of=TODAY)
    assert r.control_score is None or 0 <= r.control_score <= 100
    assert all(0 <= s <= 100 for s in r.section_scores.values())


BETTER = {None: "no", "no": "partial", "partial": "yes", "yes": "yes", "na": "na"}


@settings(max_examples=300, deadline=None)
@given(st.lists(answers_st, min_size=10, max_size=10), st.integers(0, 9))
def test_improving_an_answer_never_lowers_the_score(values, i):
    before = {f"Q{j}": AnswerInput(v) for j, v in enumerate(values) if v}
    after = dict(before)
    after[f"Q{i}"] = AnswerInput(BETTER[values[i]])
    a = score_assessment(bank, before, supplier_types=["epd"], as_of=TODAY).control_score
    b = score_assessment(bank, after, supplier_types=["epd"], as_of=TODAY).control_score
    if a is not None and b is not None:
        assert b >= a


@settings(max_examples=300, deadline=None)
@given(st.lists(answers_st, min_size=10, max_size=10), answers_st)
def test_excluded_questions_never_change_the_score(values, extra):
    answers = {f"Q{i}": AnswerInput(v) for i, v in enumerate(values) if v}
    base = score_assessment(bank, answers, supplier_types=["epd"], as_of=TODAY).control_score
    extras = [
        yn("X-W0", 0),
        yn("X-NA", 3, applies_to=("medical_device",)),
        yn("X-HID", 3, show_if={"fact": "intake.data", "op": "gt", "value": 5}),
    ]
    more = {
        **answers,
        "X-NA": AnswerInput(extra),
        "X-HID": AnswerInput(extra),
        "X-W0": AnswerInput(extra),
    }
    with_extras = score_assessment(
        bank + extras, more, supplier_types=["epd"], facts={"intake.data": 1}, as_of=TODAY
    )
    assert with_extras.control_score == base
    answers_na = {**answers, "Q5": AnswerInput("na")}
    without_q5 = score_assessment(
        [s for s in bank if s.code != "Q5"], answers, supplier_types=["epd"], as_of=TODAY
    )
    assert (
        score_assessment(bank, answers_na, supplier_types=["epd"], as_of=TODAY).control_score
        == without_q5.control_score
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(answers_st, min_size=10, max_size=10),
    st.sampled_from(["low", "medium", "high", "critical"]),
)
def test_failed_knockout_always_gives_at_least_high(values, tier):
    answers = {f"Q{i}": AnswerInput(v) for i, v in enumerate(values) if v}
    r = score_assessment(bank, answers, supplier_types=["epd"], as_of=TODAY)
    if r.knockouts:
        assert residual_risk(tier, r.band, r.knockouts) in ("high", "critical")
