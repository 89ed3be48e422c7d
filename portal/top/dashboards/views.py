"""The home page: one per role and organisation kind, with live figures or an empty state."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone

from contracts.models import ChecklistItem, Contract, ExitNote, ExitTest
from portal.core.accounts.decorators import membership_required
from portal.core.tenancy import visible_to
from portal.top.reports.models import Report
from questionnaires.models import (
    AssessmentStatus,
    DecisionStatus,
    Finding,
    FindingStatus,
    RiskDecision,
)
from questionnaires.selectors import assessments_for
from suppliers.incidents.selectors import open_incidents_for
from suppliers.models import CERTIFICATE_KINDS, SupplierDocument, Tier
from suppliers.risk import add_months
from suppliers.selectors import reassessments_due, reassessments_due_queryset, relationships_for

from .pipeline import pipeline
from .portfolio import METRICS, NOT_ASSESSED, SEVERITIES, TIERS, figures, scope_for

HOME_TEMPLATES = {
    ("care", "admin"): "dashboards/home_care_admin.html",
    ("care", "security"): "dashboards/home_security.html",
    ("care", "procurement"): "dashboards/home_procurement.html",
    ("care", "board"): "dashboards/home_board.html",
    ("care", "viewer"): "dashboards/home_viewer.html",
    ("supplier", "owner"): "dashboards/home_supplier.html",
    ("supplier", "respondent"): "dashboards/home_supplier.html",
}


def _care_summary(membership) -> dict:
    rels = relationships_for(membership=membership)
    # Without .order_by() the selector's ordering by name joins the GROUP BY: one row per
    # relationship, and the dict would keep a count of 1 per level.
    grouped = rels.order_by()
    by_tier = dict(grouped.values_list("inherent_tier").annotate(n=Count("pk")))
    by_residual = dict(grouped.values_list("residual_risk").annotate(n=Count("pk")))
    assessments = assessments_for(membership=membership)
    today = timezone.localdate()
    return {
        "relationship_count": sum(by_tier.values()),
        "tiers": [
            (t, by_tier.get(t, 0), by_residual.get(t, 0))
            for t in ("critical", "high", "medium", "low")
        ],
        "to_review": assessments.filter(
            status__in=(AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW)
        ).order_by("submitted_at")[:10],
        "overdue": assessments.open_for_supplier().filter(due_date__lt=today).count(),
        "open_findings": rels.filter(
            Exists(
                Finding.objects.filter(
                    # the organisation's own findings by their index, not the installation's
                    care_org=membership.organisation_id,
                    relationship=OuterRef("pk"),
                    status__in=(FindingStatus.OPEN, FindingStatus.REMEDIATION_PLANNED),
                )
            )
        ).count(),
    }


def _contract_summary(membership) -> dict:
    """Contracts, certificates, clauses and reassessments that need attention (issue 6/5)."""

    today = timezone.localdate()
    horizon = today + timedelta(days=90)
    rels = relationships_for(membership=membership)
    running = visible_to(Contract, membership).filter(end_date__gte=today)
    # The notice deadline is end date minus the notice period: per period in use, only an end
    # date in a narrow range can give a deadline within 90 days (3 days' slack for month ends).
    near = Q(pk__in=[])
    for months in running.order_by().values_list("notice_months", flat=True).distinct():
        near |= Q(
            notice_months=months,
            end_date__range=(
                add_months(today, months),
                add_months(horizon, months) + timedelta(days=3),
            ),
        )
    notice = []
    for c in running.filter(near).select_related("relationship__supplier"):
        deadline = c.notice_deadline
        if deadline is not None and today <= deadline <= horizon:
            notice.append((deadline, c))
    notice.sort(key=lambda pair: (pair[0], pair[1].pk))
    return {
        "notice_soon": notice[:8],
        "reassess_due": reassessments_due(
            membership=membership, today=today, within_days=60, limit=8
        ),
        "reassess_due_count": reassessments_due_queryset(
            membership=membership, today=today, within_days=60
        ).count(),
        "expired_certificates": SupplierDocument.objects.filter(
            offered=True,
            kind__in=CERTIFICATE_KINDS,
            valid_until__lt=today,
            supplier__in=rels.values("supplier"),
        ).select_related("supplier")[:8],
        "must_clauses_open": rels.filter(
            Exists(
                ChecklistItem.objects.filter(
                    care_org=membership.organisation_id, relationship=OuterRef("pk")
                ).open_must()
            )
        ).count(),
        "today": today,
    }


EXIT_SHOWN = 10  # per list on a home page; the portfolio lists them all


def _exit_summary(membership) -> dict:
    """Critical and high relationships whose exit note is missing, unapproved or untested:
    the first of each by name, and how many there are."""

    rels = (
        relationships_for(membership=membership)
        .filter(inherent_tier__in=("critical", "high"))
        .exclude(status="ended")
    )
    notes = ExitNote.objects.filter(relationship=OuterRef("pk"))
    year_ago = timezone.localdate() - timedelta(days=365)
    lists = {
        "exit_missing": rels.filter(~Exists(notes)),
        "exit_unapproved": rels.filter(Exists(notes.exclude(status="approved"))),
        "exit_untested": rels.filter(inherent_tier="critical").filter(
            ~Exists(ExitTest.objects.filter(relationship=OuterRef("pk"), tested_on__gte=year_ago))
        ),
    }
    summary = {}
    for key, qs in lists.items():
        summary[key], summary[f"{key}_count"] = list(qs[:EXIT_SHOWN]), qs.count()
    return summary


@membership_required()
def home(request):
    membership = request.membership
    template = HOME_TEMPLATES[(membership.organisation.kind, membership.role)]
    context = {
        "other_memberships": len(request.memberships) > 1,
        "remote_ciso": sum(
            1 for m in request.memberships if m.organisation.kind == "care" and m.role == "security"
        )
        > 1,
    }
    if membership.organisation.kind == "care":
        context.update(_care_summary(membership))
        if membership.role in ("procurement", "security", "admin"):
            context.update(_contract_summary(membership))
        if membership.role == "procurement":
            context["pipeline"] = pipeline(membership)
        if membership.role in ("security", "admin", "board"):
            context.update(_exit_summary(membership))
            # Incidents in the chain that are still open (DESIGN §13), newest first.
            incidents = open_incidents_for(membership=membership).order_by("-detected_at")
            context["open_incidents"] = list(incidents[:5])
            context["open_incident_count"] = (
                incidents.count()
                if len(context["open_incidents"]) == 5
                else len(context["open_incidents"])
            )
        if membership.role == "board":
            context["latest_report"] = (
                Report.objects.visible_to(membership)
                .filter(kind="portfolio", status="done")
                .order_by("-finished_at")
                .first()
            )
            context["top_risks"] = sorted(
                relationships_for(membership=membership)
                .filter(residual_risk__in=("critical", "high"))
                .exclude(status="ended"),
                key=lambda r: (r.residual_risk != "critical", r.name),
            )[:10]
        context["pending_decisions"] = (
            visible_to(RiskDecision, membership)
            .filter(status=DecisionStatus.PROPOSED)
            .select_related("relationship__supplier", "finding", "proposed_by")[:10]
        )
    else:
        today = timezone.localdate()
        context["open_assessments"] = (
            assessments_for(membership=membership).open_for_supplier().order_by("due_date")[:10]
        )
        # Findings on its answers still waiting for a plan, and documents about to expire.
        context["findings_waiting"] = (
            visible_to(Finding, membership)
            .filter(status=FindingStatus.OPEN)
            .select_related("relationship__care_org")
            .order_by("due_date")[:10]
        )
        context["expiring_documents"] = (
            SupplierDocument.objects.visible_to(membership)
            .filter(valid_until__isnull=False, valid_until__lte=today + timedelta(days=60))
            .order_by("valid_until")[:10]
        )
        context["today"] = today
    return render(request, template, context)


# The remote CISO's headline figures: the portfolio's own metrics, so the two pages agree.
OVERVIEW_FIGURES = (
    "incidents-open",
    "assessments-review",
    "assessments-overdue",
    "findings-overdue",
    "decisions-pending",
    "must-clauses",
    "certificates-expired",
    "reassess-overdue",
    "reassess-upcoming",
    "exit-missing",
    "exit-unapproved",
)


@membership_required()
def remote_overview(request):
    """The remote CISO's page: every care organisation where the user is security officer,
    with its headline figures and a switch into it. Nothing of other organisations appears.
    Every figure is the portfolio's (`portfolio.figures`), never a count of its own."""

    mine = [
        m for m in request.memberships if m.organisation.kind == "care" and m.role == "security"
    ]
    if not mine:
        raise PermissionDenied
    orgs = []
    for m in sorted(mine, key=lambda m: m.organisation.name):
        counts = figures(scope_for(m, {}))
        tiers = [
            {
                "tier": t,
                "label": Tier(t).label,
                "inherent": sum(counts[f"cell-{t}-{r}"] for r in (*TIERS, NOT_ASSESSED)),
                "residual": sum(counts[f"cell-{x}-{t}"] for x in TIERS),
            }
            for t in TIERS
        ]
        orgs.append(
            {
                "membership": m,
                "active": m.pk == request.membership.pk,
                "relationships": counts["relationships"],
                "not_assessed": counts["not-assessed"],
                "open_findings": sum(counts[f"findings-{sev}"] for sev in SEVERITIES),
                "tiers": tiers,
                "figures": [(METRICS[k].label, counts[k], k) for k in OVERVIEW_FIGURES],
            }
        )
    return render(request, "dashboards/remote_overview.html", {"orgs": orgs})
