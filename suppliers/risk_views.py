"""Risk pages: the risk appetite, the reassessment due list and the fourth parties of the
portfolio (care organisation side only). A relationship's own risk page is part of the
relationship dossier (portal/top/dossier)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.permissions import has_perm
from portal.core.xlsx import wants_xlsx, xlsx_response

from . import selectors
from .forms import TIER_LABELS, AppetiteForm
from .rescoring import risk_appetite_change
from .risk import appetite_for


@membership_required("care.read")
def risk_appetite(request):
    """The organisation's risk appetite; security officers change it on the same page."""
    current = appetite_for(request.membership.organisation)
    form = AppetiteForm(appetite=current)
    return _appetite_page(request, form, current)


def _appetite_page(request, form, current, status=200):
    tiers = ("critical", "high", "medium", "low")
    bands = ("strong", "adequate", "weak", "poor")
    matrix_rows = [(TIER_LABELS[t], [form[f"matrix_{t}_{b}"] for b in bands]) for t in tiers]
    return render(
        request,
        "suppliers/risk_appetite.html",
        {
            "form": form,
            "matrix_rows": matrix_rows,
            "can_edit": has_perm(request.membership, "appetite.edit"),
            "count": selectors.relationships_for(membership=request.membership).count(),
        },
        status=status,
    )


@require_POST
@membership_required("appetite.edit")
def risk_appetite_save(request):
    """Store the appetite and re-score every relationship as a background job."""

    org = request.membership.organisation
    current = appetite_for(org)
    form = AppetiteForm(request.POST, appetite=current)
    if not form.is_valid():
        return _appetite_page(request, form, current, status=400)
    try:
        _changed, job = risk_appetite_change(
            membership=request.membership,
            data=form.appetite(current),
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        for problem in exc.message_dict.get("__all__", exc.messages):
            form.add_error(None, problem)
        return _appetite_page(request, form, current, status=400)
    if job is None:
        messages.info(request, _("Nothing changed."))
        return redirect("risk_appetite")
    messages.success(request, _("Risk appetite saved. Every relationship is being re-scored."))
    return redirect("job_detail", pk=job.pk)


@membership_required("care.read")
def reassessment_list(request):
    """Which relationships are due for (re)assessment: overdue, soon, never assessed."""
    today = timezone.localdate()
    try:
        within = min(max(int(request.GET.get("within", 90)), 0), 730)
    except ValueError:
        within = 90
    rels = selectors.reassessments_due(
        membership=request.membership, today=today, within_days=within
    )
    if wants_xlsx(request):
        return xlsx_response(
            "ketenwacht-reassessments.xlsx",
            _("Reassessments due"),
            [
                _("Relationship"),
                _("Supplier"),
                _("Inherent tier"),
                _("Next assessment"),
                _("Overdue"),
                _("Reason"),
            ],
            (
                [
                    r.name,
                    r.supplier.name,
                    r.get_inherent_tier_display(),
                    r.next_assessment_due or _("never assessed"),
                    _("yes") if r.overdue else "",
                    r.due_reason,
                ]
                for r in rels
            ),
        )
    return render(
        request,
        "suppliers/reassessments.html",
        {
            "rels": rels,
            "within": within,
            "today": today,
            "can_send": has_perm(request.membership, "assessment.send"),
        },
    )


@membership_required("care.read")
def fourth_parties(request):
    """Concentration of fourth parties and dependence on parties outside the EU/EEA."""
    portfolio = selectors.fourth_party_portfolio(membership=request.membership)
    if wants_xlsx(request):
        rows = [
            [
                _("Concentration"),
                p["name"],
                "",
                ", ".join(s.name for s in p["suppliers"]),
                ", ".join(r.name for r in p["relationships"]),
            ]
            for p in portfolio["concentration"]
        ] + [
            [
                _("Outside the EU/EEA"),
                o["sub"].name,
                ", ".join(o["countries"]),
                o["sub"].product.supplier.name,
                ", ".join(r.name for r in o["relationships"]),
            ]
            for o in portfolio["outside_eu"]
        ]
        return xlsx_response(
            "ketenwacht-fourth-parties.xlsx",
            _("Fourth parties"),
            [_("List"), _("Fourth party"), _("Countries"), _("Suppliers"), _("Relationships")],
            rows,
        )
    return render(request, "suppliers/fourth_parties.html", portfolio)
