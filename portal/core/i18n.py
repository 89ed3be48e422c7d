"""Picking the active language for texts that are stored in both languages (reasons stored as
{"nl": …, "en": …}, bilingual model fields). Texts the code writes go through gettext; this is
only for stored data."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language


def active_language() -> str:
    """ "en" or "nl" (the default), from the active translation."""
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def stored_text(texts: Mapping[str, str] | None) -> str:
    """A stored {"nl": …, "en": …} text in the active language, Dutch when English is missing."""
    texts = texts or {}
    return texts.get(active_language()) or texts.get("nl") or ""
