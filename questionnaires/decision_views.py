"""Pages for risk decisions: propose on a finding, the board decides, the register and export."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.core.accounts.decorators import membership_required
from portal.core.accounts.models import Membership
from portal.core.exceptions import Conflict, error_text
from portal.core.permissions import has_perm
from portal.core.tenancy import visible_to
from suppliers.models import Relationship

from . import decisions
from .answer_text import answer_text
from .models import DecisionStatus, Finding, RiskDecision
from .xlsx_export import safe_cell

_message = error_text


@require_POST
@membership_required("decision.propose")
def decision_propose(request, pk: int):
    finding = get_object_or_404(visible_to(Finding, request.membership), pk=pk)
    try:
        expires = date.fromisoformat(request.POST.get("expires_on", ""))
    except ValueError:
        expires = None
    try:
        decisions.decision_propose(
            relationship=finding.relationship,
            finding=finding,
            actor=request.user,
            motivation=request.POST.get("motivation", "")[:4000],
            expires_on=expires,
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The proposal was sent to the board."))
    if request.POST.get("next") == "finding":
        return redirect("finding_detail", pk=finding.pk)
    return redirect("relationship_detail", pk=finding.relationship_id)


@require_POST
@membership_required("decision.propose")
def decision_propose_residual(request, pk: int):
    """Propose to accept a relationship's residual risk as it stands."""

    rel = get_object_or_404(visible_to(Relationship, request.membership), pk=pk)
    try:
        expires = date.fromisoformat(request.POST.get("expires_on", ""))
    except ValueError:
        expires = None
    try:
        decisions.decision_propose(
            relationship=rel,
            actor=request.user,
            motivation=request.POST.get("motivation", "")[:4000],
            expires_on=expires,
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The proposal was sent to the board."))
    return redirect("relationship_risk", pk=rel.pk)


@require_POST
@membership_required("decision.approve")
def decision_decide(request, pk: int):
    decision = get_object_or_404(visible_to(RiskDecision, request.membership), pk=pk)
    approve = request.POST.get("approve") == "1"
    try:
        decisions.decision_decide(
            decision=decision,
            actor=request.user,
            approve=approve,
            comment=request.POST.get("comment", "")[:4000],
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Approved.") if approve else _("Rejected."))
    return redirect("decision_register")


def _register(request):
    qs = visible_to(RiskDecision, request.membership).select_related(
        "relationship__supplier", "finding", "proposed_by", "decided_by"
    )
    status = request.GET.get("status", "")
    if status in DecisionStatus.values:
        qs = qs.filter(status=status)
    supplier = request.GET.get("supplier", "").strip()[:100]
    if supplier:
        qs = qs.filter(
            Q(relationship__supplier__name__icontains=supplier)
            | Q(relationship__name__icontains=supplier)
        )
    owner = request.GET.get("owner", "")
    if owner.isdecimal():
        qs = qs.filter(relationship__owner=int(owner))
    kind = request.GET.get("kind", "")
    if kind == "finding":
        qs = qs.filter(finding__isnull=False)
    elif kind == "residual":
        qs = qs.filter(finding__isnull=True)
    return qs, status, supplier


@membership_required("care.read")
def decision_register(request):
    qs, status, supplier = _register(request)
    can_decide = has_perm(request.membership, "decision.approve")
    lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
    return render(
        request,
        "questionnaires/decisions.html",
        {
            "decisions": qs[:500],
            "status": status,
            "supplier": supplier,
            "statuses": DecisionStatus.choices,
            "owner": request.GET.get("owner", ""),
            "kind": request.GET.get("kind", ""),
            "owners": _owners(request.membership),
            "can_decide": can_decide,
            "awaiting": _awaiting(request.membership, lang) if can_decide else [],
            "query": request.GET.urlencode(),
        },
    )


def _awaiting(membership, lang: str) -> list:
    """Proposals for the board, each with what a board member needs one click away: the
    finding, the supplier's own answer (in words) and the relationship's risk page."""

    proposals = list(
        visible_to(RiskDecision, membership)
        .filter(status=DecisionStatus.PROPOSED)
        .select_related(
            "relationship__supplier",
            "proposed_by",
            "finding__answer__question",
            "finding__assessment",
        )
        .order_by("proposed_at", "pk")
    )
    for d in proposals:
        answer = d.finding.answer if d.finding else None
        d.answer_shown = answer_text(answer.question, answer.value, lang) if answer else ""
        d.answer_explanation = answer.explanation if answer else ""
        d.question_text = (
            (answer.question.text_en if lang == "en" else answer.question.text_nl) if answer else ""
        )
    return proposals


def _owners(membership):

    return [
        (m.user_id, str(m.user))
        for m in Membership.objects.active()
        .filter(organisation=membership.organisation)
        .select_related("user")
        .order_by("user__email")
    ]


@membership_required("care.read")
def decision_register_xlsx(request):
    qs, _status, _supplier = _register(request)
    wb = Workbook()
    ws = wb.active
    ws.title = "Decisions"
    header = [
        "id",
        "supplier",
        "relationship",
        "finding",
        "level",
        "status",
        "motivation",
        "proposed by",
        "proposed at",
        "decided by",
        "decided at",
        "comment",
        "expires on",
    ]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for d in qs:
        ws.append(
            [
                safe_cell(v)
                for v in (
                    d.pk,
                    d.relationship.supplier.name,
                    d.relationship.name,
                    d.finding.question_code if d.finding else "",
                    d.accepted_level,
                    d.status,
                    d.motivation,
                    str(d.proposed_by or ""),
                    d.proposed_at.strftime("%Y-%m-%d %H:%M"),
                    str(d.decided_by or ""),
                    d.decided_at.strftime("%Y-%m-%d %H:%M") if d.decided_at else "",
                    d.comment,
                    d.expires_on.isoformat(),
                )
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="risicobesluiten.xlsx"'
    return response
