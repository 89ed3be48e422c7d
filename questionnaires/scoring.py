"""Scoring (DESIGN §6.3–6.5): question scores, control score, band, knock-outs, residual risk.

Pure Python — no ORM — so it is exact, property-testable and benchmarkable. Callers turn
questions and answers into `QuestionSpec` and `AnswerInput`; the result explains itself:
which answers cost how many points and which knock-out fired.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.core import rules
from suppliers.tiering import (  # noqa: F401  (one risk model)
    DEFAULT_BAND_THRESHOLDS,
    DEFAULT_MATRIX,
    band_for,
    residual_risk,
)

BANDS = ("poor", "weak", "adequate", "strong")  # ascending
DEFAULT_CHOICE_SCORES = {"yes": 1.0, "partial": 0.5, "no": 0.0}


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    section: str
    answer_type: str
    weight: int = 1
    knockout: bool = False
    choices: tuple = ()  # ({"value":…, "score":…}, …); empty = the yes/partial/no defaults
    bands: tuple = ()
    reviewer_scored: bool = False
    applies_to: tuple = ()
    show_if: Any = None


@dataclass(frozen=True)
class AnswerInput:
    value: Any = None
    verdict: str = ""  # accepted | clarification | rejected | ""
    override: float | None = None


@dataclass
class QuestionResult:
    code: str
    section: str
    weight: int
    score: float | None  # None = excluded
    excluded_because: str = ""


@dataclass
class ScoreResult:
    control_score: float | None
    band: str | None
    section_scores: dict[str, float]
    knockouts: list[str]
    questions: list[QuestionResult] = field(default_factory=list)
    explanation: list[dict] = field(default_factory=list)


def months_between(earlier: date, later: date) -> float:
    return (
        (later.year - earlier.year) * 12
        + (later.month - earlier.month)
        + (later.day - earlier.day) / 31
    )


def _band_score(bands: Iterable[Mapping], number: float) -> float:
    for band in bands:
        checks = [
            ("lt", lambda a, b: a < b),
            ("lte", lambda a, b: a <= b),
            ("gt", lambda a, b: a > b),
            ("gte", lambda a, b: a >= b),
        ]
        if all(test(number, band[key]) for key, test in checks if key in band):
            return float(band["score"])
    return 0.0


def _choice_score(spec: QuestionSpec, value: Any) -> float | None:
    scores = (
        {c["value"]: c["score"] for c in spec.choices} if spec.choices else DEFAULT_CHOICE_SCORES
    )
    if value not in scores or scores[value] is None:
        return 0.0
    return float(scores[value])


def question_score(spec: QuestionSpec, answer: AnswerInput | None, *, as_of: date) -> float | None:
    """q ∈ [0, 1], or None when the question does not count (n.a., unscored type)."""
    if answer is not None and answer.value == "na":
        return None  # n.a. is excluded even when a reviewer touched it
    if answer is not None and answer.override is not None:
        return min(1.0, max(0.0, float(answer.override)))
    t = spec.answer_type
    if t in ("text", "file"):
        if not spec.reviewer_scored:
            return None
        verdict = answer.verdict if answer else ""
        return 1.0 if verdict == "accepted" else 0.0
    if t in ("number", "date") and not spec.bands:
        return None
    if answer is None or answer.value in (None, "", []):
        return 0.0
    value = answer.value
    if t in ("yes_no", "yes_partial_no", "single_choice"):
        return _choice_score(spec, value)
    if t == "multiple_choice":
        chosen = value if isinstance(value, list) else [value]
        scores = {c["value"]: c["score"] for c in spec.choices}
        return min(1.0, sum(float(scores.get(v) or 0) for v in chosen))
    if t == "number":
        try:
            return _band_score(spec.bands, float(value))
        except (TypeError, ValueError):
            return 0.0
    if t == "date":
        try:
            answered = date.fromisoformat(str(value))
        except ValueError:
            return 0.0
        return _band_score(spec.bands, months_between(answered, as_of))
    return None


def _pct(numerator: float, denominator: float) -> float:
    return round(100 * numerator / denominator + 1e-9, 1)


def score_assessment(
    specs: Iterable[QuestionSpec],
    answers: Mapping[str, AnswerInput],
    *,
    supplier_types: Iterable[str],
    facts: Mapping[str, Any] | None = None,
    as_of: date,
    band_thresholds: Mapping[str, float] | None = None,
) -> ScoreResult:
    """The control score over counted questions, per section, with knock-outs and explanation."""
    types = set(supplier_types)
    all_facts = dict(facts or {})
    all_facts["supplier.types"] = sorted(types)
    for code, answer in answers.items():
        all_facts[rules.answer_fact(code)] = answer.value
    results: list[QuestionResult] = []
    knockouts: list[str] = []
    per_section: dict[str, list[float]] = {}
    total_w = total_wq = 0.0
    for spec in specs:
        if spec.applies_to and not (types & set(spec.applies_to)):
            results.append(
                QuestionResult(spec.code, spec.section, spec.weight, None, "not_applicable")
            )
            continue
        if spec.show_if and not rules.evaluate_trusted(spec.show_if, all_facts):
            results.append(QuestionResult(spec.code, spec.section, spec.weight, None, "hidden"))
            continue
        q = question_score(spec, answers.get(spec.code), as_of=as_of)
        if q is not None and spec.knockout and q < 0.5:
            knockouts.append(spec.code)
        if q is None or spec.weight == 0:
            reason = "weight_0" if spec.weight == 0 else "not_scored"
            results.append(QuestionResult(spec.code, spec.section, spec.weight, q, reason))
            continue
        results.append(QuestionResult(spec.code, spec.section, spec.weight, q))
        total_w += spec.weight
        total_wq += spec.weight * q
        sec = per_section.setdefault(spec.section, [0.0, 0.0])
        sec[0] += spec.weight
        sec[1] += spec.weight * q
    control = _pct(total_wq, total_w) if total_w else None
    section_scores = {code: _pct(wq, w) for code, (w, wq) in per_section.items() if w}
    explanation = [
        {
            "question": r.code,
            "section": r.section,
            "weight": r.weight,
            "score": r.score,
            "points_lost": round(100 * r.weight * (1 - r.score) / total_w, 1),
        }
        for r in results
        if r.score is not None and not r.excluded_because and r.score < 1 and total_w
    ]
    explanation.sort(key=lambda e: (-e["points_lost"], e["question"]))
    return ScoreResult(
        control, band_for(control, band_thresholds), section_scores, knockouts, results, explanation
    )
