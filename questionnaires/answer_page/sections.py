"""The questionnaire page one section at a time (DESIGN §16): which section a request shows,
and the section navigation with the progress of each section.

A 300-question questionnaire used to render every question with its forms on one page; its
server time grew with the questionnaire. The page now renders only the shown section's
questions; the other sections appear only as navigation entries worked out from the outline
(codes, sections, `show_if`, required) and the answers' values. `?all=1` still shows
everything (to print, or to read through at once), `?q=CODE` opens the section of a question.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..assessments.selectors import _is_answered


def page_query(*, only_mine: bool, everything: bool) -> str:
    """The query string that keeps the page's view (only mine, everything) on a form's URL."""
    params = {}
    if only_mine:
        params["mine"] = "1"
    if everything:
        params["all"] = "1"
    return f"?{urlencode(params)}" if params else ""


def chosen_block(blocks: list[dict], get, *, focus: str = "") -> dict | None:
    """The visible section block this request shows: the question's (`q`), the named one
    (`section`), else the first visible one. None when no section is visible."""
    visible = [b for b in blocks if b["visible"]]
    wanted_question = focus or get.get("q", "")
    if wanted_question:
        for block in visible:
            if any(row[0].code == wanted_question and row[1] for row in block["rows"]):
                return block
    wanted_section = get.get("section", "")
    for block in visible:
        if block["section"].code == wanted_section:
            return block
    return visible[0] if visible else None


def section_nav(blocks: list[dict], answers: dict, open_codes: set[str], current) -> list[dict]:
    """One entry per visible section: title, shown / answered / still-open counts, and whether
    it is the one on the page. `answers` are the answers the page counts (by code);
    `open_codes` the required questions still open (`progress`)."""
    nav = []
    for block in blocks:
        if not block["visible"]:
            continue
        shown = [row[0].code for row in block["rows"] if row[1]]
        answered = sum(1 for code in shown if _is_answered(answers.get(code)))
        still_open = sum(1 for code in shown if code in open_codes)
        nav.append(
            {
                "section": block["section"],
                "total": len(shown),
                "answered": answered,
                "open": still_open,
                "done": still_open == 0 and answered == len(shown),
                "current": current is not None and block["section"].pk == current["section"].pk,
            }
        )
    for i, entry in enumerate(nav):
        entry["previous"] = nav[i - 1]["section"] if i > 0 else None
        entry["next"] = nav[i + 1]["section"] if i + 1 < len(nav) else None
        entry["number"] = i + 1
    return nav


def current_entry(nav: list[dict]) -> dict | None:
    return next((entry for entry in nav if entry["current"]), None)


def titled(blocks: list[dict], sections: dict) -> None:
    """Give each block its full section (title in both languages) instead of an outline ref."""
    for block in blocks:
        block["section"] = sections.get(block["section"].pk, block["section"])
