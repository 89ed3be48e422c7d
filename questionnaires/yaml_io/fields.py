"""Errors with their path, and the field readers every part of a questionnaire file uses
(numbers, scores, choices, bands, string lists): each records a problem and goes on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.core import yamlsafe

from .vocabulary import BAND_TYPES, CHOICE_TYPES, CONTROL_CHARS, DEFAULT_CHOICE_TYPES


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


class Collector:
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
            if CONTROL_CHARS.search(text):
                self.add(f"{path}.{lang}", "contains control characters")
                text = CONTROL_CHARS.sub("", text)
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


def _score(c: Collector, value: Any, path: str) -> float:
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


def read_choices(c: Collector, raw: Any, path: str, answer_type: str) -> list[dict]:
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
        if not value or len(value) > 50 or CONTROL_CHARS.search(value):
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


def read_bands(c: Collector, raw: Any, path: str, answer_type: str) -> list[dict]:
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


def read_string_list(c: Collector, raw: Any, path: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        c.add(path, "must be a list")
        return []
    return [str(v) for v in raw]
