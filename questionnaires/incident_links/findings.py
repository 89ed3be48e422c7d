"""Raise a finding on an affected relationship from the care organisation's copy of an
incident (DESIGN §13, item 5). The finding lives in questionnaires, the incident one layer
down in suppliers: this module may read both."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.core.audit.services import audit_record
from portal.core.events import emit
from suppliers.risk import appetite_for

from ..models import Finding, FindingStatus
from ..models.templates import Severity


def incident_finding_code(incident) -> str:
    """One finding per incident and relationship: the code stands in for a question code."""
    return f"INC-{incident.pk}"


def _texts(incident) -> dict:
    out = {}
    for lang in ("nl", "en"):
        with override(lang):
            out[f"title_{lang}"] = (
                _("Incident at the supplier: %(title)s") % {"title": incident.title}
            )[:300]
            out[f"advice_{lang}"] = _(
                "Ask the supplier for its analysis of the cause, the measures taken and how a "
                "repeat is prevented; verify them before closing this finding."
            )
    return out


@transaction.atomic
def finding_raise_from_incident(
    *, recipient, relationship, actor, severity: str, request=None
) -> Finding:
    """A finding on one of the affected relationships, owned by the relationship's owner and
    due by the organisation's appetite for that severity. Raising it twice changes nothing."""
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose low, medium, high or critical.")})
    if not recipient.relationships.filter(pk=relationship.pk).exists():
        raise ValidationError({"relationship": _("Choose one of the affected relationships.")})
    incident = recipient.incident
    code = incident_finding_code(incident)
    existing = Finding.objects.filter(relationship=relationship, question_code=code).first()
    if existing is not None:
        return existing
    deadlines = appetite_for(relationship.care_org)["finding_deadlines"]
    due = timezone.localdate() + timedelta(days=deadlines[severity])
    finding = Finding.objects.create(
        relationship=relationship,
        question_code=code,
        severity=severity,
        score=0.0,
        owner=relationship.owner,
        due_date=due,
        status=FindingStatus.OPEN,
        **_texts(incident),
    )
    audit_record(
        action="finding.raised",
        organisation=relationship.care_org,
        actor=actor,
        obj=finding,
        after={
            "code": code,
            "severity": severity,
            "due_date": due.isoformat(),
            "incident": incident.pk,
        },
        request=request,
    )
    emit("finding.raised", finding=finding, actor=actor)
    return finding
