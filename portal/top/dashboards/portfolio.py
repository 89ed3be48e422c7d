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

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from contracts.models import ChecklistItem, ExitNote, ExitTest
from portal.core.tenancy import visible_to
from questionnaires.models import (
    Assessment,
    AssessmentStatus,
    DecisionStatus,
    Finding,
    FindingStatus,
    RiskDecision,
    Severity,
)
from suppliers.models import (
    CERTIFICATE_KINDS,
    Relationship,
    RelationshipStatus,
    SupplierDocument,
    SupplierType,
    Tier,
)
from suppliers.selectors import fourth_party_portfolio, relationships_for

TIERS = ("critical", "high", "medium", "low")
NOT_ASSESSED = "none"  # the heatmap column of relationships never assessed
SEVERITIES = ("critical", "high", "medium", "low")
# Control-score histogram: ten buckets of ten points; the last one includes 100.
BUCKETS = tuple((lo, lo + 10) for lo in range(0, 100, 10))
OPEN_FOR_SUPPLIER = (
    AssessmentStatus.SENT,
    AssessmentStatus.IN_PROGRESS,
    AssessmentStatus.CLARIFICATION_REQUESTED,
)
OPEN_FINDING = (FindingStatus.OPEN, FindingStatus.REMEDIATION_PLANNED)
UPCOMING_DAYS = 60
EXPIRING_DAYS = 90
LIVE = (RelationshipStatus.PROSPECT, RelationshipStatus.ACTIVE, RelationshipStatus.ENDING)


@dataclass(frozen=True)
class Filters:
    supplier_type: str = ""
    tier: str = ""
    owner: int | None = None
    status: str = ""  # "" = every live relationship (not ended)

    @classmethod
    def from_query(cls, query: QueryDict | dict) -> Filters:
        """Read filters from a query string; unknown values are ignored, never an error."""
        stype = query.get("type", "") or ""
        tier = query.get("tier", "") or ""
        status = query.get("status", "") or ""
        owner = query.get("owner", "") or ""
        return cls(
            supplier_type=stype if stype in SupplierType.values else "",
            tier=tier if tier in Tier.values else "",
            owner=int(owner) if str(owner).isdigit() and len(str(owner)) < 12 else None,
            status=status if status in RelationshipStatus.values else "",
        )

    def as_query(self) -> str:
        parts = []
        if self.supplier_type:
            parts.append(f"type={self.supplier_type}")
        if self.tier:
            parts.append(f"tier={self.tier}")
        if self.owner:
            parts.append(f"owner={self.owner}")
        if self.status:
            parts.append(f"status={self.status}")
        return "&".join(parts)

    def as_dict(self) -> dict:
        return {
            "type": self.supplier_type or None,
            "tier": self.tier or None,
            "owner": self.owner,
            "status": self.status or None,
        }


@dataclass
class Scope:
    """The membership, its filtered relationships and the day the figures are for."""

    membership: object
    filters: Filters
    today: date
    _rels: QuerySet | None = None

    @property
    def rels(self) -> QuerySet[Relationship]:
        if self._rels is None:
            qs = relationships_for(membership=self.membership)
            f = self.filters
            qs = qs.filter(status=f.status) if f.status else qs.filter(status__in=LIVE)
            if f.tier:
                qs = qs.filter(inherent_tier=f.tier)
            if f.owner:
                qs = qs.filter(owner_id=f.owner)
            if f.supplier_type:
                # supplier_types is a JSON list; matched in Python so SQLite and PostgreSQL
                # behave the same (one query over ids and types).
                ids = [
                    pk
                    for pk, types in qs.values_list("pk", "supplier_types")
                    if f.supplier_type in (types or [])
                ]
                qs = qs.filter(pk__in=ids)
            self._rels = qs
        return self._rels


def _fmt(message: str, **values):
    """A label translated and filled in when shown (in the reader's language), not at import."""
    return lazy(lambda: gettext(message) % {k: str(v) for k, v in values.items()}, str)()


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str  # relationships | assessments | findings | documents | decisions | parties
    rows: Callable[[Scope], QuerySet | list]
    # How the dashboard counts the rows, where that is cheaper than building them.
    count: Callable[[Scope], int] | None = None


def _critical_high(scope: Scope) -> QuerySet:
    return scope.rels.filter(inherent_tier__in=("critical", "high")).exclude(status="ended")


def _exit_notes(scope: Scope) -> QuerySet:
    return ExitNote.objects.filter(relationship__in=_critical_high(scope))


def _tested_recently(scope: Scope) -> QuerySet:
    return ExitTest.objects.filter(
        relationship__in=_critical_high(scope), tested_on__gte=scope.today - timedelta(days=365)
    ).values("relationship_id")


def _certificates(scope: Scope) -> QuerySet:
    return (
        SupplierDocument.objects.filter(
            offered=True, kind__in=CERTIFICATE_KINDS, supplier__in=scope.rels.values("supplier")
        )
        .select_related("supplier")
        .order_by("valid_until", "title", "pk")
    )


def _assessments(scope: Scope) -> QuerySet:
    return (
        visible_to(Assessment, scope.membership)
        .filter(relationship__in=scope.rels)
        .select_related("relationship__supplier", "template")
        .order_by("due_date", "pk")
    )


def _findings(scope: Scope) -> QuerySet:
    return (
        visible_to(Finding, scope.membership)
        .filter(relationship__in=scope.rels, status__in=OPEN_FINDING)
        .select_related("relationship__supplier")
        .order_by("due_date", "pk")
    )


def _bucket_filter(lo: int, hi: int) -> Q:
    upper = Q(control_score__lte=Decimal(100)) if hi == 100 else Q(control_score__lt=hi)
    return Q(control_score__gte=lo) & upper


def _ordered(qs: QuerySet) -> QuerySet:
    return qs.order_by("name", "pk")


def _metrics() -> dict[str, Metric]:
    m: list[Metric] = [
        Metric("relationships", _("Relationships"), "relationships", lambda s: _ordered(s.rels)),
        Metric(
            "not-assessed",
            _("Not assessed yet"),
            "relationships",
            lambda s: _ordered(s.rels.filter(assessed=False)),
        ),
    ]
    for tier in TIERS:
        for residual in TIERS:
            m.append(
                Metric(
                    f"cell-{tier}-{residual}",
                    _fmt(
                        gettext_noop("Inherent tier %(tier)s, residual risk %(residual)s"),
                        tier=Tier(tier).label,
                        residual=Tier(residual).label,
                    ),
                    "relationships",
                    lambda s, t=tier, r=residual: _ordered(
                        s.rels.filter(inherent_tier=t, residual_risk=r, assessed=True)
                    ),
                )
            )
        # Never assessed: no residual risk of their own yet, so a column apart.
        m.append(
            Metric(
                f"cell-{tier}-{NOT_ASSESSED}",
                _fmt(
                    gettext_noop("Inherent tier %(tier)s, not assessed yet"),
                    tier=Tier(tier).label,
                ),
                "relationships",
                lambda s, t=tier: _ordered(s.rels.filter(inherent_tier=t, assessed=False)),
            )
        )
    for lo, hi in BUCKETS:
        m.append(
            Metric(
                f"score-{lo}",
                _fmt(
                    gettext_noop("Control score %(lo)s–%(hi)s"),
                    lo=lo,
                    hi=hi if hi == 100 else hi - 1,
                ),
                "relationships",
                lambda s, lo=lo, hi=hi: _ordered(
                    s.rels.filter(assessed=True).filter(_bucket_filter(lo, hi))
                ),
            )
        )
    m += [
        Metric(
            "assessments-overdue",
            _("Assessments overdue at the supplier"),
            "assessments",
            lambda s: _assessments(s).filter(status__in=OPEN_FOR_SUPPLIER, due_date__lt=s.today),
        ),
        Metric(
            "assessments-review",
            _("Assessments waiting for review"),
            "assessments",
            lambda s: _assessments(s).filter(
                status__in=(AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW)
            ),
        ),
        Metric(
            "reassess-overdue",
            _("Reassessments overdue"),
            "relationships",
            lambda s: s.rels.filter(next_assessment_due__lt=s.today).order_by(
                "next_assessment_due", "name", "pk"
            ),
        ),
        Metric(
            "reassess-upcoming",
            _fmt(gettext_noop("Reassessments due within %(days)s days"), days=UPCOMING_DAYS),
            "relationships",
            lambda s: s.rels.filter(
                next_assessment_due__gte=s.today,
                next_assessment_due__lte=s.today + timedelta(days=UPCOMING_DAYS),
            ).order_by("next_assessment_due", "name", "pk"),
        ),
    ]
    for sev in SEVERITIES:
        m.append(
            Metric(
                f"findings-{sev}",
                _fmt(
                    gettext_noop("Open findings, severity %(severity)s"),
                    severity=Severity(sev).label,
                ),
                "findings",
                lambda s, sev=sev: _findings(s).filter(severity=sev),
            )
        )
    m += [
        Metric(
            "findings-overdue",
            _("Open findings past their deadline"),
            "findings",
            lambda s: _findings(s).filter(due_date__lt=s.today),
        ),
        Metric(
            "certificates-expired",
            _("Expired certificates"),
            "documents",
            lambda s: _certificates(s).filter(valid_until__lt=s.today),
        ),
        Metric(
            "certificates-expiring",
            _fmt(gettext_noop("Certificates expiring within %(days)s days"), days=EXPIRING_DAYS),
            "documents",
            lambda s: _certificates(s).filter(
                valid_until__gte=s.today,
                valid_until__lte=s.today + timedelta(days=EXPIRING_DAYS),
            ),
        ),
        Metric(
            "must-clauses",
            _("Relationships with must-clauses missing"),
            "relationships",
            lambda s: _ordered(
                s.rels.filter(
                    pk__in=ChecklistItem.objects.filter(
                        relationship__in=s.rels,
                        triggered=True,
                        clause__priority="must",
                        status__in=("missing", "negotiating"),
                    ).values("relationship_id")
                )
            ),
        ),
        Metric(
            "exit-missing",
            _("Critical and high relationships without an exit note"),
            "relationships",
            lambda s: _ordered(
                _critical_high(s).exclude(pk__in=_exit_notes(s).values("relationship_id"))
            ),
        ),
        Metric(
            "exit-unapproved",
            _("Exit notes not approved"),
            "relationships",
            lambda s: _ordered(
                _critical_high(s).filter(
                    pk__in=_exit_notes(s).exclude(status="approved").values("relationship_id")
                )
            ),
        ),
        Metric(
            "exit-untested",
            _("Critical relationships whose exit was not tested this year"),
            "relationships",
            lambda s: _ordered(
                _critical_high(s)
                .filter(inherent_tier="critical")
                .exclude(pk__in=_tested_recently(s))
            ),
        ),
        Metric(
            "decisions-pending",
            _("Risk decisions awaiting the board"),
            "decisions",
            lambda s: (
                visible_to(RiskDecision, s.membership)
                .filter(relationship__in=s.rels, status=DecisionStatus.PROPOSED)
                .select_related("relationship__supplier", "finding", "proposed_by")
                .order_by("proposed_at", "pk")
            ),
        ),
        Metric(
            "fourth-concentration",
            _("Fourth parties behind two or more suppliers"),
            "parties",
            lambda s: fourth_party_portfolio(membership=s.membership, relationships=s.rels)[
                "concentration"
            ],
            count=lambda s: len(
                fourth_party_portfolio(
                    membership=s.membership, relationships=s.rels, with_relationships=False
                )["concentration"]
            ),
        ),
    ]
    return {metric.key: metric for metric in m}


METRICS = _metrics()


def scope_for(membership, query, today: date | None = None) -> Scope:
    return Scope(membership, Filters.from_query(query), today or timezone.localdate())


def metric_rows(scope: Scope, key: str):
    """The rows behind one figure (a queryset or a list); KeyError for an unknown key."""
    return METRICS[key].rows(scope)


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
