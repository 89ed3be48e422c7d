"""What every model module of questionnaires shares."""

from __future__ import annotations

from django.utils.translation import get_language, gettext


def _pick(obj, field: str) -> str:
    lang = (get_language() or "nl")[:2]
    value = getattr(obj, f"{field}_{lang}", "") if lang in ("nl", "en") else ""
    return value or getattr(obj, f"{field}_nl", "") or getattr(obj, f"{field}_en", "")


def _missing(obj, field: str) -> list[str]:
    """The language codes (nl, en) in which the text is empty."""
    return [lang for lang in ("nl", "en") if not getattr(obj, f"{field}_{lang}", "")]


def _missing_labels(obj, field: str) -> list[str]:
    """The same as words for the builder ("Dutch missing"), in the reader's language."""

    words = {"nl": gettext("Dutch missing"), "en": gettext("English missing")}
    return [words[lang] for lang in _missing(obj, field)]
