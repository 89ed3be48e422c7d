"""Question matching (DESIGN §14): which question of a template asks what a customer's own
question asks. `match_texts(texts, template)`; the index is built once per call."""

from __future__ import annotations

from .matcher import CANDIDATES, THRESHOLD, Candidate, Match, Matcher


def matcher_for(template) -> Matcher:
    rows = template.questions.order_by("section__order", "order").values_list(
        "code", "text_nl", "text_en"
    )
    return Matcher(list(rows))


def match_texts(texts, *, template) -> list[Match]:
    m = matcher_for(template)
    return [m.match(t) for t in texts]


__all__ = ["CANDIDATES", "THRESHOLD", "Candidate", "Match", "Matcher", "match_texts", "matcher_for"]
