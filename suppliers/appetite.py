"""A care organisation's risk appetite (DESIGN §6): pure Python, no ORM.

The appetite holds every tunable number of the risk model — tier thresholds, control-score
bands, the tier × band matrix, the reassessment cadence and the finding deadlines. Stored on
`Organisation.settings["risk_appetite"]`; anything missing falls back to the DESIGN §6 default,
so an organisation that never touched it scores exactly as the design says.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from .tiering import (
    DEFAULT_BAND_THRESHOLDS,
    DEFAULT_MATRIX,
    DEFAULT_TIER_RULES,
    FACTORS,
    TIER_ORDER,
)

BAND_ORDER = ("strong", "adequate", "weak", "poor")
SEVERITIES = ("critical", "high", "medium", "low")

DEFAULT_APPETITE: dict = {
    "tier_rules": DEFAULT_TIER_RULES,
    "band_thresholds": DEFAULT_BAND_THRESHOLDS,
    "matrix": DEFAULT_MATRIX,
    "cadence_months": {"critical": 12, "high": 12, "medium": 24, "low": 36},
    "finding_deadlines": {"critical": 30, "high": 90, "medium": 180, "low": 365},
}


class AppetiteError(ValueError):
    """Every problem in a proposed appetite, each with its path."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def effective(stored: Mapping | None) -> dict:
    """The stored appetite completed with the defaults (a fresh, mutable copy)."""
    result = copy.deepcopy(DEFAULT_APPETITE)
    for key, value in (stored or {}).items():
        if key not in result or not isinstance(value, Mapping):
            continue  # `validate` reports it
        if key in ("tier_rules", "matrix"):
            for sub, subvalue in value.items():
                if sub in result[key] and isinstance(subvalue, Mapping):
                    result[key][sub] = {**result[key][sub], **subvalue}
        else:
            result[key].update(value)
    return result


def _number(problems, path, value, low, high, *, integer=True):
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and integer:
        ok = float(value).is_integer()
    if not ok or not low <= value <= high:
        kind = "a whole number" if integer else "a number"
        problems.append(f"{path}: must be {kind} from {low} to {high}")
        return None
    return int(value) if integer else float(value)


def _as_list(problems, path, value) -> list:
    if not isinstance(value, list):
        problems.append(f"{path}.all_equal: must be a list")
        return []
    return value


def _levels(problems, path, value) -> dict:
    """A mapping of intake factor → level 0–3 (a tier rule's condition)."""
    if not isinstance(value, Mapping):
        problems.append(f"{path}: must be a mapping of intake factor to level")
        return {}
    clean = {}
    for factor, level in value.items():
        if factor not in FACTORS:
            problems.append(f"{path}.{factor}: unknown intake factor")
        elif (checked := _number(problems, f"{path}.{factor}", level, 0, 3)) is not None:
            clean[factor] = checked
    return clean


def validate(data: Mapping) -> dict:
    """A complete, checked appetite, or AppetiteError listing every problem at once."""
    if not isinstance(data, Mapping):
        raise AppetiteError(["risk appetite: must be a mapping"])
    unknown = set(data) - set(DEFAULT_APPETITE)
    problems = [f"{k}: unknown setting" for k in sorted(unknown)]
    for key, value in data.items():
        if key in DEFAULT_APPETITE and not isinstance(value, Mapping):
            problems.append(f"{key}: must be a mapping")
        elif key in ("tier_rules", "matrix"):
            for sub, subvalue in value.items():
                if sub not in DEFAULT_APPETITE[key]:
                    problems.append(f"{key}.{sub}: unknown tier")
                elif not isinstance(subvalue, Mapping):
                    problems.append(f"{key}.{sub}: must be a mapping")
    full = effective({k: v for k, v in data.items() if k in DEFAULT_APPETITE})
    clean: dict = {}

    sums = {}
    for tier in ("critical", "high", "medium"):
        rule = full["tier_rules"][tier]
        sums[tier] = _number(problems, f"tier_rules.{tier}.sum_gte", rule.get("sum_gte"), 1, 15)
    if None not in sums.values() and not sums["critical"] > sums["high"] > sums["medium"]:
        problems.append("tier_rules: the sum thresholds must fall from critical to high to medium")
    clean["tier_rules"] = {}
    for tier in ("critical", "high", "medium"):
        rule = full["tier_rules"][tier]
        path = f"tier_rules.{tier}"
        clean["tier_rules"][tier] = {
            "sum_gte": sums[tier],
            "any_equal": _levels(problems, f"{path}.any_equal", rule.get("any_equal", {})),
            "all_equal": [
                _levels(problems, f"{path}.all_equal[{i}]", combo)
                for i, combo in enumerate(_as_list(problems, path, rule.get("all_equal", [])))
            ],
        }

    bands = {
        b: _number(
            problems, f"band_thresholds.{b}", full["band_thresholds"].get(b), 1, 100, integer=False
        )
        for b in ("strong", "adequate", "weak")
    }
    if None not in bands.values() and not bands["strong"] > bands["adequate"] > bands["weak"]:
        problems.append("band_thresholds: strong > adequate > weak is required")
    clean["band_thresholds"] = bands

    matrix = {}
    for tier in TIER_ORDER:
        row = full["matrix"].get(tier, {})
        matrix[tier] = {}
        for band in BAND_ORDER:
            cell = row.get(band)
            if cell not in TIER_ORDER:
                problems.append(f"matrix.{tier}.{band}: must be one of {', '.join(TIER_ORDER)}")
            matrix[tier][band] = cell
        cells = [matrix[tier][b] for b in BAND_ORDER if matrix[tier][b] in TIER_ORDER]
        if len(cells) == 4 and [TIER_ORDER.index(c) for c in cells] != sorted(
            TIER_ORDER.index(c) for c in cells
        ):
            problems.append(f"matrix.{tier}: a weaker band cannot give a lower residual risk")
    clean["matrix"] = matrix

    clean["cadence_months"] = {
        t: _number(problems, f"cadence_months.{t}", full["cadence_months"].get(t), 1, 60)
        for t in TIER_ORDER
    }
    clean["finding_deadlines"] = {
        s: _number(problems, f"finding_deadlines.{s}", full["finding_deadlines"].get(s), 1, 730)
        for s in SEVERITIES
    }
    if problems:
        raise AppetiteError(problems)
    return clean


def changed_keys(old: Mapping, new: Mapping) -> list[str]:
    """The top-level settings that differ (for the audit trail)."""
    a, b = effective(old), effective(new)
    return sorted(k for k in DEFAULT_APPETITE if a[k] != b[k])
