"""Writing audit events. Every service that changes something calls `audit_record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    organisation=None,
    actor=None,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    request=None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. `action` is a dotted code such as `member.role_changed`."""
    label = actor_label or (getattr(actor, "email", "") if actor else "")
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label[:254],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:300] if obj is not None else "",
        before=before,
        after=after,
        ip_address=_client_ip(request),
    )
