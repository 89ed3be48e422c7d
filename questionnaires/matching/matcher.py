"""Propose, per question text, the question of a template that asks the same thing.

Each candidate question is read in both languages; a text is compared with each by the shared
content words weighted by how rare they are in the template (a weighted Dice coefficient) and
by rapidfuzz's token-set similarity, and the better language counts. `best` is the top
candidate when its score reaches THRESHOLD and stands clear of a question about something else.
Local only: no service, nothing downloaded.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from .vocabulary import words

THRESHOLD = 0.36
COVERAGE = 0.3
CANDIDATES = 3


@dataclass(frozen=True)
class Candidate:
    code: str
    score: float


@dataclass(frozen=True)
class Match:
    text: str
    best: str | None
    matches: list[Candidate]

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "best": self.best,
            "matches": [{"code": c.code, "score": c.score} for c in self.matches],
        }


class Matcher:
    """An index of one set of questions: `(code, text_nl, text_en)` rows."""

    def __init__(self, questions) -> None:
        self.docs: list[tuple[str, list[set[str]]]] = []
        counts: Counter[str] = Counter()
        for code, text_nl, text_en in questions:
            variants = [set(words(t)) for t in (text_nl, text_en) if t]
            self.docs.append((code, variants))
            counts.update(set().union(*variants) if variants else set())
        n = max(len(self.docs), 1)
        self.idf = {w: math.log(1 + n / c) for w, c in counts.items()}
        self.unknown = math.log(1 + n)  # a word no question uses weighs as the rarest

    def _weight(self, ws) -> float:
        return sum(self.idf.get(w, self.unknown) for w in ws)

    def _score(self, q: set[str], q_text: str, variant: set[str]) -> tuple[float, float]:
        """(similarity, the share of the text's weight the question covers)."""
        if not q or not variant:
            return 0.0, 0.0
        shared = self._weight(q & variant)
        dice = 2 * shared / (self._weight(q) + self._weight(variant))
        similar = fuzz.token_set_ratio(q_text, " ".join(sorted(variant))) / 100
        return 0.7 * dice + 0.3 * similar * min(1.0, 4 * dice), shared / self._weight(q)

    def match(self, text: str) -> Match:
        q = set(words(text))
        q_text = " ".join(sorted(q))
        ranked = sorted(
            (
                (max(self._score(q, q_text, v) for v in variants), code)
                for code, variants in self.docs
                if variants
            ),
            key=lambda row: (-row[0][0], row[1]),
        )[:CANDIDATES]
        scored = [Candidate(code, round(score, 3)) for (score, _cover), code in ranked]
        # A proposal must be close, and must cover most of what the text asks: a question on
        # something the template never mentions shares a word or two, not its substance.
        ok = ranked and ranked[0][0][0] >= THRESHOLD and ranked[0][0][1] >= COVERAGE
        return Match(text=text, best=scored[0].code if ok else None, matches=scored)
