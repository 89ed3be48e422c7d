"""Pages for joint assessments: the list (invitations, the ones an organisation leads or takes
part in, or answers), making an assessment joint, the joint page for each party, and the
actions on it (invite, accept with one's own relationship, decline, adopt the lead's verdicts)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, error_text
from portal.core.permissions import has_perm
from suppliers.models import Relationship

from ..models import Assessment
from . import review, selectors, services
from .api import joint_out
from .models import ParticipantStatus


@membership_required("joint.read")
def joint_list(request):
    org = request.membership.organisation
    rows = [joint_out(j, org, full=False) for j in selectors.joints_for(request.membership)]
    return render(
        request,
        "questionnaires/joint_list.html",
        {
            "invitations": [r for r in rows if r["invitation"] == ParticipantStatus.INVITED],
            "rows": [r for r in rows if r["invitation"] != ParticipantStatus.INVITED],
            "is_supplier": org.is_supplier,
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required("joint.manage")
def joint_start(request, pk: int):
    """Make one of the organisation's assessments joint: choose whom to invite."""
    lead = get_object_or_404(Assessment.objects.visible_to(request.membership), pk=pk)
    org = request.membership.organisation
    existing = selectors.joint_of(lead)
    if request.method == "POST":
        chosen = request.POST.getlist("organisations")
        try:
            organisations = services.joint_organisations(chosen)
            if existing:
                services.joint_invite(
                    joint=existing,
                    organisations=organisations,
                    actor=request.user,
                    message=request.POST.get("message", "")[:4000],
                    request=request,
                )
                joint = existing
            else:
                joint = services.joint_create(
                    assessment=lead,
                    organisations=organisations,
                    actor=request.user,
                    message=request.POST.get("message", "")[:4000],
                    request=request,
                )
        except (ValidationError, ValueError, Conflict) as exc:
            messages.error(request, _error(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s care organisation invited.",
                    "%(n)s care organisations invited.",
                    len(organisations),
                )
                % {"n": len(organisations)},
            )
            return redirect("joint_detail", pk=joint.pk)
    taken = set(existing.seats.values_list("care_org_id", flat=True)) if existing else set()
    return render(
        request,
        "questionnaires/joint_start.html",
        {
            "a": lead,
            "joint": existing,
            "candidates": [o for o in selectors.invitable(org) if o.pk not in taken],
            "remote": set(selectors.same_security_officer(request.user, org)),
        },
    )


@membership_required("joint.read")
def joint_detail(request, pk: int):
    joint = get_object_or_404(selectors.joints_for(request.membership), pk=pk)
    org = request.membership.organisation
    info = joint_out(joint, org)
    context = {
        "joint": joint,
        "info": info,
        "can_manage": has_perm(request.membership, "joint.manage"),
    }
    if info["invitation"] == ParticipantStatus.INVITED:
        seat = selectors.seat_of(joint, org)
        context["relationships"] = services.eligible_relationships(seat)
    if info["role"] == "participant" and info["assessment"]:
        context["can_adopt"] = has_perm(request.membership, "assessment.review")
        context["can_ask"] = has_perm(request.membership, "assessment.send")
    return render(request, "questionnaires/joint_detail.html", context)


@require_POST
@membership_required("joint.manage")
def joint_respond(request, pk: int, decision: str):
    joint = get_object_or_404(selectors.joints_for(request.membership), pk=pk)
    org = request.membership.organisation
    seat = selectors.seat_of(joint, org)
    if seat is None or decision not in ("accept", "decline"):
        return render(request, "404.html", status=404)
    try:
        if decision == "accept":
            rel = get_object_or_404(
                Relationship.objects.filter(care_org=org), pk=_int(request.POST.get("relationship"))
            )
            services.joint_accept(seat=seat, relationship=rel, actor=request.user, request=request)
            messages.success(request, _("You take part in this joint assessment."))
        else:
            services.joint_decline(seat=seat, actor=request.user, request=request)
            messages.success(request, _("You declined the invitation."))
    except (ValidationError, Conflict) as exc:
        messages.error(request, _error(exc))
    return redirect("joint_detail", pk=joint.pk)


@require_POST
@membership_required("assessment.review")
def joint_adopt(request, pk: int):
    joint = get_object_or_404(selectors.joints_for(request.membership), pk=pk)
    seat = selectors.seat_of(joint, request.membership.organisation)
    if seat is None or seat.assessment_id is None:
        return render(request, "404.html", status=404)
    try:
        n = review.adopt_lead_verdicts(
            assessment=seat.assessment, actor=request.user, request=request
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, _error(exc))
        return redirect("joint_detail", pk=joint.pk)
    messages.success(
        request,
        ngettext("%(n)s verdict of the lead adopted.", "%(n)s verdicts of the lead adopted.", n)
        % {"n": n},
    )
    return redirect("assessment_detail", pk=seat.assessment_id)


@require_POST
@membership_required("assessment.send")
def joint_ask(request, pk: int):
    """Send the questions that were not asked to the supplier as a short questionnaire."""
    joint = get_object_or_404(selectors.joints_for(request.membership), pk=pk)
    seat = selectors.seat_of(joint, request.membership.organisation)
    if seat is None or seat.assessment_id is None:
        return render(request, "404.html", status=404)
    try:
        short = review.ask_not_asked(seat=seat, actor=request.user, request=request)
    except (ValidationError, Conflict) as exc:
        messages.error(request, _error(exc))
        return redirect("joint_detail", pk=joint.pk)
    messages.success(
        request, _("The questions were sent to the supplier as a short questionnaire.")
    )
    return redirect("assessment_detail", pk=short.pk)


def _error(exc) -> str:
    if isinstance(exc, Conflict):
        return exc.message
    if isinstance(exc, ValueError):
        return _("Unknown care organisation.")
    return error_text(exc)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
