"""The questionnaire file format (FORMATS.md): parse, validate as a whole, normalise, export.

Pure Python, no ORM: `parse_questionnaire(text)` returns a normalised dict or raises
`QuestionnaireFileError` listing *every* error with its path (`sections[2].questions[4].op`).
`questionnaire_to_yaml(data)` writes the same dict back; importing an exported file yields
the same template (lossless round trip).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portal.core import rules, yamlsafe

ANSWER_TYPES = (
    "yes_no",
    "yes_partial_no",
    "single_choice",
    "multiple_choice",
    "number",
    "date",
    "text",
    "file",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
DEFAULT_CHOICE_TYPES = ("yes_no", "yes_partial_no")
BAND_TYPES = ("number", "date")
REVIEWER_TYPES = ("text", "file")
SEVERITIES = ("low", "medium", "high", "critical")
EVIDENCE = ("none", "optional", "required")
SUPPLIER_TYPES = ("epd", "cloud", "it_services", "medical_device", "other")
# A norm reference, or a free-text one ("TEXT:ISO 27001 A.5.1") for what fits no prefix: a
# customer's sheet keeps every reference it had.
REFERENCE_RE = re.compile(
    r"^(?:(NEN7510-2|NEN7510-1|NEN7512|NEN7513|NIS2|CBW|AVG|DORA|MDR|CRA):[A-Za-z0-9.()\-]+"
    r"|TEXT:[^\x00-\x1f\x7f]{1,200})$"
)
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,19}$")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{0,79}$")
# Control characters other than tab and line breaks: invisible, and NUL is refused by PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_QUESTIONS = 2000
MAX_TEXT = 2000
MAX_LONG_TEXT = 4000

TOP_KEYS = {"key", "version", "title", "description", "sections"}
SECTION_KEYS = {"code", "title", "questions"}
# A question's settings, in FORMATS.md order: the same name in the file, the model and the API
# (the one list; code, texts and type are named apart because they are stored per language).
QUESTION_FIELDS = (
    "choices",
    "na_allowed",
    "weight",
    "required",
    "knockout",
    "severity",
    "applies_to",
    "show_if",
    "evidence",
    "bands",
    "reviewer_scored",
    "references",
)
QUESTION_KEYS = {"code", "text", "help", "type", *QUESTION_FIELDS, "advice"}
# Fields written on export in this order (FORMATS.md order).
QUESTION_DEFAULTS: dict[str, Any] = {
    "help": {"nl": "", "en": ""},
    "choices": [],
    "na_allowed": False,
    "weight": 1,
    "required": True,
    "knockout": False,
    "severity": "medium",
    "applies_to": [],
    "show_if": None,
    "evidence": "none",
    "bands": [],
    "reviewer_scored": False,
    "references": [],
    "advice": {"nl": "", "en": ""},
}

DEFAULT_CHOICES = {
    "yes": {"value": "yes", "label": {"nl": "Ja", "en": "Yes"}, "score": 1.0},
    "partial": {
        "value": "partial",
        "label": {"nl": "Gedeeltelijk", "en": "Partially"},
        "score": 0.5,
    },
    "no": {"value": "no", "label": {"nl": "Nee", "en": "No"}, "score": 0.0},
    "na": {"value": "na", "label": {"nl": "N.v.t.", "en": "N/A"}, "score": None},
}


def show_if_facts(codes) -> set[str]:
    """The facts a question's show_if may name: the base facts and the answers to `codes`.
    `relationship_facts` provides each of them when the rule is evaluated."""
    return set(rules.BASE_FACTS) | {rules.answer_fact(code) for code in codes}


def default_choices(answer_type: str) -> list[dict]:
    if answer_type == "yes_no":
        return [DEFAULT_CHOICES["yes"], DEFAULT_CHOICES["no"]]
    if answer_type == "yes_partial_no":
        return [DEFAULT_CHOICES["yes"], DEFAULT_CHOICES["partial"], DEFAULT_CHOICES["no"]]
    return []


@dataclass(frozen=True)
class FileError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class QuestionnaireFileError(ValueError):
    def __init__(self, errors: list[FileError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:20]))


class _Collector:
    def __init__(self, *, one_language_ok: bool = False) -> None:
        self.errors: list[FileError] = []
        # A customer's sheet in one language: a required text needs one of nl/en, the other is
        # left empty and shown as missing in the builder.
        self.one_language_ok = one_language_ok

    def add(self, path: str, message: str) -> None:
        self.errors.append(FileError(path, message))

    def bilingual(self, value: Any, path: str, *, required: bool, limit: int) -> dict:
        if value is None:
            if required:
                self.add(path, "is required, with a Dutch (nl) and an English (en) text")
            return {"nl": "", "en": ""}
        if not isinstance(value, dict):
            self.add(path, "must be a mapping with nl and en texts")
            return {"nl": "", "en": ""}
        for extra in set(value) - {"nl", "en"}:
            self.add(f"{path}.{extra}", "unknown language; use nl and en")
        out = {}
        for lang in ("nl", "en"):
            text = value.get(lang, "")
            if text is None:
                text = ""
            if not isinstance(text, str):
                text = str(text)
            text = text.strip()
            if _CONTROL.search(text):
                self.add(f"{path}.{lang}", "contains control characters")
                text = _CONTROL.sub("", text)
            other = value.get("en" if lang == "nl" else "nl")
            if required and not text and not (self.one_language_ok and str(other or "").strip()):
                self.add(f"{path}.{lang}", "must not be empty")
            if len(text) > limit:
                self.add(f"{path}.{lang}", f"is longer than {limit} characters")
            out[lang] = text
        return out

    def boolean(self, value: Any, path: str, default: bool) -> bool:
        if value is None:
            return default
        try:
            return yamlsafe.to_bool(value, path)
        except ValueError:
            self.add(path, "must be true or false (yes/no)")
            return default

    def choice(self, value: Any, path: str, allowed: tuple[str, ...], default: str) -> str:
        if value is None:
            return default
        if value not in allowed:
            self.add(path, f"{value!r} is not one of: {', '.join(allowed)}")
            return default
        return value

    def unknown_keys(self, node: dict, allowed: set[str], path: str) -> None:
        for key in node:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.add(where, f"unknown field; allowed: {', '.join(sorted(allowed))}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float is no score or bound either
        return None


def _score(c: _Collector, value: Any, path: str) -> float:
    number = _number(value)
    if number is None or not 0 <= number <= 1:
        c.add(path, "must be a number from 0 to 1")
        return 0.0
    return number


def _as_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _choices(c: _Collector, raw: Any, path: str, answer_type: str) -> list[dict]:
    if raw is None or raw == []:
        if answer_type in CHOICE_TYPES:
            c.add(path, f"a {answer_type} question needs choices")
        return []
    if answer_type not in CHOICE_TYPES + DEFAULT_CHOICE_TYPES:
        c.add(path, f"a {answer_type} question has no choices")
        return []
    if not isinstance(raw, list):
        c.add(path, "must be a list")
        return []
    out, seen = [], set()
    for i, item in enumerate(raw):
        p = f"{path}[{i}]"
        if not isinstance(item, dict):
            c.add(p, "must be a mapping with value, label and score")
            continue
        c.unknown_keys(item, {"value", "label", "score"}, p)
        value = _as_value(item.get("value"))
        if not value or len(value) > 50 or _CONTROL.search(value):
            c.add(f"{p}.value", "is required (a short text)")
            continue
        if value == "na":
            c.add(f"{p}.value", "'na' is added by na_allowed; do not list it")
        if value in seen:
            c.add(f"{p}.value", f"duplicate value {value!r}")
        seen.add(value)
        out.append(
            {
                "value": value,
                "label": c.bilingual(item.get("label"), f"{p}.label", required=True, limit=200),
                "score": _score(c, item.get("score"), f"{p}.score"),
            }
        )
    return out


def _bands(c: _Collector, raw: Any, path: str, answer_type: str) -> list[dict]:
    if raw is None or raw == []:
        return []
    if answer_type not in BAND_TYPES:
        c.add(path, "bands are only for number and date questions")
        return []
    if not isinstance(raw, list):
        c.add(path, "must be a list")
        return []
    out = []
    for i, band in enumerate(raw):
        p = f"{path}[{i}]"
        if not isinstance(band, dict):
            c.add(p, "must be a mapping such as {lte: 12, score: 1}")
            continue
        bounds = [k for k in band if k in ("lt", "lte", "gt", "gte")]
        c.unknown_keys(band, {"lt", "lte", "gt", "gte", "score"}, p)
        if not bounds:
            c.add(p, "needs a bound: lt, lte, gt or gte")
        clean: dict[str, float] = {}
        for key in bounds:
            number = _number(band[key])
            if number is None:
                c.add(f"{p}.{key}", "must be a number")
            else:
                clean[key] = number
        clean["score"] = _score(c, band.get("score"), f"{p}.score")
        out.append(clean)
    return out


def _string_list(c: _Collector, raw: Any, path: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        c.add(path, "must be a list")
        return []
    return [str(v) for v in raw]


def validate_questionnaire(data: Any, *, one_language_ok: bool = False) -> dict:
    """Validate a loaded file; return the normalised dict or raise with every error.

    `one_language_ok` (spreadsheet import only) accepts texts in just one of the languages.
    """
    c = _Collector(one_language_ok=one_language_ok)
    if not isinstance(data, dict):
        raise QuestionnaireFileError(
            [FileError("", "the file must be a mapping with key, version, title and sections")]
        )
    c.unknown_keys(data, TOP_KEYS, "")
    key = data.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        c.add("key", "is required: lower-case letters, digits and hyphens (a slug)")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        c.add("version", "must be a whole number of at least 1")
    out: dict[str, Any] = {
        "key": key,
        "version": version,
        "title": c.bilingual(data.get("title"), "title", required=True, limit=200),
        "description": c.bilingual(
            data.get("description"), "description", required=False, limit=MAX_LONG_TEXT
        ),
        "sections": [],
    }
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        c.add("sections", "must be a non-empty list")
        sections = []

    # First pass: all question codes, so show_if may name any question in the file.
    all_codes: set[str] = set()
    for section in sections:
        questions = section.get("questions") if isinstance(section, dict) else None
        for q in questions if isinstance(questions, list) else []:
            if isinstance(q, dict) and isinstance(q.get("code"), str):
                all_codes.add(q["code"])
    known_facts = show_if_facts(all_codes)

    section_codes: set[str] = set()
    question_codes: set[str] = set()
    count = 0
    for si, section in enumerate(sections):
        sp = f"sections[{si}]"
        if not isinstance(section, dict):
            c.add(sp, "must be a mapping with code, title and questions")
            continue
        c.unknown_keys(section, SECTION_KEYS, sp)
        scode = section.get("code")
        if not isinstance(scode, str) or not CODE_RE.match(scode):
            c.add(f"{sp}.code", "is required: upper-case letters, digits, '.', '-' or '_' (max 20)")
        elif scode in section_codes:
            c.add(f"{sp}.code", f"duplicate section code {scode!r}")
        else:
            section_codes.add(scode)
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            c.add(f"{sp}.questions", "must be a non-empty list")
            questions = []
        clean_questions = []
        for qi, q in enumerate(questions):
            count += 1
            qp = f"{sp}.questions[{qi}]"
            if not isinstance(q, dict):
                c.add(qp, "must be a mapping")
                continue
            clean_questions.append(_question(c, q, qp, question_codes, known_facts))
        out["sections"].append(
            {
                "code": scode,
                "title": c.bilingual(section.get("title"), f"{sp}.title", required=True, limit=200),
                "questions": clean_questions,
            }
        )
    if count > MAX_QUESTIONS:
        c.add("sections", f"has {count} questions; at most {MAX_QUESTIONS} are allowed")
    if c.errors:
        raise QuestionnaireFileError(c.errors)
    return out


def _question(c: _Collector, q: dict, qp: str, codes: set[str], known_facts: set[str]) -> dict:
    c.unknown_keys(q, QUESTION_KEYS, qp)
    code = q.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        c.add(f"{qp}.code", "is required: upper-case letters, digits, '.', '-' or '_' (max 20)")
    elif code in codes:
        c.add(f"{qp}.code", f"duplicate question code {code!r}")
    else:
        codes.add(code)
    answer_type = q.get("type")
    if answer_type not in ANSWER_TYPES:
        c.add(f"{qp}.type", f"{answer_type!r} is not one of: {', '.join(ANSWER_TYPES)}")
        answer_type = "text"
    weight = q.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 3:
        c.add(f"{qp}.weight", "must be a whole number from 0 to 3")
        weight = 1
    applies_to = _string_list(c, q.get("applies_to"), f"{qp}.applies_to")
    for i, t in enumerate(applies_to):
        if t not in SUPPLIER_TYPES:
            c.add(
                f"{qp}.applies_to[{i}]",
                f"{t!r} is not a supplier type ({', '.join(SUPPLIER_TYPES)})",
            )
    if len(set(applies_to)) != len(applies_to):
        c.add(f"{qp}.applies_to", "lists a supplier type twice")
    references = _string_list(c, q.get("references"), f"{qp}.references")
    for i, ref in enumerate(references):
        if not REFERENCE_RE.match(ref):
            c.add(
                f"{qp}.references[{i}]",
                f"{ref!r} is not a reference such as NEN7510-2:5.19 or AVG:28.3.c",
            )
    show_if = q.get("show_if")
    if show_if is not None:
        own = rules.answer_fact(code) if isinstance(code, str) else None
        rule_errors = rules.validate(show_if, known_facts - {own}, path=f"{qp}.show_if")
        for err in rule_errors:
            c.add(err.path, err.message)
        if own and own in rules.facts_used(show_if) and not rule_errors:
            c.add(f"{qp}.show_if", "a question cannot depend on its own answer")
        if not rule_errors:
            show_if = rules.normalise(show_if)
    reviewer_scored = c.boolean(q.get("reviewer_scored"), f"{qp}.reviewer_scored", False)
    if reviewer_scored and answer_type not in REVIEWER_TYPES:
        c.add(f"{qp}.reviewer_scored", "only text and file questions are scored by the reviewer")
    return {
        "code": code,
        "text": c.bilingual(q.get("text"), f"{qp}.text", required=True, limit=MAX_TEXT),
        "help": c.bilingual(q.get("help"), f"{qp}.help", required=False, limit=MAX_LONG_TEXT),
        "type": answer_type,
        "choices": _choices(c, q.get("choices"), f"{qp}.choices", answer_type),
        "na_allowed": c.boolean(q.get("na_allowed"), f"{qp}.na_allowed", False),
        "weight": weight,
        "required": c.boolean(q.get("required"), f"{qp}.required", True),
        "knockout": c.boolean(q.get("knockout"), f"{qp}.knockout", False),
        "severity": c.choice(q.get("severity"), f"{qp}.severity", SEVERITIES, "medium"),
        "applies_to": applies_to,
        "show_if": show_if,
        "evidence": c.choice(q.get("evidence"), f"{qp}.evidence", EVIDENCE, "none"),
        "bands": _bands(c, q.get("bands"), f"{qp}.bands", answer_type),
        "reviewer_scored": reviewer_scored,
        "references": references,
        "advice": c.bilingual(q.get("advice"), f"{qp}.advice", required=False, limit=MAX_LONG_TEXT),
    }


def parse_questionnaire(text: str | bytes) -> dict:
    """Load YAML text and validate it; raises QuestionnaireFileError with every problem."""
    try:
        data = yamlsafe.load(text)
    except (yamlsafe.YamlError, ValueError) as exc:
        raise QuestionnaireFileError([FileError("", str(exc))]) from exc
    return validate_questionnaire(data)


def questionnaire_to_yaml(data: dict) -> str:
    """Write a normalised questionnaire dict as YAML, every field explicit except empty extras."""
    doc: dict[str, Any] = {"key": data["key"], "version": data["version"], "title": data["title"]}
    if any(data.get("description", {}).values()):
        doc["description"] = data["description"]
    doc["sections"] = []
    for section in data["sections"]:
        questions = []
        for q in section["questions"]:
            item: dict[str, Any] = {"code": q["code"], "text": q["text"]}
            for field in ("help", "type", *QUESTION_FIELDS, "advice"):
                value = q["type"] if field == "type" else q.get(field)
                if field in ("help", "advice") and not any((value or {}).values()):
                    continue
                if field in ("choices", "bands", "applies_to") and not value:
                    continue
                if field == "show_if" and value is None:
                    continue
                item[field] = value
            questions.append(item)
        doc["sections"].append(
            {"code": section["code"], "title": section["title"], "questions": questions}
        )
    return yamlsafe.dump(doc)


def validate_question(raw: dict, *, other_codes: set[str], all_codes: set[str]) -> dict:
    """Validate one question (the builder's form) exactly as the file importer would.

    `other_codes` are the codes already used by other questions; `all_codes` those a show_if
    may name. Error paths start with `question.` (e.g. `question.show_if.all[0].op`).
    """
    c = _Collector()
    known = show_if_facts(all_codes)
    clean = _question(c, raw, "question", set(other_codes), known)
    if c.errors:
        raise QuestionnaireFileError(c.errors)
    return clean
