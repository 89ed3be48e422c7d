"""Validate a questionnaire as a whole (every error with its path) and one question as the
builder's form does; both normalise to the dict the importer stores."""

from __future__ import annotations

from typing import Any

from portal.core import rules

from .fields import (
    Collector,
    FileError,
    QuestionnaireFileError,
    read_bands,
    read_choices,
    read_string_list,
)
from .vocabulary import (
    ANSWER_TYPES,
    CODE_RE,
    EVIDENCE,
    KEY_RE,
    MAX_LONG_TEXT,
    MAX_QUESTIONS,
    MAX_TEXT,
    QUESTION_KEYS,
    REFERENCE_RE,
    REVIEWER_TYPES,
    SECTION_KEYS,
    SEVERITIES,
    SUPPLIER_TYPES,
    TOP_KEYS,
    show_if_facts,
)


def validate_questionnaire(data: Any, *, one_language_ok: bool = False) -> dict:
    """Validate a loaded file; return the normalised dict or raise with every error.

    `one_language_ok` (spreadsheet import only) accepts texts in just one of the languages.
    """
    c = Collector(one_language_ok=one_language_ok)
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


def _question(c: Collector, q: dict, qp: str, codes: set[str], known_facts: set[str]) -> dict:
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
    applies_to = read_string_list(c, q.get("applies_to"), f"{qp}.applies_to")
    for i, t in enumerate(applies_to):
        if t not in SUPPLIER_TYPES:
            c.add(
                f"{qp}.applies_to[{i}]",
                f"{t!r} is not a supplier type ({', '.join(SUPPLIER_TYPES)})",
            )
    if len(set(applies_to)) != len(applies_to):
        c.add(f"{qp}.applies_to", "lists a supplier type twice")
    references = read_string_list(c, q.get("references"), f"{qp}.references")
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
        "choices": read_choices(c, q.get("choices"), f"{qp}.choices", answer_type),
        "na_allowed": c.boolean(q.get("na_allowed"), f"{qp}.na_allowed", False),
        "weight": weight,
        "required": c.boolean(q.get("required"), f"{qp}.required", True),
        "knockout": c.boolean(q.get("knockout"), f"{qp}.knockout", False),
        "severity": c.choice(q.get("severity"), f"{qp}.severity", SEVERITIES, "medium"),
        "applies_to": applies_to,
        "show_if": show_if,
        "evidence": c.choice(q.get("evidence"), f"{qp}.evidence", EVIDENCE, "none"),
        "bands": read_bands(c, q.get("bands"), f"{qp}.bands", answer_type),
        "reviewer_scored": reviewer_scored,
        "references": references,
        "advice": c.bilingual(q.get("advice"), f"{qp}.advice", required=False, limit=MAX_LONG_TEXT),
    }


def validate_question(raw: dict, *, other_codes: set[str], all_codes: set[str]) -> dict:
    """Validate one question (the builder's form) exactly as the file importer would.

    `other_codes` are the codes already used by other questions; `all_codes` those a show_if
    may name. Error paths start with `question.` (e.g. `question.show_if.all[0].op`).
    """
    c = Collector()
    known = show_if_facts(all_codes)
    clean = _question(c, raw, "question", set(other_codes), known)
    if c.errors:
        raise QuestionnaireFileError(c.errors)
    return clean
