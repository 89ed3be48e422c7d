"""Inherent tier from the intake (DESIGN §6.1–6.2). Pure Python: no ORM (texts via gettext).

`inherent_tier(intake)` returns the sum S, the tier and the reasons — every rule that gave the
tier, in words — so the tier is explainable on screen, in the API and in the PDF. A care
organisation may tune the thresholds (its risk appetite); tests use the defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from django.utils import translation
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.rules import INTAKE_FACTORS as FACTORS  # the five factors, defined once

TIERS = ("low", "medium", "high", "critical")  # ascending

DEFAULT_TIER_RULES: dict = {
    "critical": {
        "sum_gte": 11,
        "any_equal": {"continuity": 3},
        "all_equal": [{"data": 3, "volume": 3}],
    },
    "high": {"sum_gte": 7, "any_equal": {"data": 3, "access": 3}, "all_equal": []},
    "medium": {"sum_gte": 4, "any_equal": {}, "all_equal": []},
}

# The descriptive levels offered in the intake form (DESIGN §6.1), per factor level 0–3.
LEVELS: dict[str, list] = {
    "data": [
        _("None or public"),
        _("Internal business data"),
        _("Personal data, not medical"),
        _("Health data or special categories (including BSN with care data)"),
    ],
    "volume": [
        _("No patients or clients"),
        _("Fewer than 1,000"),
        _("1,000 to 100,000"),
        _("More than 100,000"),
    ],
    "continuity": [
        _("No impact"),
        _("Inconvenience"),
        _("Care processes degraded or delayed"),
        _("Patient safety at risk or care stops"),
    ],
    "access": [
        _("No access"),
        _("User-level remote access or a data interface"),
        _("Admin access to non-clinical systems, or on-site hardware"),
        _("Privileged access to clinical systems or the network"),
    ],
    "substitutability": [
        _("Replaceable within 1 month"),
        _("Within 6 months"),
        _("Within 18 months"),
        _("Longer, or no alternative"),
    ],
}
FACTOR_NAMES = {
    "data": _("Data sensitivity"),
    "volume": _("Number of patients or clients whose data the supplier can reach"),
    "continuity": _("Impact of a 24-hour outage"),
    "access": _("Access to our network or systems"),
    "substitutability": _("Substitutability (time to replace)"),
}


@dataclass(frozen=True)
class Reason:
    """A rule that gave the tier; `render` writes it in the active language, `as_dict` in both
    (stored with the relationship's risk)."""

    tier: str
    rule: str
    render: Callable[[], str]

    @property
    def text(self) -> str:
        return self.render()

    def _in(self, lang: str) -> str:
        with translation.override(lang):
            return self.render()

    @property
    def nl(self) -> str:
        return self._in("nl")

    @property
    def en(self) -> str:
        return self._in("en")

    def as_dict(self) -> dict:
        return {"tier": self.tier, "rule": self.rule, "nl": self.nl, "en": self.en}


@dataclass(frozen=True)
class TierResult:
    score: int
    tier: str
    reasons: list[Reason] = field(default_factory=list)


class IntakeError(ValueError):
    pass


def check_intake(intake: Mapping[str, object]) -> dict[str, int]:
    """The five factors as integers 0–3, or IntakeError naming what is wrong (in the active
    language)."""
    clean: dict[str, int] = {}
    problems = []
    for factor in FACTORS:
        value = intake.get(factor)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
            problems.append(
                gettext("%(factor)s must be a whole number from 0 to 3") % {"factor": factor}
            )
        else:
            clean[factor] = value
    unknown = set(intake) - set(FACTORS)
    if unknown:
        problems.append(
            gettext("unknown factor(s): %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    if problems:
        raise IntakeError("; ".join(problems))
    return clean


def _lc(text) -> str:
    """Lower-case only the first letter, so abbreviations such as BSN survive."""
    text = str(text)
    return text[:1].lower() + text[1:]


def _sum_reason(total: int, threshold: int) -> str:
    return gettext("The sum of the five factors is %(total)s (threshold %(threshold)s).") % {
        "total": total,
        "threshold": threshold,
    }


def _factor_reason(factor: str, level: int) -> str:
    return f"{FACTOR_NAMES[factor]}: {_lc(LEVELS[factor][level])}."


def _combo_reason(combo: Mapping[str, int]) -> str:
    conjunction = pgettext("joining conditions", "and")
    joined = f" {conjunction} ".join(
        f"{_lc(FACTOR_NAMES[f])}: {_lc(LEVELS[f][v])}" for f, v in combo.items()
    )
    return joined[0].upper() + joined[1:] + "."


def _low_reason(total: int) -> str:
    return gettext(
        "The sum of the five factors is %(total)s; no rule for a higher tier applies."
    ) % {"total": total}


FACTOR_SHORT = {
    "data": pgettext_lazy("intake factor, short", "data"),
    "volume": pgettext_lazy("intake factor, short", "volume"),
    "continuity": pgettext_lazy("intake factor, short", "continuity"),
    "access": pgettext_lazy("intake factor, short", "access"),
    "substitutability": pgettext_lazy("intake factor, short", "substitutability"),
}


def rule_words(rule: str) -> str:
    """A stored tier rule ("S>=11", "continuity=3", "data=3 and volume=3", "otherwise") in
    words of the active language: "score 11 or higher", "data and volume both 3"."""
    if rule == "otherwise":
        return gettext("no rule for a higher tier")
    if rule.startswith("S>="):
        return gettext("score %(threshold)s or higher") % {"threshold": rule[3:]}
    conditions = []
    for part in rule.split(" and "):
        factor, _sep, level = part.partition("=")
        if factor not in FACTOR_SHORT or not level.isdecimal():
            return rule  # not a rule this module writes; show it as stored
        conditions.append((str(FACTOR_SHORT[factor]), level))
    conjunction = pgettext("joining conditions", "and")
    levels = {level for _name, level in conditions}
    if len(conditions) > 1 and len(levels) == 1:
        names = f" {conjunction} ".join(name for name, _level in conditions)
        both = gettext("%(factors)s both %(level)s") if len(conditions) == 2 else None
        text = both or gettext("%(factors)s all %(level)s")
        return text % {"factors": names, "level": levels.pop()}
    return f" {conjunction} ".join(f"{name} {level}" for name, level in conditions)


def _fired(tier: str, rules: Mapping, intake: Mapping[str, int], total: int) -> list[Reason]:
    reasons = []
    if total >= rules["sum_gte"]:
        reasons.append(
            Reason(tier, f"S>={rules['sum_gte']}", partial(_sum_reason, total, rules["sum_gte"]))
        )
    for factor, level in rules.get("any_equal", {}).items():
        if intake[factor] == level:
            reasons.append(
                Reason(tier, f"{factor}={level}", partial(_factor_reason, factor, level))
            )
    for combo in rules.get("all_equal", []):
        if all(intake[f] == v for f, v in combo.items()):
            rule = " and ".join(f"{f}={v}" for f, v in combo.items())
            reasons.append(Reason(tier, rule, partial(_combo_reason, dict(combo))))
    return reasons


def inherent_tier(intake: Mapping[str, object], tier_rules: Mapping | None = None) -> TierResult:
    """S = the sum of the factors; the tier is the highest that any rule gives (DESIGN §6.2)."""
    clean = check_intake(intake)
    rules = tier_rules or DEFAULT_TIER_RULES
    total = sum(clean.values())
    for tier in ("critical", "high", "medium"):
        reasons = _fired(tier, rules[tier], clean, total)
        if reasons:
            return TierResult(total, tier, reasons)
    return TierResult(total, "low", [Reason("low", "otherwise", partial(_low_reason, total))])


TIER_ORDER = ("low", "medium", "high", "critical")
KNOCKOUT_FLOOR = "high"
DEFAULT_MATRIX = {
    "critical": {"strong": "medium", "adequate": "high", "weak": "critical", "poor": "critical"},
    "high": {"strong": "low", "adequate": "medium", "weak": "high", "poor": "critical"},
    "medium": {"strong": "low", "adequate": "low", "weak": "medium", "poor": "high"},
    "low": {"strong": "low", "adequate": "low", "weak": "low", "poor": "medium"},
}


def residual_risk(tier: str, band: str | None, knockouts, matrix: Mapping | None = None) -> str:
    """DESIGN §6.5: the tier × band cell, raised to at least high by any failed knock-out.

    Without a band (no completed assessment, or nothing counted) the residual equals the tier.
    """
    residual = tier if band is None else (matrix or DEFAULT_MATRIX)[tier][band]
    if list(knockouts) and TIER_ORDER.index(residual) < TIER_ORDER.index(KNOCKOUT_FLOOR):
        residual = KNOCKOUT_FLOOR
    return residual


DEFAULT_BAND_THRESHOLDS = {"strong": 85.0, "adequate": 70.0, "weak": 50.0}


def band_for(score: float | None, thresholds: Mapping[str, float] | None = None) -> str | None:
    """DESIGN §6.4: strong ≥ 85, adequate ≥ 70, weak ≥ 50, poor below; no score, no band."""
    if score is None:
        return None
    t = thresholds or DEFAULT_BAND_THRESHOLDS
    if score >= t["strong"]:
        return "strong"
    if score >= t["adequate"]:
        return "adequate"
    if score >= t["weak"]:
        return "weak"
    return "poor"
