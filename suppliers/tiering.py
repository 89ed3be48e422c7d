"""Inherent tier from the intake (DESIGN §6.1–6.2). Pure Python: no ORM, no Django.

`inherent_tier(intake)` returns the sum S, the tier and the reasons — every rule that gave the
tier, in words — so the tier is explainable on screen, in the API and in the PDF. A care
organisation may tune the thresholds (its risk appetite); tests use the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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

# The descriptive levels offered in the intake form (DESIGN §6.1), Dutch and English.
LEVELS: dict[str, list[tuple[str, str]]] = {
    "data": [
        ("Geen of openbare gegevens", "None or public"),
        ("Interne bedrijfsgegevens", "Internal business data"),
        ("Persoonsgegevens, niet medisch", "Personal data, not medical"),
        (
            "Gezondheidsgegevens of bijzondere persoonsgegevens (ook BSN met zorggegevens)",
            "Health data or special categories (including BSN with care data)",
        ),
    ],
    "volume": [
        ("Geen patiënten of cliënten", "No patients or clients"),
        ("Minder dan 1.000", "Fewer than 1,000"),
        ("1.000 tot 100.000", "1,000 to 100,000"),
        ("Meer dan 100.000", "More than 100,000"),
    ],
    "continuity": [
        ("Geen gevolgen", "No impact"),
        ("Ongemak", "Inconvenience"),
        ("Zorgprocessen verslechterd of vertraagd", "Care processes degraded or delayed"),
        ("Patiëntveiligheid in gevaar of de zorg stopt", "Patient safety at risk or care stops"),
    ],
    "access": [
        ("Geen toegang", "No access"),
        (
            "Toegang op gebruikersniveau op afstand of een gegevenskoppeling",
            "User-level remote access or a data interface",
        ),
        (
            "Beheertoegang tot niet-klinische systemen, of apparatuur op locatie",
            "Admin access to non-clinical systems, or on-site hardware",
        ),
        (
            "Bevoorrechte toegang tot klinische systemen of het netwerk",
            "Privileged access to clinical systems or the network",
        ),
    ],
    "substitutability": [
        ("Binnen 1 maand te vervangen", "Replaceable within 1 month"),
        ("Binnen 6 maanden", "Within 6 months"),
        ("Binnen 18 maanden", "Within 18 months"),
        ("Langer, of geen alternatief", "Longer, or no alternative"),
    ],
}
FACTOR_NAMES = {
    "data": ("Gevoeligheid van de gegevens", "Data sensitivity"),
    "volume": (
        "Aantal patiënten of cliënten van wie de leverancier gegevens kan inzien",
        "Number of patients or clients whose data the supplier can reach",
    ),
    "continuity": ("Gevolgen van 24 uur uitval", "Impact of a 24-hour outage"),
    "access": ("Toegang tot ons netwerk of onze systemen", "Access to our network or systems"),
    "substitutability": (
        "Vervangbaarheid (tijd om te vervangen)",
        "Substitutability (time to replace)",
    ),
}


@dataclass(frozen=True)
class Reason:
    tier: str
    rule: str
    nl: str
    en: str

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
    """The five factors as integers 0–3, or IntakeError naming what is wrong."""
    clean: dict[str, int] = {}
    problems = []
    for factor in FACTORS:
        value = intake.get(factor)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
            problems.append(f"{factor} must be a whole number from 0 to 3")
        else:
            clean[factor] = value
    unknown = set(intake) - set(FACTORS)
    if unknown:
        problems.append(f"unknown factor(s): {', '.join(sorted(unknown))}")
    if problems:
        raise IntakeError("; ".join(problems))
    return clean


def _lc(text: str) -> str:
    """Lower-case only the first letter, so abbreviations such as BSN survive."""
    return text[:1].lower() + text[1:]


def _fired(tier: str, rules: Mapping, intake: Mapping[str, int], total: int) -> list[Reason]:
    reasons = []
    if total >= rules["sum_gte"]:
        reasons.append(
            Reason(
                tier,
                f"S>={rules['sum_gte']}",
                f"De som van de vijf factoren is {total} (drempel {rules['sum_gte']}).",
                f"The sum of the five factors is {total} (threshold {rules['sum_gte']}).",
            )
        )
    for factor, level in rules.get("any_equal", {}).items():
        if intake[factor] == level:
            nl, en = FACTOR_NAMES[factor]
            lnl, len_ = LEVELS[factor][level]
            reasons.append(
                Reason(tier, f"{factor}={level}", f"{nl}: {_lc(lnl)}.", f"{en}: {_lc(len_)}.")
            )
    for combo in rules.get("all_equal", []):
        if all(intake[f] == v for f, v in combo.items()):
            rule = " and ".join(f"{f}={v}" for f, v in combo.items())
            nl = " en ".join(
                f"{_lc(FACTOR_NAMES[f][0])}: {_lc(LEVELS[f][v][0])}" for f, v in combo.items()
            )
            en = " and ".join(
                f"{_lc(FACTOR_NAMES[f][1])}: {_lc(LEVELS[f][v][1])}" for f, v in combo.items()
            )
            reasons.append(
                Reason(tier, rule, nl[0].upper() + nl[1:] + ".", en[0].upper() + en[1:] + ".")
            )
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
    return TierResult(
        total,
        "low",
        [
            Reason(
                "low",
                "otherwise",
                f"De som van de vijf factoren is {total}; geen regel geeft een hogere klasse.",
                f"The sum of the five factors is {total}; no rule for a higher tier applies.",
            )
        ],
    )


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
