"""CSAF advisory pages: upload one, see what it matched, confirm the relationships concerned
and send them the rapid questionnaire in one step — or dismiss it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, error_text
from portal.core.permissions import has_perm

from . import selectors, services
from .models import AdvisoryStatus
from .parsing import CsafInvalid, max_bytes


def _advisory(request, pk):
    advisory = selectors.advisories_for(membership=request.membership).filter(pk=pk).first()
    if advisory is None:
        raise Http404
    return advisory


def _list(request, *, errors=(), status=200):
    membership = request.membership
    context = {
        "advisories": list(selectors.advisories_for(membership=membership)[:200]),
        "can_upload": has_perm(membership, "incident.assess"),
        "errors": list(errors),
        "max_kb": max_bytes() // 1024,
    }
    return render(request, "csaf/list.html", context, status=status)


@membership_required("care.read")
def csaf_list(request):
    return _list(request)


@require_POST
@membership_required("incident.assess")
def csaf_upload(request):
    upload = request.FILES.get("document")
    if upload is None:
        return _list(request, errors=[_("Choose a CSAF advisory (a .json file).")], status=400)
    if upload.size > max_bytes():
        return _list(
            request,
            errors=[_("The document is larger than %(n)s bytes.") % {"n": max_bytes()}],
            status=400,
        )
    try:
        advisory = services.advisory_upload(
            care_org=request.membership.organisation,
            actor=request.user,
            raw=upload.read(max_bytes() + 1),
            request=request,
        )
    except CsafInvalid as exc:
        return _list(request, errors=exc.errors, status=400)
    return redirect("csaf_detail", pk=advisory.pk)


@membership_required("care.read")
def csaf_detail(request, pk: int):
    advisory = _advisory(request, pk)
    context = {
        "advisory": advisory,
        "matches": selectors.matches_of(advisory),
        "open": advisory.status == AdvisoryStatus.PROPOSED,
        "can_send": has_perm(request.membership, "incident.assess"),
    }
    return render(request, "csaf/detail.html", context)


@require_POST
@membership_required("incident.assess")
def csaf_send(request, pk: int):
    advisory = _advisory(request, pk)
    raw_due = request.POST.get("due_date") or ""
    due = parse_date(raw_due) if raw_due else None
    if raw_due and due is None:
        messages.error(request, _("Give the due date as a date."))
        return redirect("csaf_detail", pk=advisory.pk)
    try:
        rapid = services.advisory_send(
            advisory=advisory,
            actor=request.user,
            relationships=request.POST.getlist("relationships"),
            due_date=due,
            request=request,
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, error_text(exc))
        return redirect("csaf_detail", pk=advisory.pk)
    return redirect("rapid_detail", pk=rapid.pk)


@require_POST
@membership_required("incident.assess")
def csaf_dismiss(request, pk: int):
    advisory = _advisory(request, pk)
    try:
        services.advisory_dismiss(advisory=advisory, actor=request.user, request=request)
    except Conflict as exc:
        messages.error(request, error_text(exc))
    return redirect("csaf_detail", pk=advisory.pk)
