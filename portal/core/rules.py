"""The rules engine: one declarative condition language for every condition (DESIGN §8).

Questions' `show_if`, clause triggers, exit-note triggers and template proposals all use it.
A rule is JSON-serialisable and never `eval`-ed:

    {"all": [...]} · {"any": [...]} · {"not": {...}}
    {"fact": "intake.data", "op": "gte", "value": 3}

Pure Python, no ORM (the words of `describe` go through gettext): `validate` returns every
error with the path to the offending node, `evaluate` decides a validated rule against a dict
of facts and never raises on one.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import pgettext_lazy

OPS: frozenset[str] = frozenset(
    {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "answered"}
)
COMBINATORS = ("all", "any", "not")
MAX_DEPTH = 32
MAX_NODES = 1000

INTAKE_FACTORS = ("data", "volume", "continuity", "access", "substitutability")
BASE_FACTS: frozenset[str] = frozenset(
    {f"intake.{f}" for f in INTAKE_FACTORS}
    | {
        "intake.score",
        "supplier.types",
        "relationship.tier",
        "relationship.residual_risk",
        "relationship.status",
        "relationship.control_band",
    }
)

_TRUE_WORDS = {"yes", "true", "on"}
_FALSE_WORDS = {"no", "false", "off"}
_OP_SYMBOLS = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}


def answer_fact(code: str) -> str:
    """The fact name under which the answer to question `code` is known."""
    return f"answer.{code}"


@dataclass(frozen=True)
class RuleError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class RuleValidationError(ValueError):
    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _join(path: str, part: str) -> str:
    if part.startswith("["):
        return f"{path}{part}"
    return f"{path}.{part}" if path else part


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and value is not None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Validator:
    def __init__(self, known: Collection[str] | Callable[[str], bool]):
        self.is_known = known if callable(known) else (lambda f, k=frozenset(known): f in k)
        self.known = None if callable(known) else sorted(known)
        self.errors: list[RuleError] = []
        self.nodes = 0

    def add(self, path: str, message: str) -> None:
        self.errors.append(RuleError(path, message))

    def node(self, rule: Any, path: str, depth: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self.add(path, f"the rule is too large (more than {MAX_NODES} parts)")
            return
        if depth > MAX_DEPTH:
            self.add(path, f"the rule is nested too deeply (more than {MAX_DEPTH} levels)")
            return
        if not isinstance(rule, dict):
            self.add(path, "must be a mapping: all, any, not, or a condition with fact and op")
            return
        combinators = [k for k in COMBINATORS if k in rule]
        if combinators:
            if len(rule) != 1:
                extra = sorted(str(k) for k in rule if k != combinators[0])
                self.add(
                    _join(path, extra[0]) if extra else path,
                    f"'{combinators[0]}' must stand alone in its mapping",
                )
                return
            key = combinators[0]
            child = rule[key]
            if key == "not":
                self.node(child, _join(path, "not"), depth + 1)
                return
            if not isinstance(child, list):
                self.add(_join(path, key), "must be a list of rules")
                return
            for i, item in enumerate(child):
                self.node(item, _join(_join(path, key), f"[{i}]"), depth + 1)
            return
        self.condition(rule, path)

    def condition(self, rule: dict, path: str) -> None:
        for key in rule:
            if key not in ("fact", "op", "value"):
                self.add(_join(path, str(key)), "unknown key; a condition has fact, op and value")
        fact = rule.get("fact")
        if not isinstance(fact, str) or not fact:
            self.add(_join(path, "fact"), "is required (a fact name such as intake.data)")
        elif not self.is_known(fact):
            hint = ""
            if self.known:
                close = difflib.get_close_matches(fact, self.known, n=3)
                if close:
                    hint = f"; did you mean {', '.join(close)}?"
            self.add(_join(path, "fact"), f"unknown fact {fact!r}{hint}")
        op = rule.get("op")
        if not isinstance(op, str) or op not in OPS:
            self.add(
                _join(path, "op"),
                f"unknown operator {op!r}; use one of {', '.join(sorted(OPS))}",
            )
            return
        vpath = _join(path, "value")
        if op == "answered":
            value = rule.get("value", True)
            if not isinstance(value, bool) and str(value).lower() not in _TRUE_WORDS | _FALSE_WORDS:
                self.add(vpath, "answered takes true or false")
            return
        if "value" not in rule:
            self.add(vpath, f"'{op}' needs a value")
            return
        value = rule["value"]
        if op in ("eq", "ne", "contains"):
            if not _is_scalar(value):
                self.add(vpath, f"'{op}' takes a single value (text or number)")
        elif op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                self.add(vpath, f"'{op}' takes a non-empty list of values")
            else:
                for i, item in enumerate(value):
                    if not _is_scalar(item):
                        self.add(_join(vpath, f"[{i}]"), "must be a single value (text or number)")
        elif not _is_number(value):
            self.add(vpath, f"'{op}' takes a number")


def validate(
    rule: Any, known_facts: Collection[str] | Callable[[str], bool], path: str = ""
) -> list[RuleError]:
    """Every problem in `rule`, each with the path to its node; an empty list when valid."""
    validator = _Validator(known_facts)
    validator.node(rule, path, 0)
    return validator.errors


def validate_or_raise(
    rule: Any, known_facts: Collection[str] | Callable[[str], bool], path: str = ""
) -> None:
    errors = validate(rule, known_facts, path)
    if errors:
        raise RuleValidationError(errors)


def _yesno(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _same(fact_value: Any, rule_value: Any) -> bool:
    if isinstance(rule_value, bool) and isinstance(fact_value, str):
        rule_value = _yesno(rule_value)
    # Python compares int and float exactly (no float() that overflows on huge integers).
    return fact_value == rule_value


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _condition(rule: Mapping, facts: Mapping[str, Any]) -> bool:
    op = rule["op"]
    value = facts.get(rule["fact"])
    expected = rule.get("value", True)
    if op == "answered":
        wanted = expected if isinstance(expected, bool) else str(expected).lower() in _TRUE_WORDS
        return (not _missing(value)) == wanted
    if op == "ne":
        return _missing(value) or not _same(value, expected)
    if op == "not_in":
        return _missing(value) or not any(_same(value, item) for item in expected)
    if _missing(value):
        return False
    if op == "eq":
        return _same(value, expected)
    if op == "in":
        return any(_same(value, item) for item in expected)
    if op == "contains":
        if isinstance(value, list | tuple | set | frozenset):
            return any(_same(item, expected) for item in value)
        if isinstance(value, str):
            return str(_yesno(expected)) in value
        return False
    if not (_is_number(value) and _is_number(expected)):
        return False
    if op == "gt":
        return value > expected
    if op == "gte":
        return value >= expected
    if op == "lt":
        return value < expected
    return value <= expected  # lte


def _evaluate(rule: Any, facts: Mapping[str, Any]) -> bool:
    if "all" in rule:
        return all(_evaluate(r, facts) for r in rule["all"])
    if "any" in rule:
        return any(_evaluate(r, facts) for r in rule["any"])
    if "not" in rule:
        return not _evaluate(rule["not"], facts)
    return _condition(rule, facts)


def evaluate(rule: Any, facts: Mapping[str, Any]) -> bool:
    """Decide `rule` against `facts`. A missing fact makes eq/in/comparisons false, ne true."""
    errors = validate(rule, lambda _fact: True)
    if errors:
        raise RuleValidationError(errors)
    return _evaluate(rule, facts)


def evaluate_trusted(rule: Any, facts: Mapping[str, Any]) -> bool:
    """`evaluate` without re-validating: for rules validated when they were stored (hot paths)."""
    return _evaluate(rule, facts)


def normalise(rule: Any) -> Any:
    """A copy in which YAML booleans in values (outside `answered`) become "yes"/"no"."""
    if isinstance(rule, dict):
        if "all" in rule or "any" in rule:
            key = "all" if "all" in rule else "any"
            return {key: [normalise(r) for r in rule[key]]}
        if "not" in rule:
            return {"not": normalise(rule["not"])}
        out = dict(rule)
        if "value" in out and out.get("op") != "answered":
            v = out["value"]
            out["value"] = [_yesno(x) for x in v] if isinstance(v, list) else _yesno(v)
        return out
    return rule


def facts_used(rule: Any) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        for key in ("all", "any"):
            if isinstance(node.get(key), list):
                for child in node[key]:
                    walk(child)
        if "not" in node:
            walk(node["not"])
        if isinstance(node.get("fact"), str):
            found.add(node["fact"])

    walk(rule)
    return found


# Words of a rule explained in a sentence (describe), translated with gettext.
_WORDS = {
    "all": pgettext_lazy("rule", "all of"),
    "any": pgettext_lazy("rule", "any of"),
    "not": pgettext_lazy("rule", "not"),
    "in": pgettext_lazy("rule", "is one of"),
    "not_in": pgettext_lazy("rule", "is none of"),
    "contains": pgettext_lazy("rule", "contains"),
    "answered": pgettext_lazy("rule", "is answered"),
    "unanswered": pgettext_lazy("rule", "is not answered"),
    "and": pgettext_lazy("rule", "and"),
    "or": pgettext_lazy("rule", "or"),
}


def describe(rule: Any, lang: str = "nl") -> str:
    """A short human-readable sentence of the rule, to explain why something was triggered."""
    with translation.override("en" if lang == "en" else "nl"):
        return _describe(rule)


def _describe(rule: Any) -> str:
    w = {key: str(word) for key, word in _WORDS.items()}
    if not isinstance(rule, dict):
        return str(rule)
    if "all" in rule:
        return "(" + f" {w['and']} ".join(_describe(r) for r in rule["all"]) + ")"
    if "any" in rule:
        return "(" + f" {w['or']} ".join(_describe(r) for r in rule["any"]) + ")"
    if "not" in rule:
        return f"{w['not']} {_describe(rule['not'])}"
    fact, op, value = rule.get("fact"), rule.get("op"), rule.get("value")
    if op == "answered":
        wanted = (
            value
            if isinstance(value, bool)
            else str(value if value is not None else "yes").lower() in _TRUE_WORDS
        )
        return f"{fact} {w['answered'] if wanted else w['unanswered']}"
    if op in _OP_SYMBOLS:
        return f"{fact} {_OP_SYMBOLS[op]} {_yesno(value)}"
    if isinstance(value, list):
        value = ", ".join(str(_yesno(v)) for v in value)
    return f"{fact} {w.get(op, op)} {_yesno(value)}"


def satisfied(rule: Any, facts: Mapping[str, Any]) -> list[dict]:
    """The leaf conditions that make a (validated) rule true, to say *why* it fired.

    `all` gives the leaves of every child, `any` those of the children that hold, `not` itself;
    an empty list when the rule does not hold.
    """
    if not _evaluate(rule, facts):
        return []
    if "all" in rule:
        return [leaf for r in rule["all"] for leaf in satisfied(r, facts)]
    if "any" in rule:
        return [leaf for r in rule["any"] for leaf in satisfied(r, facts)]
    return [rule]
