"""All the dashboard's figures in a fixed number of queries, and the heatmap and histogram rows."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from suppliers.models import (
    Tier,
)

from .metrics import METRICS, _findings
from .scope import BUCKETS, NOT_ASSESSED, SEVERITIES, TIERS, Scope


def _count(rows) -> int:
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


def figures(scope: Scope) -> dict:
    """Every figure of the dashboard in a fixed number of queries."""
    rels = scope.rels
    cells = {f"cell-{t}-{r}": 0 for t in TIERS for r in (*TIERS, NOT_ASSESSED)}
    for tier, residual, assessed, n in (
        rels.order_by()
        .values_list("inherent_tier", "residual_risk", "assessed")
        .annotate(n=Count("pk"))
    ):
        cells[f"cell-{tier}-{residual if assessed else NOT_ASSESSED}"] += n
    buckets = {f"score-{lo}": 0 for lo, _hi in BUCKETS}
    not_assessed = 0
    total = 0
    for assessed, score in rels.order_by().values_list("assessed", "control_score"):
        total += 1
        if not assessed:
            not_assessed += 1
            continue
        if score is None:
            continue
        lo = min(int(score) // 10 * 10, 90)
        buckets[f"score-{lo}"] += 1
    by_severity = {f"findings-{sev}": 0 for sev in SEVERITIES}
    for sev, n in _findings(scope).order_by().values_list("severity").annotate(n=Count("pk")):
        by_severity[f"findings-{sev}"] = n
    out = {"relationships": total, "not-assessed": not_assessed, **cells, **buckets, **by_severity}
    grouped = set(out)
    for key, metric in METRICS.items():
        if key not in grouped:
            out[key] = metric.count(scope) if metric.count else _count(metric.rows(scope))
    return out


def heatmap(counts: dict) -> list[dict]:
    """Rows of the tier × residual-risk grid for the template (critical first)."""
    return [
        {
            "tier": tier,
            "label": Tier(tier).label,
            "cells": [
                {"key": f"cell-{tier}-{r}", "residual": r, "n": counts[f"cell-{tier}-{r}"]}
                for r in (*TIERS, NOT_ASSESSED)
            ],
        }
        for tier in TIERS
    ]


def histogram(counts: dict) -> list[dict]:
    most = max([counts[f"score-{lo}"] for lo, _hi in BUCKETS] + [1])
    return [
        {
            "key": f"score-{lo}",
            "lo": lo,
            "hi": hi if hi == 100 else hi - 1,
            "n": counts[f"score-{lo}"],
            "pct": 5 * round(20 * counts[f"score-{lo}"] / most),
        }
        for lo, hi in BUCKETS
    ]
