"""The questionnaire format's vocabulary (FORMATS.md): answer types, limits, the keys a
file may use, the default choices."""

from __future__ import annotations

import re
from typing import Any

from portal.core import rules

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
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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
