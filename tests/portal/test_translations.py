"""Every text the portal shows has its Dutch translation, and none is a fuzzy guess.

`makemessages` marks a changed text fuzzy and keeps the old translation next to it; a fuzzy
entry is left out of the compiled catalogue, so the page shows English to Dutch users."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings


def _catalogue(lang: str):
    path = Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / "django.po"
    with path.open("rb") as fh:
        return read_po(fh, abort_invalid=True)


def test_every_dutch_text_is_translated_and_not_fuzzy():
    catalogue = _catalogue("nl")
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 1000  # the real catalogue, not an empty file
    fuzzy = [m.id for m in messages if m.fuzzy]
    missing = [
        m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert not fuzzy, f"fuzzy Dutch translations (shown in English): {fuzzy[:5]}"
    assert not missing, f"texts without a Dutch translation: {missing[:5]}"


def test_dutch_translations_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")
    wrong = []
    for m in _catalogue("nl"):
        if not m.id or isinstance(m.id, tuple) or not m.string:
            continue
        if set(placeholder.findall(m.id)) != set(placeholder.findall(m.string)):
            wrong.append(m.id)
    assert not wrong, f"placeholders differ between English and Dutch: {wrong[:5]}"
