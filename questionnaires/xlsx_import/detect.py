"""Guessing the mapping of a sheet nobody described: which sheet, which header row, which
column holds what, and which language the questions are in. The user corrects it on the page;
the command line prints it. Pure functions over the first rows of each sheet."""

from __future__ import annotations

import re

from openpyxl.utils import get_column_letter

from .validations import ListValidation

HEADER_SCAN = 20
# Header texts per target, Dutch and English, compared after `_norm`. An exact match wins over
# a header that merely starts with one of these words ("Vraag (NL)", "Question text").
ALIASES: dict[str, tuple[str, ...]] = {
    "code": (
        "nr",
        "nr.",
        "no",
        "no.",
        "nummer",
        "id",
        "code",
        "question id",
        "vraag id",
        "vraagnummer",
        "vraagcode",
        "question code",
        "question number",
    ),
    "text": ("vraag", "vragen", "vraagtekst", "question", "questions", "question text"),
    "text_en": ("question (en)", "vraag (en)", "question en", "engels", "english", "vraag engels"),
    "answers": (
        "antwoordopties",
        "antwoordmogelijkheden",
        "answer options",
        "allowed answers",
        "opties",
        "options",
        "keuzes",
        "choices",
    ),
    "type": ("antwoordtype", "answer type", "type", "vraagtype", "question type"),
    "weight": ("gewicht", "weight", "weging"),
    "references": (
        "norm",
        "normen",
        "normenkader",
        "referentie",
        "referenties",
        "reference",
        "references",
        "control id",
        "control ids",
        "controls",
        "maatregel",
    ),
    "section": (
        "onderwerp",
        "domein",
        "domain",
        "topic",
        "thema",
        "section",
        "sectie",
        "categorie",
        "category",
        "hoofdstuk",
        "chapter",
    ),
    "help": ("toelichting", "uitleg", "help", "guidance", "explanation", "help text"),
}
# The answer column itself ("Antwoord", "CSP CAIQ Answer"): its drop-down or its text holds
# the allowed answers when no column lists them.
ANSWER_WORDS = ("antwoord", "answer", "response", "reactie")
DUTCH_HEADERS = {"vraag", "vragen", "vraagtekst"}
DUTCH_WORDS = set(
    "de het een van u uw wordt worden heeft hebt zijn op voor met niet die dat er".split()
)
ENGLISH_WORDS = set("the a an of you your do does have has are on for with not that there".split())


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower().rstrip(":"))


def _target_for(header: str, exact: bool) -> str | None:
    h = _norm(header)
    if not h:
        return None
    for target, words in ALIASES.items():
        if exact and h in words:
            return target
        if not exact and any(h.startswith(w + " ") or h.startswith(w + "(") for w in words):
            return target
    return None


def _is_text(cell: str) -> bool:
    return bool(cell) and not re.fullmatch(r"[\d.,\s%\-]+", cell)


def header_score(row: list[str]) -> int:
    return sum(1 for c in row if _target_for(c, True) or _target_for(c, False))


def detect_header_row(rows: list[list[str]]) -> int:
    """1-based: the row whose cells best match known headers; otherwise the first row with
    several text cells that has data below it (a merged title row has one cell)."""
    scan = rows[:HEADER_SCAN]
    best, best_score = 0, 0
    for i, row in enumerate(scan):
        score = header_score(row)
        if score > best_score:
            best, best_score = i, score
    if best_score >= 2:
        return best + 1
    for i, row in enumerate(scan):
        below = [r for r in scan[i + 1 :] if any(r)]
        if sum(1 for c in row if _is_text(c)) >= 2 and below:
            return i + 1
    return 1


def detect_columns(header: list[str], validations: list[ListValidation], header_row: int) -> dict:
    """Target → header text (or column letter when the header cell is empty)."""

    columns: dict[str, str] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for i, cell in enumerate(header):
            target = _target_for(cell, exact)
            if i in taken or not target or target in columns:
                continue
            columns[target] = cell
            taken.add(i)
    if "answers" not in columns:
        # The column whose cells carry a drop-down, else one headed "Answer"/"Antwoord".
        below = header_row + 1
        for i, _cell in enumerate(header):
            if i not in taken and any(v.covers(i + 1, below) for v in validations):
                columns["answers"] = header[i] or get_column_letter(i + 1)
                taken.add(i)
                break
        else:
            for i, cell in enumerate(header):
                if i not in taken and any(w in _norm(cell) for w in ANSWER_WORDS):
                    columns["answers"] = cell
                    taken.add(i)
                    break
    if "text_en" in columns and "text" not in columns:
        columns["text"] = columns.pop("text_en")
    return columns


def detect_language(text_header: str, texts: list[str]) -> str:
    """ "nl" or "en": from the header word ("Vraag" / "Question"), else from common words."""
    h = _norm(text_header)
    if h in DUTCH_HEADERS or h.startswith("vraag"):
        return "nl"
    if h.startswith("question"):
        return "en"
    dutch = english = 0
    for text in texts[:50]:
        words = set(re.findall(r"[a-zà-ÿ]+", text.lower()))
        dutch += len(words & DUTCH_WORDS)
        english += len(words & ENGLISH_WORDS)
    return "en" if english > dutch else "nl"


def detect_sheet(sheets: list[dict]) -> str:
    """The sheet whose first rows look most like a questionnaire's header."""

    def score(sheet: dict) -> tuple[int, int]:
        rows = sheet["rows"][:HEADER_SCAN]
        return (max((header_score(r) for r in rows), default=0), sum(1 for r in rows if any(r)))

    return max(sheets, key=score)["name"] if sheets else ""
