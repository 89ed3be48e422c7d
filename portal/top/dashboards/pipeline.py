"""Procurement's pipeline: every live relationship by stage, with where its assessment and its
contract stand. A fixed number of queries whatever the number of relationships."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import ChecklistItem, Contract
from questionnaires.models import OPEN_FOR_SUPPLIER, Assessment
from suppliers.models import RelationshipStatus
from suppliers.selectors import relationships_for

STAGES = (RelationshipStatus.PROSPECT, RelationshipStatus.ACTIVE, RelationshipStatus.ENDING)
NOTICE_HORIZON = 90


def _contract_state(contract, today) -> tuple[str, str, object]:
    """(state, label, notice deadline) of a relationship's current contract."""
    if contract is None:
        return "none", _("No contract registered"), None
    if contract.end_date is not None and contract.end_date < today:
        return "ended", _("Contract ended"), None
    deadline = contract.notice_deadline
    if deadline is not None and today <= deadline <= today + timedelta(days=NOTICE_HORIZON):
        return "notice", _("Notice deadline soon"), deadline
    if contract.start_date > today:
        return "signed", _("Signed, not started"), deadline
    return "running", _("Running"), deadline


def _assessment_label(assessment) -> str:
    """Where the latest questionnaire stands, in words that cannot be read as the
    relationship's own state (a bare "Concept" next to a live relationship misled people)."""
    if assessment is None:
        return _("No assessment yet")
    if assessment.status == "draft":
        return _("questionnaire drafted, not sent yet")
    return str(assessment.get_status_display()).lower()


def pipeline(membership, today=None) -> list[dict]:
    today = today or timezone.localdate()
    rels = list(
        relationships_for(membership=membership)
        .filter(status__in=STAGES)
        .annotate(
            latest_assessment=Subquery(
                Assessment.objects.filter(relationship=OuterRef("pk"))
                .exclude(status="cancelled")
                .order_by("-created_at", "-pk")
                .values("pk")[:1]
            ),
            latest_contract=Subquery(
                Contract.objects.filter(relationship=OuterRef("pk"))
                .order_by("-start_date", "-pk")
                .values("pk")[:1]
            ),
        )
    )
    assessments = Assessment.objects.in_bulk(
        [r.latest_assessment for r in rels if r.latest_assessment]
    )
    contracts = Contract.objects.in_bulk([r.latest_contract for r in rels if r.latest_contract])
    missing = dict(
        ChecklistItem.objects.filter(relationship__in=[r.pk for r in rels])
        .open_must()
        .order_by()
        .values_list("relationship_id")
        .annotate(n=Count("pk"))
    )
    columns = {stage: {"stage": stage, "label": stage.label, "items": []} for stage in STAGES}
    for rel in rels:
        assessment = assessments.get(rel.latest_assessment)
        contract = contracts.get(rel.latest_contract)
        state, label, deadline = _contract_state(contract, today)
        columns[rel.status]["items"].append(
            {
                "rel": rel,
                "assessment": assessment,
                "assessment_label": _assessment_label(assessment),
                "assessment_overdue": bool(
                    assessment
                    and assessment.status in OPEN_FOR_SUPPLIER
                    and assessment.due_date < today
                ),
                "contract": contract,
                "contract_state": state,
                "contract_label": label,
                "notice_deadline": deadline,
                "must_missing": missing.get(rel.pk, 0),
            }
        )
    return list(columns.values())
