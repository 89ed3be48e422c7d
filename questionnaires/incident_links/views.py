"""The button on the incident page that raises a finding on an affected relationship."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import error_text
from suppliers.incidents import selectors as incident_selectors

from .findings import finding_raise_from_incident


@require_POST
@membership_required("incident.assess")
def incident_raise_finding(request, pk: int, relationship_pk: int):
    membership = request.membership
    incident = incident_selectors.incidents_for(membership=membership).filter(pk=pk).first()
    copy = incident and incident_selectors.copy_of(membership=membership, incident=incident)
    if copy is None:
        raise Http404
    rel = get_object_or_404(copy.relationships.all(), pk=relationship_pk)
    try:
        finding = finding_raise_from_incident(
            recipient=copy,
            relationship=rel,
            actor=request.user,
            severity=request.POST.get("severity", "high"),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("incident_detail", pk=incident.pk)
    messages.success(
        request, _("A finding on %(rel)s is raised from the incident.") % {"rel": rel.name}
    )
    return redirect("finding_detail", pk=finding.pk)
