"""The home page: one per role and organisation kind, with live figures or an empty state."""

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from portal.core.accounts.decorators import membership_required
from portal.core.tenancy import visible_to
from questionnaires.models import AssessmentStatus, DecisionStatus, FindingStatus, RiskDecision
from questionnaires.selectors import assessments_for
from suppliers.selectors import relationships_for

HOME_TEMPLATES = {
    ("care", "admin"): "dashboards/home_care_admin.html",
    ("care", "security"): "dashboards/home_security.html",
    ("care", "procurement"): "dashboards/home_procurement.html",
    ("care", "board"): "dashboards/home_board.html",
    ("care", "viewer"): "dashboards/home_viewer.html",
    ("supplier", "owner"): "dashboards/home_supplier.html",
    ("supplier", "respondent"): "dashboards/home_supplier.html",
}
OPEN_FOR_SUPPLIER = (
    AssessmentStatus.SENT,
    AssessmentStatus.IN_PROGRESS,
    AssessmentStatus.CLARIFICATION_REQUESTED,
)


def _care_summary(membership) -> dict:
    rels = relationships_for(membership=membership)
    by_tier = dict(rels.values_list("inherent_tier").annotate(n=Count("pk")))
    by_residual = dict(rels.values_list("residual_risk").annotate(n=Count("pk")))
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
        "overdue": assessments.filter(status__in=OPEN_FOR_SUPPLIER, due_date__lt=today).count(),
        "open_findings": rels.filter(
            findings__status__in=(FindingStatus.OPEN, FindingStatus.REMEDIATION_PLANNED)
        )
        .distinct()
        .count(),
    }


@membership_required()
def home(request):
    membership = request.membership
    template = HOME_TEMPLATES[(membership.organisation.kind, membership.role)]
    context = {"other_memberships": len(request.memberships) > 1}
    if membership.organisation.kind == "care":
        context.update(_care_summary(membership))
        context["pending_decisions"] = (
            visible_to(RiskDecision, membership)
            .filter(status=DecisionStatus.PROPOSED)
            .select_related("relationship__supplier", "finding", "proposed_by")[:10]
        )
    else:
        context["open_assessments"] = (
            assessments_for(membership=membership)
            .filter(status__in=OPEN_FOR_SUPPLIER)
            .order_by("due_date")[:10]
        )
    return render(request, template, context)
