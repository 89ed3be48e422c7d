"""The CISO's portfolio: figures over a care organisation's relationships and the lists behind them.

Every figure on the dashboard is a `Metric`. The dashboard counts a metric with the same
queryset the drill-down list shows, so "the number equals the list" holds by construction and
is tested end to end (`tests/reports/test_portfolio.py`). The heatmap and the control-score
histogram count all their cells in one query each; their cells are metrics too, so the test
holds them to the same rule.

Filters (supplier type, tier, owner, status) narrow the relationships first; every other
figure is computed over the narrowed relationships. The number of queries does not depend on
the number of relationships (asserted in the tests).
"""

from .figures import figures, heatmap, histogram
from .metrics import METRICS, Metric, metric_rows
from .scope import (
    BUCKETS,
    EXPIRING_DAYS,
    LIVE,
    NOT_ASSESSED,
    OPEN_FINDING,
    OPEN_FOR_SUPPLIER,
    SEVERITIES,
    TIERS,
    UPCOMING_DAYS,
    Filters,
    Scope,
    scope_for,
)

__all__ = [
    "BUCKETS",
    "EXPIRING_DAYS",
    "LIVE",
    "METRICS",
    "NOT_ASSESSED",
    "OPEN_FINDING",
    "OPEN_FOR_SUPPLIER",
    "SEVERITIES",
    "TIERS",
    "UPCOMING_DAYS",
    "Filters",
    "Metric",
    "Scope",
    "figures",
    "heatmap",
    "histogram",
    "metric_rows",
    "scope_for",
]
