"""What a participant of a joint assessment does with its own copy (DESIGN §14): adopt the
lead's verdicts in one action, and send what was not asked to the supplier."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.exceptions import Conflict

from ..assessments.selectors import applicable_questions
from ..assessments.state import S, _lock, _transition
from ..assessments.workflow import _provisional, assessment_send_short
from ..models import Answer, Verdict
from .services import _audit


@transaction.atomic
def adopt_lead_verdicts(*, assessment, actor, request=None) -> int:
    """One action: the participant takes the lead's accepted and rejected verdicts (with any
    score override and its motivation) for every answer it has not reviewed itself and that
    is the same answer the lead reviewed. Its own verdicts are never overwritten."""
    copy = _lock(assessment)
    if copy.joint_source_id is None:
        raise ValidationError(_("Only a participant's copy in a joint assessment adopts verdicts."))
    if copy.status not in (S.SUBMITTED, S.IN_REVIEW):
        raise Conflict(_("Answers can be reviewed only after submission."))
    lead = {
        a.question_id: a
        for a in Answer.objects.filter(
            assessment_id=copy.joint_source_id,
            verdict__in=(Verdict.ACCEPTED, Verdict.REJECTED),
        )
    }
    now, adopted = timezone.now(), 0
    for mine in copy.answers.filter(verdict=Verdict.NONE):
        theirs = lead.get(mine.question_id)
        if theirs is None or (theirs.value, theirs.explanation) != (mine.value, mine.explanation):
            continue
        mine.verdict, mine.score_override = theirs.verdict, theirs.score_override
        mine.override_motivation = theirs.override_motivation
        mine.reviewed_by, mine.reviewed_at = actor, now
        mine.save()
        adopted += 1
    if adopted and copy.status == S.SUBMITTED:
        _transition(copy, (S.SUBMITTED,), S.IN_REVIEW, actor, request)
    _audit(
        "joint.verdicts_adopted", copy.relationship.care_org, actor, copy, request, count=adopted
    )
    if adopted:
        _provisional(copy)
    return adopted


def not_asked(seat) -> list[str]:
    """Codes of questions that apply to the participant's own relationship (its supplier types)
    but were not asked of the supplier: it joined after the supplier had submitted."""
    copy = seat.assessment
    if copy is None:
        return []
    asked = seat.joint.lead.answered_types
    return [
        q.code for q in applicable_questions(copy) if q.applies_to and not asked & set(q.applies_to)
    ]


@transaction.atomic
def ask_not_asked(*, seat, actor, request=None):
    """A late participant sends the questions that apply to its own relationship but were not
    asked in the joint assessment to the supplier, as a short questionnaire of its own."""
    codes = not_asked(seat)
    if not codes:
        raise ValidationError(_("Every question that applies to you was asked."))
    if (
        seat.assessment.follow_ups.filter(only_codes__isnull=False)
        .exclude(status=S.CANCELLED)
        .exists()
    ):
        raise Conflict(_("These questions have already been sent to the supplier."))
    short = assessment_send_short(source=seat.assessment, codes=codes, actor=actor, request=request)
    _audit("joint.not_asked_sent", seat.care_org, actor, short, request, codes=codes)
    return short
