"""An answer as a person reads it: choice labels in their language, Dutch or English numbers
and dates — never the stored codes ("yes", "self_full", "['fhir']")."""

from __future__ import annotations

from datetime import date

from django.utils import translation
from django.utils.formats import date_format, number_format

from .assessments import choices_for


def choice_label(choice: dict, lang: str) -> str:
    label = choice.get("label") or {}
    return str(label.get(lang) or label.get("nl") or choice["value"])


def answer_text(question, value, lang: str) -> str:
    """`value` as stored for `question` (API.md value types), shown in `lang`."""
    if value is None or value == "" or value == []:
        return ""
    labels = {c["value"]: choice_label(c, lang) for c in choices_for(question)}
    if labels:
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    with translation.override(lang):
        if question.answer_type == "number" and isinstance(value, int | float):
            return number_format(value)
        if question.answer_type == "date" and isinstance(value, str):
            try:
                return date_format(date.fromisoformat(value), "DATE_FORMAT")
            except ValueError:
                return value
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
