"""The assessment's state machine (DESIGN §5): the row lock, the checked and audited transition,
and which states take answers. Shared by the workflow, answers and evidence modules."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.exceptions import Conflict

from ..joint.selectors import asked_jointly
from ..models import OPEN_FOR_SUPPLIER, Assessment, AssessmentStatus, Verdict

S = AssessmentStatus


ANSWERABLE = OPEN_FOR_SUPPLIER  # the supplier answers while the round is open for it


def _lock(assessment: Assessment) -> Assessment:
    """The assessment row, locked until the transaction ends. Only that row (`of`): locking the
    joined organisations and template too would make every autosave of a supplier, or of every
    assessment on one template, wait for each other."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("relationship__care_org", "relationship__supplier", "template")
        .get(pk=assessment.pk)
    )


def _lock_row(assessment: Assessment) -> Assessment:
    """The assessment row locked and read again, its own columns only: the answers and files
    change nothing but this row (and their own), so the caller's relationship, organisations
    and template are kept instead of read again under the lock (most of `_lock`'s cost)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    for field in ("relationship", "template"):
        descriptor = getattr(Assessment, field)
        if descriptor.is_cached(assessment):
            setattr(locked, field, getattr(assessment, field))
    return locked


def _transition(
    assessment: Assessment, allowed: tuple, target: str, actor, request=None, **fields
) -> Assessment:
    if assessment.status not in allowed:
        raise Conflict(
            _("This assessment is %(status)s; that step is not possible now.")
            % {"status": assessment.get_status_display().lower()}
        )
    before = assessment.status
    assessment.status = target
    for key, value in fields.items():
        setattr(assessment, key, value)
    assessment.save()
    audit_record(
        action=f"assessment.{target}",
        organisation_id=assessment.care_org_id,
        actor=actor,
        obj=assessment,
        before={"status": before},
        after={"status": target},
        request=request,
    )
    return assessment


def check_reopened(assessment: Assessment, answer, code: str) -> None:
    """During a clarification round the supplier changes only what was sent back: an answer
    the care organisation marked for clarification, or one a joint assessment's participant
    asked about (DESIGN §14). Anything else is a Conflict."""
    if (
        assessment.status == S.CLARIFICATION_REQUESTED
        and answer.verdict != Verdict.CLARIFICATION
        and not asked_jointly(assessment, code)
    ):
        raise Conflict(_("Only the questions sent back for clarification can be changed now."))
