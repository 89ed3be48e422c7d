"""The questionnaire file format (FORMATS.md): parse, validate as a whole, normalise, export.

Pure Python, no ORM: `parse_questionnaire(text)` returns a normalised dict or raises
`QuestionnaireFileError` listing *every* error with its path (`sections[2].questions[4].op`).
`questionnaire_to_yaml(data)` writes the same dict back; importing an exported file yields
the same template (lossless round trip).
"""

from .fields import FileError, QuestionnaireFileError
from .files import parse_questionnaire, questionnaire_to_yaml
from .validate import validate_question, validate_questionnaire
from .vocabulary import (
    ANSWER_TYPES,
    BAND_TYPES,
    CHOICE_TYPES,
    CODE_RE,
    DEFAULT_CHOICE_TYPES,
    DEFAULT_CHOICES,
    EVIDENCE,
    KEY_RE,
    MAX_LONG_TEXT,
    MAX_QUESTIONS,
    MAX_TEXT,
    QUESTION_FIELDS,
    QUESTION_KEYS,
    REFERENCE_RE,
    REVIEWER_TYPES,
    SECTION_KEYS,
    SEVERITIES,
    SUPPLIER_TYPES,
    TOP_KEYS,
    default_choices,
    show_if_facts,
)

__all__ = [
    "ANSWER_TYPES",
    "BAND_TYPES",
    "CHOICE_TYPES",
    "CODE_RE",
    "DEFAULT_CHOICES",
    "DEFAULT_CHOICE_TYPES",
    "EVIDENCE",
    "FileError",
    "KEY_RE",
    "MAX_LONG_TEXT",
    "MAX_QUESTIONS",
    "MAX_TEXT",
    "QUESTION_FIELDS",
    "QUESTION_KEYS",
    "QuestionnaireFileError",
    "REFERENCE_RE",
    "REVIEWER_TYPES",
    "SECTION_KEYS",
    "SEVERITIES",
    "SUPPLIER_TYPES",
    "TOP_KEYS",
    "default_choices",
    "parse_questionnaire",
    "questionnaire_to_yaml",
    "show_if_facts",
    "validate_question",
    "validate_questionnaire",
]
