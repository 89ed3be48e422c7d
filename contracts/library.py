"""The clause library (FORMATS.md): parsed safely, validated as a whole, then stored.

Every error names the path inside the file (`[3].applies_if.any[1].fact`) and nothing is stored
when there is one. Triggers are rules of the rules engine, checked against the facts that exist
for a relationship: the intake, supplier types, tier and status, and answers to the questions of
the shipped question banks.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from django.db import transaction

from portal.core import rules, yamlsafe
from questionnaires.services import BANKS_DIR

from .models import ChecklistItem, Clause, ClauseCategory, Priority

LIBRARY_FILE = Path(__file__).resolve().parent / "library" / "clauses.yaml"
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
FIELDS = {"code", "title", "requirement", "basis", "category", "priority", "applies_if"}


class ClauseFileError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors[:20]))


def known_facts() -> set[str]:
    """Facts a clause trigger may use: the base facts and every question code of the banks."""

    files = tuple((p, p.stat().st_mtime_ns) for p in sorted(BANKS_DIR.glob("*.yaml")))
    return set(_bank_facts(files))


@functools.lru_cache(maxsize=4)
def _bank_facts(files: tuple) -> frozenset[str]:
    codes: set[str] = set()
    for path, _mtime in files:
        data = yamlsafe.load(path.read_bytes())
        for section in data.get("sections", []):
            codes.update(q["code"] for q in section.get("questions", []))
    return frozenset(rules.BASE_FACTS) | {rules.answer_fact(c) for c in codes}


def _text(errors, value: Any, path: str, limit: int) -> dict:
    if not isinstance(value, dict):
        errors.append(f"{path}: must be a mapping with nl and en texts")
        return {"nl": "", "en": ""}
    for extra in set(value) - {"nl", "en"}:
        errors.append(f"{path}.{extra}: unknown language; use nl and en")
    out = {}
    for lang in ("nl", "en"):
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{path}.{lang}: must be a non-empty text")
            text = ""
        elif len(text) > limit:
            errors.append(f"{path}.{lang}: is longer than {limit} characters")
        out[lang] = text.strip()
    return out


def validate_library(data: Any, facts: set[str] | None = None) -> list[dict]:
    """The clauses, checked; ClauseFileError listing every problem with its path."""
    facts = facts if facts is not None else known_facts()
    errors: list[str] = []
    if not isinstance(data, list) or not data:
        raise ClauseFileError(["the library must be a non-empty list of clauses"])
    seen: set[str] = set()
    clauses = []
    for i, raw in enumerate(data):
        path = f"[{i}]"
        if not isinstance(raw, dict):
            errors.append(f"{path}: must be a mapping")
            continue
        for key in set(raw) - FIELDS:
            errors.append(f"{path}.{key}: unknown field; allowed: {', '.join(sorted(FIELDS))}")
        code = raw.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            errors.append(f"{path}.code: use 1–20 capitals, digits and hyphens")
        elif code in seen:
            errors.append(f"{path}.code: {code} appears twice")
        else:
            seen.add(code)
        basis = raw.get("basis")
        if not isinstance(basis, list) or not basis or not all(isinstance(b, str) for b in basis):
            errors.append(f"{path}.basis: must be a non-empty list of references")
            basis = []
        category = raw.get("category")
        if category not in ClauseCategory.values:
            errors.append(f"{path}.category: {category!r} is not one of {ClauseCategory.values}")
        priority = raw.get("priority")
        if priority not in Priority.values:
            errors.append(f"{path}.priority: {priority!r} is not one of must, should")
        rule = raw.get("applies_if")
        if rule is not None:
            rule_errors = rules.validate(rule, facts, path=f"{path}.applies_if")
            errors.extend(str(e) for e in rule_errors)
            if not rule_errors:
                rule = rules.normalise(rule)
        clauses.append(
            {
                "code": code,
                "title": _text(errors, raw.get("title"), f"{path}.title", 200),
                "requirement": _text(errors, raw.get("requirement"), f"{path}.requirement", 4000),
                "basis": [b.strip()[:60] for b in basis],
                "category": category,
                "priority": priority,
                "applies_if": rule,
            }
        )
    if errors:
        raise ClauseFileError(errors)
    return clauses


def parse_library(text: str | bytes, facts: set[str] | None = None) -> list[dict]:
    try:
        data = yamlsafe.load(text)
    except yamlsafe.YamlError as exc:
        raise ClauseFileError([str(exc)]) from exc
    return validate_library(data, facts)


def library_load(path: Path = LIBRARY_FILE, using: str = "default") -> tuple[int, int]:
    """Store the library: new clauses added, changed ones updated (codes are stable); a clause
    removed from the file stays while a checklist uses it. Returns (added, updated)."""
    clauses = parse_library(path.read_bytes())
    with transaction.atomic(using=using):
        return _store(clauses, using)


def _store(clauses: list[dict], using: str) -> tuple[int, int]:
    added = updated = 0
    for order, c in enumerate(clauses):
        values = {
            "title_nl": c["title"]["nl"],
            "title_en": c["title"]["en"],
            "requirement_nl": c["requirement"]["nl"],
            "requirement_en": c["requirement"]["en"],
            "basis": c["basis"],
            "category": c["category"],
            "priority": c["priority"],
            "applies_if": c["applies_if"],
            "order": order,
        }
        clause = Clause.objects.using(using).filter(code=c["code"]).first()
        if clause is None:
            Clause.objects.using(using).create(code=c["code"], **values)
            added += 1
        elif any(getattr(clause, k) != v for k, v in values.items()):
            Clause.objects.using(using).filter(pk=clause.pk).update(**values)
            updated += 1
    stale = Clause.objects.using(using).exclude(code__in=[c["code"] for c in clauses])
    stale.exclude(pk__in=ChecklistItem.objects.using(using).values("clause")).delete()
    return added, updated


def library_load_after_migrate(*, using="default", **_signal) -> None:
    """`migrate` keeps the shipped clause library in step with contracts/library/clauses.yaml
    (validated first; an invalid file stops the migration with every error listed)."""
    library_load(using=using)
