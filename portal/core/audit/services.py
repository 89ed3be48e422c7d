"""Writing audit events. Every service that changes something calls `audit_record`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

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
    organisation_id: int | None = None,
) -> AuditEvent:
    """Append one event. `action` is a dotted code such as `member.role_changed`; the
    organisation is given as an instance or, by a caller that holds only that, its id."""
    label = actor_label or (getattr(actor, "email", "") if actor else "")
    return AuditEvent.objects.create(
        organisation_id=organisation.pk if organisation is not None else organisation_id,
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


def identifier_patterns(replacements: dict[str, str]) -> list[tuple[re.Pattern, str]]:
    """Patterns that replace whole identifiers (an e-mail address, a name), longest first."""
    olds = sorted((old for old in replacements if old), key=len, reverse=True)
    return [
        (
            re.compile(r"(?<![\w.+-])" + re.escape(old) + r"(?![\w-])", re.IGNORECASE),
            replacements[old],
        )
        for old in olds
    ]


def replace_identifiers(value: Any, patterns: list[tuple[re.Pattern, str]]) -> Any:
    """`value` (text or JSON) with every identifier replaced by its pseudonym."""
    return _rewrite(value, patterns)


def _rewrite(value: Any, patterns: list[tuple[re.Pattern, str]]) -> Any:
    if isinstance(value, str):
        for pattern, new in patterns:
            value = pattern.sub(new, value)
        return value
    if isinstance(value, list):
        return [_rewrite(v, patterns) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, patterns) for k, v in value.items()}
    return value


def audit_pseudonymise(
    *, user_id: int, organisation_ids: Iterable[int], replacements: dict[str, str]
) -> int:
    """Rewrite an erased person's identifiers in the audit log to their pseudonym (AVG art. 17).

    The one change the append-only log allows (see migration 0003): who did what, when, in
    which organisation and to which object stays as recorded; only text naming the person
    (e-mail address, name) is replaced, and the IP addresses of their own actions are dropped.
    Looks at the person's own actions, every event of their organisations and any other event
    that mentions their e-mail address. Returns the number of events rewritten.
    """
    patterns = identifier_patterns(replacements)
    emails = [old for old in replacements if old and "@" in old]
    where = (
        Q(actor_id=user_id)
        | Q(organisation_id__in=list(organisation_ids))
        | Q(object_type="accounts.user", object_id=str(user_id))
    )
    for email in emails:
        where |= (
            Q(actor_label__icontains=email)
            | Q(object_label__icontains=email)
            | Q(before_text__icontains=email)
            | Q(after_text__icontains=email)
        )
    candidates = AuditEvent.objects.annotate(
        before_text=Cast("before", TextField()), after_text=Cast("after", TextField())
    ).filter(where)
    rewritten = 0
    on_postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        # A rollback (of this block or a savepoint around it) also undoes the setting.
        if on_postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ketenwacht.audit_erasure', 'on', true)")
        # Read first, then write: SQLite does not isolate a running cursor from updates.
        for event in list(candidates):
            changes = {
                "actor_label": _rewrite(event.actor_label, patterns)[:254],
                "object_label": _rewrite(event.object_label, patterns)[:300],
                "before": _rewrite(event.before, patterns),
                "after": _rewrite(event.after, patterns),
            }
            if event.actor_id == user_id and event.ip_address:
                changes["ip_address"] = None
            changes = {k: v for k, v in changes.items() if v != getattr(event, k)}
            if changes:
                # The plain QuerySet.update: AuditEventQuerySet refuses every other change.
                models.QuerySet.update(AuditEvent.objects.filter(pk=event.pk), **changes)
                rewritten += 1
        if on_postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ketenwacht.audit_erasure', 'off', true)")
    return rewritten
