"""The assessment workflow (DESIGN §5): draft → sent → in_progress → submitted → in_review →
completed, with clarification rounds. Every transition is checked and audited; a wrong
transition raises `Conflict` (HTTP 409) and changes nothing. What follows each step is a
subscriber of its domain event (`manage.py events`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.dates import check_plausible
from portal.core.events import emit
from portal.core.exceptions import Conflict
from portal.core.jobs.models import JobStatus
from suppliers.models import Relationship, RiskCause
from suppliers.risk import (
    Assessed,
    relationship_risk_cache_write,
    relationship_schedule,
    residual_for,
)

from ..findings import findings_generate
from ..library import library_prefill, library_store
from ..models import (
    Answer,
    AnswerMessage,
    Assessment,
    QuestionnaireTemplate,
    TemplateStatus,
    Verdict,
)
from ..selectors import propose_template
from .answers import _question
from .selectors import applicable_questions, progress, score, unscored_codes
from .state import S, _lock, _transition


@transaction.atomic
def assessment_create(
    *, relationship, template, due_date: date | None, actor, message: str = "", request=None
) -> Assessment:
    if template.status != TemplateStatus.PUBLISHED:
        raise ValidationError({"template": _("Only a published questionnaire can be sent.")})
    if template.owner_id not in (None, relationship.care_org_id):
        raise ValidationError({"template": _("Unknown questionnaire.")})
    due = due_date or (timezone.localdate() + timedelta(days=30))
    if due < timezone.localdate():
        raise ValidationError({"due_date": _("The due date lies in the past.")})
    check_plausible(due, "due_date")
    assessment = Assessment.objects.create(
        relationship=relationship,
        template=template,
        due_date=due,
        message=message[:4000],
        created_by=actor,
    )
    audit_record(
        action="assessment.created",
        organisation=relationship.care_org,
        actor=actor,
        obj=assessment,
        after={"template": f"{template.key} v{template.version}", "due_date": due.isoformat()},
        request=request,
    )
    return assessment


@transaction.atomic
def assessment_send(*, assessment: Assessment, actor, request=None) -> Assessment:
    assessment = _lock(assessment)
    _transition(assessment, (S.DRAFT,), S.SENT, actor, request, sent_at=timezone.now())
    emit("assessment.sent", assessment=assessment, actor=actor, request=request)
    return assessment


def assessment_send_short(*, source: Assessment, codes: list[str], actor, request=None):
    """A short questionnaire: `source`'s template, asking only `codes`, on its relationship,
    sent at once and linked to it (`follows_up`). Used for what a copy (from a trust profile, or
    of a joint assessment) could not cover."""
    short = assessment_create(
        relationship=source.relationship,
        template=source.template,
        due_date=None,
        actor=actor,
        request=request,
    )
    short.only_codes, short.follows_up = list(codes), source
    short.save(update_fields=["only_codes", "follows_up"])
    return assessment_send(assessment=short, actor=actor, request=request)


def assessment_prefill(*, assessment: Assessment, **_event) -> int:
    """On sending: the supplier's answer library prefills what it already answered."""
    return library_prefill(assessment=assessment, questions=applicable_questions(assessment))


@transaction.atomic
def assessment_cancel(*, assessment: Assessment, actor, request=None) -> Assessment:
    assessment = _lock(assessment)
    open_states = tuple(s for s in S.values if s not in (S.COMPLETED, S.CANCELLED))
    _transition(assessment, open_states, S.CANCELLED, actor, request)
    emit("assessment.cancelled", assessment=assessment, actor=actor, request=request)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor, request=None) -> Assessment:
    assessment = _lock(assessment)
    if assessment.status not in (S.IN_PROGRESS, S.CLARIFICATION_REQUESTED):
        raise Conflict(
            _("This assessment cannot be submitted now (status: %(s)s).")
            % {"s": assessment.get_status_display().lower()}
        )
    missing = progress(assessment)["required_open_codes"]
    if missing:
        raise ValidationError({"missing": missing})
    # Unconfirmed prefilled answers never reach the care organisation.
    assessment.answers.filter(prefilled=True).delete()
    resubmission = assessment.status == S.CLARIFICATION_REQUESTED
    _transition(
        assessment,
        (S.IN_PROGRESS, S.CLARIFICATION_REQUESTED),
        S.SUBMITTED,
        actor,
        request,
        submitted_at=timezone.now(),
    )
    emit(
        "assessment.submitted",
        assessment=assessment,
        actor=actor,
        request=request,
        resubmission=resubmission,
    )
    return assessment


def assessment_store_library(*, assessment: Assessment, **_event) -> int:
    """On submission: the submitted answers become the supplier's library answers."""
    return library_store(assessment=assessment)


@transaction.atomic
def answer_review(
    *,
    assessment: Assessment,
    code: str,
    verdict: str,
    actor,
    message: str = "",
    score_override=None,
    motivation: str = "",
    request=None,
) -> Answer:
    assessment = _lock(assessment)
    if assessment.status not in (S.SUBMITTED, S.IN_REVIEW):
        raise Conflict(_("Answers can be reviewed only after submission."))
    if verdict not in (Verdict.ACCEPTED, Verdict.CLARIFICATION, Verdict.REJECTED):
        raise ValidationError({"verdict": _("Choose accepted, clarification or rejected.")})
    question = _question(assessment, code)
    if score_override is not None:
        try:
            score_override = Decimal(str(score_override))
        except ArithmeticError as exc:
            raise ValidationError({"score_override": _("Give a score from 0 to 1.")}) from exc
        if not 0 <= score_override <= 1:
            raise ValidationError({"score_override": _("Give a score from 0 to 1.")})
        if not (motivation or "").strip():
            raise ValidationError({"motivation": _("A score override needs a motivation.")})
    answer, _created = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, question=question
    )
    before = {
        "verdict": answer.verdict,
        "score_override": str(answer.score_override) if answer.score_override is not None else None,
    }
    answer.verdict, answer.verdict_message = verdict, (message or "")[:4000]
    answer.score_override = score_override
    answer.override_motivation = (motivation or "")[:4000] if score_override is not None else ""
    answer.reviewed_by, answer.reviewed_at = actor, timezone.now()
    answer.save()
    audit_record(
        action="answer.reviewed",
        organisation=assessment.relationship.care_org,
        actor=actor,
        obj=answer,
        before=before,
        after={
            "code": code,
            "verdict": verdict,
            "score_override": str(score_override) if score_override is not None else None,
            "motivation": answer.override_motivation,
        },
        request=request,
    )
    if message and message.strip():
        AnswerMessage.objects.create(
            answer=answer,
            author=actor,
            organisation=assessment.relationship.care_org,
            body=message.strip()[:4000],
        )
    if assessment.status == S.SUBMITTED:
        _transition(assessment, (S.SUBMITTED,), S.IN_REVIEW, actor, request)
    _provisional(assessment)
    return answer


def _provisional(assessment: Assessment) -> None:
    """Re-score after every review (a verdict or an override can change the score): the result
    the care organisation would get if it completed now, shown while reviewing."""
    result = score(assessment)
    rel = assessment.relationship
    assessment.scores = {
        **(assessment.scores or {}),
        "provisional": {
            "control_score": result.control_score,
            "band": result.band,
            "knockouts": result.knockouts,
            "residual_risk": residual_for(rel, band=result.band, knockouts=result.knockouts),
        },
    }
    Assessment.objects.filter(pk=assessment.pk).update(scores=assessment.scores)


@transaction.atomic
def assessment_request_clarification(*, assessment: Assessment, actor, request=None) -> Assessment:
    assessment = _lock(assessment)
    if assessment.status != S.IN_REVIEW:
        raise Conflict(_("Clarification can be requested only while reviewing."))
    if not assessment.answers.filter(verdict=Verdict.CLARIFICATION).exists():
        raise ValidationError(_("Mark at least one answer for clarification first."))
    _transition(assessment, (S.IN_REVIEW,), S.CLARIFICATION_REQUESTED, actor, request)
    emit("assessment.clarification_requested", assessment=assessment, actor=actor, request=request)
    return assessment


@transaction.atomic
def assessment_complete(*, assessment: Assessment, actor, request=None) -> Assessment:
    """Close the round and score it; everything that depends on the result follows from the
    `assessment.completed` event (`manage.py events` lists the steps in order)."""
    assessment = _lock(assessment)
    if assessment.status not in (S.SUBMITTED, S.IN_REVIEW):
        raise Conflict(_("Only a submitted assessment can be completed."))
    unscored = unscored_codes(assessment)
    if unscored:
        raise ValidationError({"unscored": unscored})
    result = score(assessment)
    rel = assessment.relationship
    assessment.control_score = (
        Decimal(str(result.control_score)) if result.control_score is not None else None
    )
    assessment.control_band = result.band or ""
    assessment.residual_risk = residual_for(rel, band=result.band, knockouts=result.knockouts)
    assessment.scores = {
        "section_scores": result.section_scores,
        "knockouts": result.knockouts,
        "explanation": result.explanation,
    }
    _transition(
        assessment,
        (S.SUBMITTED, S.IN_REVIEW),
        S.COMPLETED,
        actor,
        request,
        completed_at=timezone.now(),
        completed_by=actor,
    )
    emit("assessment.completed", assessment=assessment, result=result, actor=actor, request=request)
    return assessment


def assessment_raise_findings(*, assessment: Assessment, result, actor, **_event) -> int:
    """On completion: a finding for every counted answer that cost points (DESIGN §6.6)."""
    return len(findings_generate(assessment=assessment, result=result, actor=actor))


def relationship_rescore_from(*, assessment: Assessment, result, actor, request, **_event) -> str:
    """On completion: the relationship's cached risk becomes this assessment's result, with a
    history point and an audit event."""
    rel = assessment.relationship
    before = {"residual_risk": rel.residual_risk, "assessed": rel.assessed}
    relationship_risk_cache_write(
        relationship=rel,
        cause=RiskCause.ASSESSMENT,
        assessed=Assessed(assessment.control_score, assessment.control_band, assessment.scores),
        assessment_id=assessment.pk,
    )
    audit_record(
        action="relationship.rescored",
        organisation=rel.care_org,
        actor=actor,
        obj=rel,
        before=before,
        after={
            "residual_risk": rel.residual_risk,
            "control_score": result.control_score,
            "band": result.band,
            "knockouts": result.knockouts,
        },
        request=request,
    )
    return rel.residual_risk


def relationship_schedule_next(*, assessment: Assessment, **_event) -> str:
    """On completion: the next reassessment falls due after the tier's cadence."""
    rel = relationship_schedule(
        relationship=assessment.relationship, completed_on=timezone.localdate()
    )
    return rel.next_assessment_due.isoformat()


def bulk_send(*, job) -> None:
    """Create and send an assessment for every relationship of the job (a Celery task runs it).

    Retry-safe: relationships already handled by this job are skipped.
    """

    params = job.params
    membership = job.user.memberships.filter(organisation=job.organisation, is_active=True).first()
    result = {
        "created": list(job.result.get("created", [])),
        "errors": list(job.result.get("errors", [])),
        "handled": list(job.result.get("handled", [])),
    }
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    template = (
        QuestionnaireTemplate.objects.filter(pk=params.get("template")).first()
        if params.get("template")
        else None
    )
    due = date.fromisoformat(params["due_date"]) if params.get("due_date") else None
    for rel in Relationship.objects.filter(
        care_org=job.organisation, pk__in=params.get("relationships", [])
    ):
        if rel.pk in result["handled"]:
            continue
        chosen = template or propose_template(membership=membership, relationship=rel)
        try:
            a = assessment_create(relationship=rel, template=chosen, due_date=due, actor=job.user)
            assessment_send(assessment=a, actor=job.user)
            result["created"].append(a.pk)
        except (ValidationError, Conflict) as exc:
            result["errors"].append(f"{rel.name}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        result["handled"].append(rel.pk)
        job.done = len(result["handled"])
        job.result = result
        job.save(update_fields=["done", "result"])
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
