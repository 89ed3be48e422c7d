"""What the questionnaire page says about an assessment started from a trust profile, or a
short questionnaire following one up (DESIGN §14): the date of the copy, the answers confirmed
more than 12 months before it (flagged per answer and counted in the header), and the short
questionnaire that asks the supplier what the profile did not cover."""

from __future__ import annotations

from .services import is_stale


def mark_stale(blocks: list[dict], a) -> None:
    """Flag each shown answer of a copy that was confirmed more than 12 months before it."""
    if a.profile_copied_at is None:
        return
    for item in (i for b in blocks for i in b["items"] if not i.get("hidden")):
        ans = item.get("a")
        if ans is not None and is_stale(ans.answered_at, copied_at=a.profile_copied_at):
            item["stale"] = ans.answered_at


def profile_origin(a, answers: dict, *, is_supplier: bool) -> dict | None:
    """The header facts of a copy from a profile or of its short questionnaire; None for an
    ordinary assessment. `answers` are the answers the page counts, by code."""
    if a.profile_copied_at is None and a.follows_up_id is None:
        return None
    stale = 0
    if a.profile_copied_at is not None and not is_supplier:
        stale = sum(
            1 for x in answers.values() if is_stale(x.answered_at, copied_at=a.profile_copied_at)
        )
    return {
        "copied_at": a.profile_copied_at,
        "profile": a.from_profile,
        "stale": stale,
        "follow_up": a.follow_ups.order_by("pk").first() if a.profile_copied_at else None,
        "follows_up": a.follows_up,
        "asked": len(a.only_codes),
    }
