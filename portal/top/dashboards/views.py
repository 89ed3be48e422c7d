"""The home page: one per role and organisation kind, each with a sensible empty state."""

from django.shortcuts import render

from portal.core.accounts.decorators import membership_required

HOME_TEMPLATES = {
    ("care", "admin"): "dashboards/home_care_admin.html",
    ("care", "security"): "dashboards/home_security.html",
    ("care", "procurement"): "dashboards/home_procurement.html",
    ("care", "board"): "dashboards/home_board.html",
    ("care", "viewer"): "dashboards/home_viewer.html",
    ("supplier", "owner"): "dashboards/home_supplier.html",
    ("supplier", "respondent"): "dashboards/home_supplier.html",
}


@membership_required()
def home(request):
    membership = request.membership
    template = HOME_TEMPLATES[(membership.organisation.kind, membership.role)]
    return render(request, template, {"other_memberships": len(request.memberships) > 1})
