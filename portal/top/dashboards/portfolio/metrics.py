"""Every figure of the portfolio as a `Metric`: the queryset of its drill-down list, which the
dashboard counts, so that the number equals the list by construction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
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
    RiskDecision,
    Severity,
)
from suppliers.incidents.models import Recipient, Stage
from suppliers.models import (
    CERTIFICATE_KINDS,
    SupplierDocument,
    Tier,
)
from suppliers.selectors import fourth_party_portfolio

from .scope import (
    BUCKETS,
    EXPIRING_DAYS,
    NOT_ASSESSED,
    OPEN_FINDING,
    SEVERITIES,
    TIERS,
    UPCOMING_DAYS,
    Scope,
)


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
            lambda s: _assessments(s).open_for_supplier().filter(due_date__lt=s.today),
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
                    pk__in=visible_to(ChecklistItem, s.membership)
                    .filter(relationship__in=s.rels)
                    .open_must()
                    .values("relationship_id")
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
            "incidents-open",
            _("Relationships hit by an open incident at the supplier"),
            "relationships",
            lambda s: _ordered(
                s.rels.filter(
                    pk__in=Recipient.objects.filter(care_org=s.membership.organisation_id)
                    .exclude(incident__stage=Stage.CLOSED)
                    .exclude(affected="no")
                    .values("relationships")
                )
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


def metric_rows(scope: Scope, key: str):
    """The rows behind one figure (a queryset or a list); KeyError for an unknown key."""
    return METRICS[key].rows(scope)
