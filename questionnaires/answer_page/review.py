"""What the reviewer sees on the questionnaire page: the filters, which answers cost points
or still need a verdict or a score, and the provisional result."""

from __future__ import annotations

from suppliers.models import Band, Tier

from .. import assessments as svc
from ..models import AssessmentStatus as S

REVIEW_FILTERS = ("cost", "open")  # answers that cost points, answers still to review


def _review_facts(a) -> dict | None:
    """What the care organisation's page says about scoring per question: the points each answer
    costs and the knock-outs that fired — re-scored live while reviewing, as stored once
    completed. None before submission (nothing to score yet)."""
    if a.status in (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED):
        result = svc.score(a)
        explanation, knockouts = result.explanation, result.knockouts
    elif a.status == S.COMPLETED:
        stored = a.scores or {}
        explanation, knockouts = stored.get("explanation", []), stored.get("knockouts", [])
    else:
        return None
    return {
        "lost": {e["question"]: e["points_lost"] for e in explanation},
        "knockouts": set(knockouts),
    }


def _review_marks(items, answers, facts) -> None:
    """Mark each shown question for the reviewer: points lost, knock-out (question, and fired
    only when the risk model says so: q < 0.5, DESIGN §6.5), needs a score, still to review."""
    for item in items:
        if item.get("hidden"):
            continue
        q, ans = item["q"], answers.get(item["q"].code)
        item["lost"] = facts["lost"].get(q.code)
        item["knockout_fired"] = q.code in facts["knockouts"]
        item["needs_score"] = svc.needs_reviewer_score(q, ans)
        item["to_review"] = item["needs_score"] or (
            ans is not None and ans.value not in (None, "", []) and not ans.verdict
        )


def _review_filter(blocks, show: str) -> None:
    """Keep only the questions the reviewer asked for; sections left empty are hidden."""
    wanted = {
        "cost": lambda item: item.get("lost") is not None,
        "open": lambda item: item.get("to_review"),
    }[show]
    for block in blocks:
        block["items"] = [i for i in block["items"] if not i.get("hidden") and wanted(i)]
        block["visible"] = bool(block["items"])


def _provisional(a) -> dict | None:
    """The re-scored result while reviewing, with the band and risk in words."""

    p = (a.scores or {}).get("provisional")
    if not p or a.status not in (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED):
        return None
    return {
        **p,
        "band_label": dict(Band.choices).get(p.get("band"), ""),
        "residual_label": dict(Tier.choices).get(p.get("residual_risk"), ""),
    }
