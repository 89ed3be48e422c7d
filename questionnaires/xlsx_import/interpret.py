"""Reading one cell's meaning: allowed answers, norm references, question codes.

Pure functions without the ORM. Nothing a customer wrote is dropped: an unreadable reference
becomes a free-text reference (`TEXT:…`), a code that does not fit our format is normalised
and its original kept.
"""

from __future__ import annotations

import re

from ..yaml_io import CODE_RE, REFERENCE_RE

YES = {"yes", "ja", "y", "j", "true"}
NO = {"no", "nee", "n", "false"}
PARTIAL = {"partial", "partially", "gedeeltelijk", "deels", "partly"}
NA = {"na", "n/a", "n.a.", "nvt", "n.v.t.", "not applicable", "niet van toepassing"}
TYPE_WORDS = {
    "text": "text",
    "tekst": "text",
    "free text": "text",
    "vrije tekst": "text",
    "number": "number",
    "getal": "number",
    "aantal": "number",
    "date": "date",
    "datum": "date",
    "file": "file",
    "bestand": "file",
    "upload": "file",
    "document": "file",
    "yes_no": "yes_no",
    "yes_partial_no": "yes_partial_no",
    "single_choice": "single_choice",
    "multiple_choice": "multiple_choice",
}


_N_A = re.compile(r"\bn/a\b", re.I)  # "N/A" is one answer, not "N" or "A"


def _options(text: str) -> tuple[list[dict], bool]:
    """Allowed answers → choices. "A; B; C" scores 1 → 0 in order; "a=1; b=0.5" keeps scores."""
    parts = [p.strip() for p in re.split(r"[/;|\n]+", text) if p.strip()]
    if len(parts) == 1 and "," in parts[0]:
        parts = [p.strip() for p in parts[0].split(",") if p.strip()]
    na = any(p.lower() in NA for p in parts)
    options = [p for p in parts if p.lower() not in NA]
    explicit = all(re.fullmatch(r".+=\s*[0-9.]+", p) for p in options) and options
    choices, seen = [], set()
    step = 1 / (len(options) - 1) if len(options) > 1 else 0
    for i, raw in enumerate(options):
        label, score = raw, round(1 - i * step, 4)
        if explicit:
            label, _, number = raw.rpartition("=")
            label = label.strip()
            try:
                score = float(number)
            except ValueError:
                score = -1.0  # "a=1.2.3": not a number, refused by the validation as any score
        value = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:50] or f"option_{i + 1}"
        while value in seen:
            value += "_"
        seen.add(value)
        choices.append({"value": value, "label": {"nl": label, "en": label}, "score": score})
    return choices, na


def answers_to_type(
    type_cell: str, answers_cell: str, default_type: str
) -> tuple[str, list[dict], bool, str | None]:
    """Type and allowed-answers cells → (type, choices, na_allowed, error)."""
    answers_cell = _N_A.sub("n.a.", answers_cell)
    declared = TYPE_WORDS.get(type_cell.strip().lower()) if type_cell.strip() else None
    if type_cell.strip() and declared is None:
        return default_type, [], False, f"unknown answer type {type_cell!r}"
    text = answers_cell.strip()
    if declared in ("single_choice", "multiple_choice"):
        choices, na = _options(text)
        if len(choices) < 2:
            return declared, [], na, f"a {declared} question needs at least two allowed answers"
        return declared, choices, na, None
    if declared:
        na = any(p.strip().lower() in NA for p in re.split(r"[/;|,\n]+", text))
        return declared, [], na, None
    if not text:
        return default_type, [], False, None
    if text.lower() in TYPE_WORDS:
        return TYPE_WORDS[text.lower()], [], False, None
    words = {p.strip().lower() for p in re.split(r"[/;|,\n]+", text) if p.strip()}
    na = bool(words & NA)
    core = words - NA
    if core and core <= YES | NO | PARTIAL and core & YES and core & NO:
        return ("yes_partial_no" if core & PARTIAL else "yes_no"), [], na, None
    choices, na = _options(text)
    if len(choices) < 2:
        return default_type, [], na, f"cannot read the allowed answers {text!r}"
    return "single_choice", choices, na, None


# Free-form norm references as people write them → the prefixes of FORMATS.md. Each pattern
# captures the clause/article part; the table is read by one loop.
_CLAUSE = (
    r"[\s:]*(?:(?:art(?:ikel|icle)?|clause|control|paragraaf|§)\.?\s*)?"
    r"([A-Za-z]?\.?[0-9][0-9A-Za-z.()\-]*)"
)
_NORMS = [
    (
        re.compile(
            r"^NEN[\s\-]*7510[\s\-]*([12])(?:[\s:]*(?:19|20)\d\d(?!\.))?" + _CLAUSE + "$", re.I
        ),
        "NEN7510-{0}",
    ),
    (
        re.compile(r"^NEN[\s\-]*751([23])(?:[\s:]*(?:19|20)\d\d(?!\.))?" + _CLAUSE + "$", re.I),
        "NEN751{0}",
    ),
    (re.compile(r"^NIS[\s\-]*2(?:[\s\-]*(?:richtlijn|directive))?" + _CLAUSE + "$", re.I), "NIS2"),
    (re.compile(r"^(?:AVG|GDPR|UAVG)" + _CLAUSE + "$", re.I), "AVG"),
    (re.compile(r"^(?:CBW|Cyberbeveiligingswet)" + _CLAUSE + "$", re.I), "CBW"),
    (re.compile(r"^(DORA|MDR|CRA)" + _CLAUSE + "$", re.I), "{0}"),
]
_PREFIX_START = re.compile(
    r"^\s*(NEN|NIS|(?:AVG|GDPR|UAVG|CBW|Cyberbeveiligingswet|DORA|MDR|CRA|TEXT)\b)", re.I
)
FREE_TEXT_PREFIX = "TEXT:"
MAX_FREE_TEXT = 200


def _clause(raw: str) -> str:
    """ "21(2)(j)" → "21.2.j"; "A.12.4" stays; a trailing dot goes."""
    clause = re.sub(r"\(([0-9A-Za-z]+)\)", r".\1", raw)
    return re.sub(r"\.{2,}", ".", clause).strip(".-")


def parse_reference(text: str) -> str | None:
    """One reference as written → `PREFIX:clause`, or None when it is not recognisable."""
    text = text.strip()
    if REFERENCE_RE.match(text):
        return text
    for pattern, prefix in _NORMS:
        match = pattern.match(text)
        if match:
            groups = match.groups()
            name = prefix.format(*(g.upper() for g in groups[:-1]))
            ref = f"{name}:{_clause(groups[-1])}"
            return ref if REFERENCE_RE.match(ref) else None
    return None


def split_references(cell: str) -> list[str]:
    """A cell → its separate references: ";" and line breaks always separate, a comma only
    where the next part starts with a norm's name (so "ISO 27001, A.5" stays one)."""
    pieces: list[str] = []
    for part in re.split(r"[;\n]+", cell):
        chunks = [c.strip() for c in part.split(",")]
        merged: list[str] = []
        for chunk in chunks:
            if merged and not _PREFIX_START.match(chunk):
                merged[-1] = f"{merged[-1]}, {chunk}"
            else:
                merged.append(chunk)
        pieces.extend(m.strip(" ,") for m in merged if m.strip(" ,"))
    return pieces


def free_text_reference(text: str) -> str:
    """A reference we cannot read, kept as written (FORMATS: `TEXT:` + the text)."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()
    return FREE_TEXT_PREFIX + text[:MAX_FREE_TEXT]


def read_references(cell: str) -> tuple[list[str], list[str]]:
    """Cell → (references in the format of FORMATS.md, the parts kept as free text)."""
    refs: list[str] = []
    unread: list[str] = []
    for piece in split_references(cell):
        ref = parse_reference(piece)
        if ref is None:
            unread.append(piece)
            ref = free_text_reference(piece)
        if ref not in refs:
            refs.append(ref)
    return refs, unread


def normalise_code(raw: str) -> str:
    """A code as the format allows it: upper case, other characters become '-', at most 20."""
    code = re.sub(r"[^A-Z0-9_.\-]+", "-", raw.strip().upper()).strip("-.")
    code = code[:20].rstrip("-.")
    return code if CODE_RE.match(code or "-") else ""
