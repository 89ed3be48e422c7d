"""Reading the audit log, always scoped to the viewer's organisation."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from portal.core.tenancy import visible_to

from .models import AuditEvent


def audit_events_for(
    *,
    membership,
    action: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = visible_to(AuditEvent, membership).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def audit_actions_for(*, membership) -> list[str]:
    return list(
        visible_to(AuditEvent, membership)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
