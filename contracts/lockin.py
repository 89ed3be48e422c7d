"""Vendor lock-in rating (DESIGN §9, DOMAIN §8c): a pure, documented function. No ORM.

`lock_in(facts)` reads one table of cases (`RULES`) with one loop: per factor the first case
that holds adds its points and its reason, so the exit note can say *why* leaving this supplier
would be hard. An unknown answer counts one point ("not known yet") — what nobody has asked
about is a risk too. `FACTORS` explains every factor in words for the exit-note page.

Levels: 0–5 low, 6–11 medium, 12 and more high.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

LOW_MAX, MEDIUM_MAX = 5, 11
UNKNOWN = 1


@dataclass(frozen=True)
class LockInReason:
    """One factor that makes leaving harder, with its points; the text is rendered in the
    active language (`text`), or in Dutch and English (`nl`, `en`) for storing both."""

    factor: str
    points: int
    message: Any  # a lazy gettext text with %(name)s placeholders
    params: Mapping[str, Any] = field(default_factory=dict)
    unknown: bool = False

    @property
    def text(self) -> str:
        params = {k: str(v) for k, v in self.params.items()}
        return str(self.message) % params if params else str(self.message)

    def _in(self, lang: str) -> str:
        with translation.override(lang):
            return self.text

    @property
    def nl(self) -> str:
        return self._in("nl")

    @property
    def en(self) -> str:
        return self._in("en")

    def as_dict(self) -> dict:
        return {"factor": self.factor, "points": self.points, "nl": self.nl, "en": self.en}


@dataclass(frozen=True)
class LockInResult:
    level: str
    score: int
    reasons: list[LockInReason] = field(default_factory=list)


def level_for(score: int) -> str:
    if score <= LOW_MAX:
        return "low"
    if score <= MEDIUM_MAX:
        return "medium"
    return "high"


# -- the factors, explained on the exit-note page ---------------------------------------------

FACTORS: dict[str, tuple[Any, Any]] = {
    "substitutability": (
        _("Substitutability"),
        _(
            "How long replacing the supplier would take, from the intake: up to 18 months "
            "counts 1 point, longer or no alternative 3."
        ),
    ),
    "export": (
        _("Complete export"),
        _(
            "Whether all data can be exported, self-service or through an API (question "
            "EXIT-01): no complete export 5 points, a partial one 3, only on request 1."
        ),
    ),
    "formats": (
        _("Open formats"),
        _(
            "Whether the export uses open standards (question EXIT-02): only a proprietary "
            "format 3 points; for an EPD, no HL7 FHIR or zibs 2."
        ),
    ),
    "dictionary": (
        _("Data dictionary"),
        _(
            "Whether the data model is documented, so a successor can read the export "
            "(question EXIT-03): not documented 2 points, partly 1."
        ),
    ),
    "transition": (
        _("Transition assistance"),
        _(
            "How many months the supplier keeps helping after notice (question EXIT-04): "
            "fewer than 6 months (1 for a cloud service) counts 2 points."
        ),
    ),
    "escrow": (
        _("Escrow"),
        _(
            "Whether source code and data are held in escrow in case the supplier goes "
            "bankrupt (question EXIT-06): none 2 points, partial 1."
        ),
    ),
    "exit_clause": (
        _("Exit-assistance clause"),
        _(
            "Whether the contract contains exit assistance with a transition period (clause "
            "EXIT-ASSIST on the checklist): missing or still negotiating 3 points."
        ),
    ),
    "term": (
        _("Remaining contract term"),
        _("A contract that runs for more than another 36 months counts 1 point."),
    ),
    "notice": (
        _("Notice period"),
        _("A notice period of more than 6 months counts 1 point."),
    ),
    "volume": (
        _("Data volume"),
        _(
            "How many patients or clients the data covers, from the intake: 1,000 to 100,000 "
            "counts 1 point, more than 100,000 2."
        ),
    ),
    "jurisdiction": (
        _("Non-European jurisdiction"),
        _(
            "Whether the supplier, its parent or a fourth party falls under non-European law "
            "(question LOC-04 and the sub-processor list): yes 2 points, partly 1."
        ),
    ),
    "copy": (
        _("Independent copy of the data"),
        _(
            "Whether you keep your own copy of the data if the supplier fails abruptly "
            "(question BCK-05): no 2 points, partly 1."
        ),
    ),
    "logs": (
        _("Log export (NEN 7513)"),
        _(
            "Whether the access logs can be exported so log continuity survives the exit "
            "(question LOG-03): no 2 points, partly 1."
        ),
    ),
    "legacy": (
        _("Legacy access (WGBO)"),
        _(
            "For an EPD: whether old records stay accessible for the WGBO retention period "
            "after the exit (question NL-02): no 3 points."
        ),
    ),
    "exit_costs": (
        _("Exit costs"),
        _(
            "For a cloud service: whether the exit costs are fixed in advance (question "
            "EXIT-05, Data Act art. 29): no 1 point."
        ),
    ),
}

# -- the cases: (factor, fact, holds(value, kinds), points, reason) ---------------------------
# Per factor the first case that holds counts. `kinds` is the set of supplier types. A reason
# with %(value)s gets the fact's value (a number, shown without a trailing .0).


def _is(*values) -> Callable[[Any, set], bool]:
    return lambda value, kinds: value in values


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _formats(value) -> set[str]:
    return {str(f) for f in (value if isinstance(value, list) else [value])}


def _only_proprietary(value, kinds) -> bool:
    formats = _formats(value)
    return value is not None and bool(formats) and formats <= {"proprietary"}


def _epd_without_fhir(value, kinds) -> bool:
    return value is not None and "epd" in kinds and not _formats(value) & {"fhir", "zib"}


def _short_transition(value, kinds) -> bool:
    return _number(value) and value < (1 if "cloud" in kinds and "epd" not in kinds else 6)


UNKNOWN_REASON = _("Not known: %(what)s (question %(code)s unanswered) — ask the supplier.")

RULES: tuple[tuple[str, str, Callable[[Any, set], bool], int, Any], ...] = (
    ("substitutability", "intake.substitutability", _is(3), 3, _("Few or no alternatives.")),
    (
        "substitutability",
        "intake.substitutability",
        _is(2),
        1,
        _("Replacing takes up to 18 months."),
    ),
    (
        "export",
        "answer.EXIT-01",
        _is(None),
        UNKNOWN,
        ("EXIT-01", _("whether all data can be exported")),
    ),
    (
        "export",
        "answer.EXIT-01",
        _is("no"),
        5,
        _("No complete export: the exit depends on the supplier's cooperation."),
    ),
    ("export", "answer.EXIT-01", _is("partial"), 3, _("Only a partial export.")),
    (
        "export",
        "answer.EXIT-01",
        _is("on_request"),
        1,
        _("Export only on request, not self-service or through an API."),
    ),
    ("formats", "answer.EXIT-02", _is(None), UNKNOWN, ("EXIT-02", _("the export formats"))),
    (
        "formats",
        "answer.EXIT-02",
        _only_proprietary,
        3,
        _("Only a proprietary export format: migration is costly."),
    ),
    (
        "formats",
        "answer.EXIT-02",
        _epd_without_fhir,
        2,
        _("No export in HL7 FHIR or zibs for an EPD."),
    ),
    ("dictionary", "answer.EXIT-03", _is("no"), 2, _("The data model is undocumented.")),
    ("dictionary", "answer.EXIT-03", _is("partial"), 1, _("The data model is partly documented.")),
    (
        "transition",
        "answer.EXIT-04",
        _short_transition,
        2,
        _("Transition assistance of %(value)s months is too short."),
    ),
    (
        "transition",
        "answer.EXIT-04",
        _is(None),
        UNKNOWN,
        ("EXIT-04", _("how long transition assistance lasts")),
    ),
    ("escrow", "answer.EXIT-06", _is("no"), 2, _("No escrow: insolvency would strand the system.")),
    ("escrow", "answer.EXIT-06", _is("partial"), 1, _("Escrow covers only part.")),
    (
        "exit_clause",
        "checklist.EXIT-ASSIST",
        _is(None, "missing", "negotiating"),
        3,
        _("The contract has no exit assistance with a transition period (yet)."),
    ),
    (
        "term",
        "contract.months_left",
        lambda value, kinds: _number(value) and value > 36,
        1,
        _("The contract runs for another %(value)s months."),
    ),
    (
        "notice",
        "contract.notice_months",
        lambda value, kinds: _number(value) and value > 6,
        1,
        _("Notice period of %(value)s months."),
    ),
    ("volume", "intake.volume", _is(3), 2, _("Data on more than 100,000 patients or clients.")),
    ("volume", "intake.volume", _is(2), 1, _("Data on 1,000 to 100,000 patients or clients.")),
    (
        "jurisdiction",
        "answer.LOC-04",
        _is("yes"),
        2,
        _("The parent or a sub-processor is subject to non-European law."),
    ),
    (
        "jurisdiction",
        "answer.LOC-04",
        _is("partial"),
        1,
        _("Part of the chain is subject to non-European law."),
    ),
    (
        "jurisdiction",
        "fourth_party.non_eu_parent",
        lambda value, kinds: bool(value),
        1,
        _("Part of the chain is subject to non-European law."),
    ),
    (
        "copy",
        "answer.BCK-05",
        _is("no"),
        2,
        _("No independent copy of the data if the supplier fails abruptly."),
    ),
    (
        "copy",
        "answer.BCK-05",
        _is("partial"),
        1,
        _("Only a partial independent copy of the data."),
    ),
    (
        "logs",
        "answer.LOG-03",
        _is("no"),
        2,
        _("NEN 7513 logs cannot be exported: log continuity at risk."),
    ),
    ("logs", "answer.LOG-03", _is("partial"), 1, _("NEN 7513 logs can partly be exported.")),
    (
        "legacy",
        "answer.NL-02",
        lambda value, kinds: "epd" in kinds and value == "no",
        3,
        _("After the exit the WGBO retention period cannot be met."),
    ),
    (
        "exit_costs",
        "answer.EXIT-05",
        lambda value, kinds: "cloud" in kinds and value == "no",
        1,
        _("Exit costs are not fixed in advance (Data Act art. 29)."),
    ),
)


def _reason(factor: str, points: int, reason, value) -> LockInReason:
    if isinstance(reason, tuple):  # an unanswered question: (code, what is not known)
        code, what = reason
        return LockInReason(
            factor, points, UNKNOWN_REASON, {"what": what, "code": code}, unknown=True
        )
    params = {"value": f"{value:g}"} if _number(value) else {}
    return LockInReason(factor, points, reason, params)


def lock_in(facts: Mapping[str, Any]) -> LockInResult:
    """`facts`: intake.* and supplier.types, answer.<code> values, and
    `checklist.EXIT-ASSIST` (status or None), `contract.months_left`, `contract.notice_months`,
    `fourth_party.non_eu_parent` (bool)."""
    raw_types = facts.get("supplier.types") or []
    kinds = set(raw_types) if isinstance(raw_types, list | tuple | set) else {raw_types}
    reasons: dict[str, LockInReason] = {}
    for factor, fact, holds, points, reason in RULES:
        value = facts.get(fact)
        if factor not in reasons and holds(value, kinds):
            reasons[factor] = _reason(factor, points, reason, value)
    ordered = sorted(reasons.values(), key=lambda r: (-r.points, r.factor))
    score = sum(r.points for r in ordered)
    return LockInResult(level_for(score), score, ordered)
