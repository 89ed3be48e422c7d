"""One register and one term per concept in Dutch (locale/glossary.yaml), checked on the
catalogue that every page, PDF, spreadsheet and e-mail is rendered from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = yaml.safe_load((ROOT / "locale" / "glossary.yaml").read_text(encoding="utf-8"))


def _entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) of the Dutch catalogue; plural forms joined."""
    text = (ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    out = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        ids, strs, current = [], [], None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith("msgid ") or line.startswith("msgid_plural "):
                current = ids
            elif line.startswith("msgstr"):
                current = strs
            elif line.startswith("msgctxt"):
                current = None
            if current is not None and '"' in line:
                current.append(line[line.index('"') + 1 : line.rindex('"')])
        msgid = "".join(ids)
        if msgid:
            out.append((msgid, "".join(strs)))
    return out


ENTRIES = _entries()


def _word(term: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(term)}", re.IGNORECASE)


@pytest.mark.parametrize("concept", GLOSSARY, ids=lambda c: c["concept"])
def test_dutch_uses_the_glossary_term_for_each_concept(concept):
    avoid = [_word(w) for w in concept.get("avoid", [])]
    wrong = [(i, s) for i, s in ENTRIES if any(p.search(s) for p in avoid)]
    assert wrong == [], f"use “{concept['nl']}”, not {concept['avoid']}"
    if concept.get("strict"):
        english, dutch = _word(concept["en"]), concept["nl"].lower()
        missing = [(i, s) for i, s in ENTRIES if english.search(i) and dutch not in s.lower()]
        assert missing == [], f"“{concept['en']}” must be “{concept['nl']}” in Dutch"


def test_dutch_speaks_to_people_as_u_never_je():
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
    assert [(i, s) for i, s in ENTRIES if informal.search(s)] == []


def test_no_sentence_ends_with_an_organisation_name_and_a_full_stop():
    """ "MedDossier B.V." + "." would print "B.V..": put the name elsewhere in the sentence."""
    name_then_stop = re.compile(
        r"(%\((org|supplier|s|care|customer)\)s|\{\{ ?(org|care)[^}]*\}\})\.(\s|$)"
    )
    assert [i for i, _s in ENTRIES if name_then_stop.search(i)] == []
