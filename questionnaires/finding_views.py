"""Pages for findings: the list for both sides, a finding's thread, the supplier's plan and
progress, the care organisation's verdict (DESIGN §7)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict
from portal.core.permissions import has_perm
from portal.core.tenancy import visible_to
from portal.core.xlsx import wants_xlsx, xlsx_response

from . import findings as svc
from .decision_views import _message
from .models import Finding, FindingStatus, Severity

OPEN_STATES = (FindingStatus.OPEN, FindingStatus.REMEDIATION_PLANNED)


def _filtered(request):
    qs = visible_to(Finding, request.membership).select_related(
        "relationship__supplier", "relationship__care_org", "owner"
    )
    f = {
        "status": request.GET.get("status", "live"),
        "severity": request.GET.get("severity", ""),
        "q": request.GET.get("q", "").strip()[:100],
        "overdue": request.GET.get("overdue") == "1",
    }
    if f["status"] == "live":
        qs = qs.filter(status__in=OPEN_STATES)
    elif f["status"] in FindingStatus.values:
        qs = qs.filter(status=f["status"])
    if f["severity"] in Severity.values:
        qs = qs.filter(severity=f["severity"])
    if f["q"]:
        qs = qs.filter(
            Q(relationship__name__icontains=f["q"])
            | Q(relationship__supplier__name__icontains=f["q"])
            | Q(relationship__care_org__name__icontains=f["q"])
            | Q(question_code__icontains=f["q"])
        )
    if f["overdue"]:
        qs = qs.filter(status__in=OPEN_STATES, due_date__lt=timezone.localdate())
    return qs.order_by("due_date", "pk"), f


@membership_required()
def finding_list(request):
    """Care: every finding of the organisation; supplier: those raised on its answers."""
    qs, f = _filtered(request)
    if wants_xlsx(request):
        supplier_side = request.membership.organisation.kind == "supplier"
        en = request.LANGUAGE_CODE.startswith("en")
        return xlsx_response(
            "ketenwacht-findings.xlsx",
            _("Findings"),
            [
                _("Customer") if supplier_side else _("Supplier"),
                _("Relationship"),
                _("Question"),
                _("Finding"),
                _("Severity"),
                _("Status"),
                _("Deadline"),
                _("Planned completion"),
                _("Remediation plan"),
            ],
            (
                [
                    f.relationship.care_org.name if supplier_side else f.relationship.supplier.name,
                    f.relationship.name,
                    f.question_code,
                    f.title_en if en else f.title_nl,
                    f.get_severity_display(),
                    f.get_status_display(),
                    f.due_date,
                    f.planned_date,
                    f.plan,
                ]
                for f in qs.select_related("relationship__care_org", "relationship__supplier")
            ),
        )
    return render(
        request,
        "questionnaires/findings.html",
        {
            "findings": qs[:500],
            "total": qs.count(),
            "f": f,
            "statuses": FindingStatus.choices,
            "severities": Severity.choices,
            "supplier_side": request.membership.organisation.kind == "supplier",
            "today": timezone.localdate(),
        },
    )


@membership_required()
def finding_detail(request, pk: int):
    finding = get_object_or_404(
        visible_to(Finding, request.membership).select_related(
            "relationship__supplier", "relationship__care_org", "owner"
        ),
        pk=pk,
    )
    supplier_side = request.membership.organisation.kind == "supplier"
    live = finding.status in OPEN_STATES
    return render(
        request,
        "questionnaires/finding_detail.html",
        {
            "f": finding,
            "updates": finding.updates.select_related("author"),
            "supplier_side": supplier_side,
            "live": live,
            "can_respond": live and has_perm(request.membership, "finding.respond"),
            "can_manage": has_perm(request.membership, "finding.manage"),
            "can_propose": live and has_perm(request.membership, "decision.propose"),
            "decisions": [] if supplier_side else finding.decisions.select_related("decided_by"),
            "today": timezone.localdate(),
        },
    )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@require_POST
@membership_required("finding.respond")
def finding_respond(request, pk: int):
    """The supplier's remediation plan (with a date) or a progress update."""
    finding = get_object_or_404(visible_to(Finding, request.membership), pk=pk)
    try:
        if request.POST.get("kind") == "plan":
            svc.finding_plan(
                finding=finding,
                actor=request.user,
                plan=request.POST.get("text", "")[:4000],
                planned_date=_date(request.POST.get("planned_date", "")),
                request=request,
            )
            messages.success(request, _("Your plan was sent to the customer."))
        else:
            svc.finding_progress(
                finding=finding,
                actor=request.user,
                text=request.POST.get("text", "")[:4000],
                request=request,
            )
            messages.success(request, _("Your update was sent to the customer."))
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    return redirect("finding_detail", pk=finding.pk)


@require_POST
@membership_required("finding.manage")
def finding_close(request, pk: int):
    """Resolve after verification, withdraw with a reason, or send the supplier a message."""
    finding = get_object_or_404(visible_to(Finding, request.membership), pk=pk)
    action = request.POST.get("action", "")
    text = request.POST.get("text", "")[:4000]
    try:
        if action in ("resolve", "withdraw"):
            svc.finding_close(
                finding=finding,
                actor=request.user,
                resolve=action == "resolve",
                text=text,
                request=request,
            )
            messages.success(
                request, _("Finding resolved.") if action == "resolve" else _("Finding withdrawn.")
            )
        else:
            svc.finding_comment(finding=finding, actor=request.user, text=text, request=request)
            messages.success(request, _("Message sent to the supplier."))
    except (ValidationError, Conflict) as exc:
        messages.error(request, _message(exc))
    return redirect("finding_detail", pk=finding.pk)
