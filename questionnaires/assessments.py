"""The assessment workflow (DESIGN §5): draft → sent → in_progress → submitted → in_review →
completed, with clarification rounds. Every transition is checked here and audited; a wrong
transition raises `Conflict` (HTTP 409) and changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import rules
from portal.core.audit.services import audit_record
from portal.core.dates import check_plausible
from portal.core.events import emit
from portal.core.exceptions import Conflict
from suppliers.models import RiskCause
from suppliers.risk import appetite_for, relationship_schedule, risk_record
from suppliers.tiering import residual_risk

from .findings import findings_generate
from .library import library_prefill, library_store
from .models import Answer, Assessment, AssessmentStatus, Question, TemplateStatus, Verdict
from .scoring import AnswerInput, QuestionSpec, score_assessment

S = AssessmentStatus

ANSWERABLE = (S.SENT, S.IN_PROGRESS, S.CLARIFICATION_REQUESTED)


def _lock(assessment: Assessment) -> Assessment:
    """The assessment row, locked until the transaction ends. Only that row (`of`): locking the
    joined organisations and template too would make every autosave of a supplier, or of every
    assessment on one template, wait for each other."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("relationship__care_org", "relationship__supplier", "template")
        .get(pk=assessment.pk)
    )


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
        organisation=assessment.relationship.care_org,
        actor=actor,
        obj=assessment,
        before={"status": before},
        after={"status": target},
        request=request,
    )
    return assessment


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


def applicable_questions(assessment: Assessment, *, defer: tuple = ()):
    """The template's questions that apply to this relationship's supplier types, in order
    (without the `defer` fields: a page that never shows them need not read them)."""
    types = set(assessment.relationship.supplier_types)
    questions = (
        assessment.template.questions.select_related("section")
        .defer(*defer)
        .order_by("section__order", "order", "pk")
    )
    return [q for q in questions if not q.applies_to or types & set(q.applies_to)]


def _facts(assessment: Assessment, answers: dict) -> dict:
    rel = assessment.relationship
    facts = {f"intake.{k}": v for k, v in rel.intake.items()}
    facts.update(
        {
            "supplier.types": rel.supplier_types,
            "relationship.tier": rel.inherent_tier,
            "relationship.status": rel.status,
            "intake.score": rel.inherent_score,
        }
    )
    facts.update({rules.answer_fact(code): a.value for code, a in answers.items()})
    return facts


def visible_questions(
    assessment: Assessment, answers: dict | None = None, *, questions: list | None = None
) -> list[tuple[Question, bool]]:
    """Each applicable question with whether its `show_if` shows it, given these answers.
    Callers that already hold the answers or `applicable_questions` pass them in."""
    answers = answers if answers is not None else answers_by_code(assessment)
    facts = _facts(assessment, answers)
    return [
        (q, q.show_if is None or rules.evaluate_trusted(q.show_if, facts))
        for q in (questions if questions is not None else applicable_questions(assessment))
    ]


def question_for(assessment: Assessment, code: str) -> Question | None:
    """One applicable question by its code (one query: an autosave needs no other)."""
    question = assessment.template.questions.select_related("section").filter(code=code).first()
    types = set(assessment.relationship.supplier_types)
    if question is None or (question.applies_to and not types & set(question.applies_to)):
        return None
    return question


class SectionRef(NamedTuple):
    pk: int
    code: str


class QuestionOutline(NamedTuple):
    """What visibility, progress and assignments need of a question, without its texts."""

    pk: int
    code: str
    section: SectionRef
    required: bool
    show_if: dict | None

    @property
    def section_id(self) -> int:
        return self.section.pk


class AnswerState(NamedTuple):
    value: Any
    prefilled: bool


def question_outline(assessment: Assessment) -> list[QuestionOutline]:
    """`applicable_questions` in outline: light enough to read on every autosave."""
    types = set(assessment.relationship.supplier_types)
    rows = assessment.template.questions.order_by("section__order", "order", "pk").values_list(
        "pk", "code", "section_id", "section__code", "required", "show_if", "applies_to"
    )
    return [
        QuestionOutline(pk, code, SectionRef(section_id, section_code), required, show_if)
        for pk, code, section_id, section_code, required, show_if, applies_to in rows
        if not applies_to or types & set(applies_to)
    ]


def answer_states(assessment: Assessment) -> dict[str, AnswerState]:
    """`answers_by_code` with only what visibility and progress read (value, prefilled)."""
    return {
        code: AnswerState(value, prefilled)
        for code, value, prefilled in assessment.answers.values_list(
            "question__code", "value", "prefilled"
        )
    }


def _question(assessment: Assessment, code: str) -> Question:
    question = question_for(assessment, code)
    if question is None:
        raise ValidationError({"code": _("No such question in this assessment.")})
    return question


def _open_for_answers(assessment: Assessment, code: str) -> tuple[Assessment, Question]:
    """Lock an assessment the supplier may still change and find the question by its code."""
    assessment = _lock(assessment)
    if assessment.status not in ANSWERABLE:
        raise Conflict(
            _("This assessment cannot be answered now (status: %(s)s).")
            % {"s": assessment.get_status_display().lower()}
        )
    return assessment, _question(assessment, code)


def answers_by_code(assessment: Assessment) -> dict[str, Answer]:
    return {a.question.code: a for a in assessment.answers.select_related("question")}


def _is_answered(answer: Answer | AnswerState | None) -> bool:
    return answer is not None and not answer.prefilled and answer.value not in (None, "", [])


def progress(
    assessment: Assessment, *, answers: dict | None = None, questions: list | None = None
) -> dict:
    """Answered and required-open counts over the visible questions. `answers` must be every
    answer by code (prefilled ones too), as `answers_by_code` gives them."""
    answers = answers if answers is not None else answers_by_code(assessment)
    visible = [
        q for q, shown in visible_questions(assessment, answers, questions=questions) if shown
    ]
    answered = sum(1 for q in visible if _is_answered(answers.get(q.code)))
    required_open = [
        q.code for q in visible if q.required and not _is_answered(answers.get(q.code))
    ]
    return {
        "answered": answered,
        "required_open": len(required_open),
        "total": len(visible),
        "required_open_codes": required_open,
    }


DEFAULT_LABELS = {
    "yes": {"nl": "Ja", "en": "Yes"},
    "partial": {"nl": "Gedeeltelijk", "en": "Partially"},
    "no": {"nl": "Nee", "en": "No"},
    "na": {"nl": "N.v.t.", "en": "N/A"},
}


def choices_for(question: Question) -> list[dict]:
    """The answer options a respondent sees: the bank's own, or yes/(partial/)no, plus n.a."""
    defaults = {"yes_no": ["yes", "no"], "yes_partial_no": ["yes", "partial", "no"]}
    choices = question.choices or [
        {"value": v, "label": DEFAULT_LABELS[v]} for v in defaults.get(question.answer_type, [])
    ]
    if question.na_allowed:
        choices = [*choices, {"value": "na", "label": DEFAULT_LABELS["na"]}]
    return choices


def _storable(text: str) -> bool:
    """PostgreSQL stores neither NUL nor lone surrogates (JSON allows both): a 500 before, found
    by fuzzing the API."""
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def validate_value(question: Question, value):
    """The answer value for the question's type (API.md), or ValidationError."""
    t = question.answer_type
    allowed = [c["value"] for c in question.choices] or (
        ["yes", "no"]
        if t == "yes_no"
        else ["yes", "partial", "no"]
        if t == "yes_partial_no"
        else []
    )
    if question.na_allowed:
        allowed = [*allowed, "na"]
    if value is None:
        return None
    if t in ("yes_no", "yes_partial_no", "single_choice"):
        if value not in allowed:
            raise ValidationError({"value": _("Choose one of: %(v)s") % {"v": ", ".join(allowed)}})
    elif t == "multiple_choice":
        if (
            not isinstance(value, list)
            or any(v not in allowed for v in value)
            or len(set(value)) != len(value)
        ):
            raise ValidationError(
                {"value": _("Give a list with values from: %(v)s") % {"v": ", ".join(allowed)}}
            )
    elif t == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 1e12:
            raise ValidationError({"value": _("Give a number.")})
    elif t == "date":
        try:
            day = date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError({"value": _("Give a date as YYYY-MM-DD.")}) from exc
        check_plausible(day)
    elif t == "text":
        if not isinstance(value, str) or len(value) > 10000:
            raise ValidationError({"value": _("Give a text of at most 10,000 characters.")})
        if not _storable(value):
            raise ValidationError(
                {"value": _("The text contains characters that cannot be stored.")}
            )
    elif t == "file":
        raise ValidationError({"value": _("Upload the file as evidence instead.")})
    return value


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    code: str,
    value,
    actor,
    explanation: str = "",
    version: int | None = None,
    request=None,
) -> Answer:
    """Save one answer with optimistic locking; the first saved answer starts the assessment."""
    assessment, question = _open_for_answers(assessment, code)
    value = validate_value(question, value)
    if len(explanation or "") > 4000:
        raise ValidationError({"explanation": _("Use at most 4,000 characters.")})
    answer, _created = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, question=question
    )
    if assessment.status == S.CLARIFICATION_REQUESTED and answer.verdict != Verdict.CLARIFICATION:
        raise Conflict(_("Only the questions sent back for clarification can be changed now."))
    if version is not None and version != answer.version:
        raise Conflict(
            _("Someone else saved this answer meanwhile. Check the newer answer below."),
            current={
                "value": answer.value,
                "explanation": answer.explanation,
                "version": answer.version,
            },
        )
    before = {"value": answer.value, "explanation": answer.explanation}
    answer.value, answer.explanation, answer.prefilled = value, (explanation or ""), False
    answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.version += 1
    answer.save()
    audit_record(
        action="answer.saved",
        organisation=assessment.relationship.care_org,
        actor=actor,
        obj=answer,
        before=before,
        after={"code": code, "value": value, "explanation": answer.explanation},
        request=request,
    )
    if assessment.status == S.SENT:
        _transition(assessment, (S.SENT,), S.IN_PROGRESS, actor, request)
    return answer


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
        from .models import AnswerMessage

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
            "residual_risk": residual_risk(
                rel.inherent_tier,
                result.band,
                result.knockouts,
                appetite_for(rel.care_org)["matrix"],
            ),
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


def score(assessment: Assessment):
    """Run the pure scoring module over this assessment's questions and answers."""
    answers = answers_by_code(assessment)
    specs = [
        QuestionSpec(
            q.code,
            q.section.code,
            q.answer_type,
            q.weight,
            q.knockout,
            tuple(q.choices),
            tuple(q.bands),
            q.reviewer_scored,
            tuple(q.applies_to),
            q.show_if,
        )
        for q in assessment.template.questions.select_related("section").order_by(
            "section__order", "order"
        )
    ]
    inputs = {
        code: AnswerInput(
            a.value, a.verdict, float(a.score_override) if a.score_override is not None else None
        )
        for code, a in answers.items()
    }
    facts = _facts(assessment, answers)
    as_of = (assessment.submitted_at or timezone.now()).date()
    return score_assessment(
        specs,
        inputs,
        supplier_types=assessment.relationship.supplier_types,
        facts=facts,
        as_of=as_of,
        band_thresholds=appetite_for(assessment.relationship.care_org)["band_thresholds"],
    )


@transaction.atomic
def assessment_complete(*, assessment: Assessment, actor, request=None) -> Assessment:
    """Close the round and score it; everything that depends on the result follows from the
    `assessment.completed` event (`manage.py events` lists the steps in order)."""
    assessment = _lock(assessment)
    if assessment.status not in (S.SUBMITTED, S.IN_REVIEW):
        raise Conflict(_("Only a submitted assessment can be completed."))
    result = score(assessment)
    rel = assessment.relationship
    assessment.control_score = (
        Decimal(str(result.control_score)) if result.control_score is not None else None
    )
    assessment.control_band = result.band or ""
    assessment.residual_risk = residual_risk(
        rel.inherent_tier, result.band, result.knockouts, appetite_for(rel.care_org)["matrix"]
    )
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
    rel.control_score, rel.control_band, rel.residual_risk, rel.assessed = (
        assessment.control_score,
        assessment.control_band,
        assessment.residual_risk,
        True,
    )
    rel.risk_explanation = {**rel.risk_explanation, **assessment.scores}
    rel.scored_at = timezone.now()
    rel.save(
        update_fields=[
            "control_score",
            "control_band",
            "residual_risk",
            "assessed",
            "risk_explanation",
            "scored_at",
        ]
    )
    risk_record(rel, RiskCause.ASSESSMENT, assessment_id=assessment.pk)
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


@transaction.atomic
def evidence_from_document(*, assessment: Assessment, code: str, document, actor, request=None):
    """Attach a copy of one of the supplier's shared documents instead of uploading again."""
    if document.supplier_id != assessment.relationship.supplier_id:
        raise ValidationError({"document": _("Pick one of your own documents.")})
    if document.valid_until is not None and document.valid_until < timezone.localdate():
        raise ValidationError(
            {
                "document": _("This document expired on %(date)s; upload a current one.")
                % {"date": document.valid_until.isoformat()}
            }
        )
    with document.file.open("rb") as fh:
        data = fh.read()
    evidence = evidence_add(
        assessment=assessment,
        code=code,
        name=document.name,
        data=data,
        actor=actor,
        request=request,
    )
    evidence.source_document = document
    evidence.save(update_fields=["source_document"])
    return evidence


@transaction.atomic
def evidence_add(*, assessment: Assessment, code: str, name: str, data: bytes, actor, request=None):
    """Attach a checked file to an answer (DESIGN §12); a file question is answered by it."""
    from django.core.files.base import ContentFile

    from portal.core.uploads import check_upload

    from .models import Evidence

    assessment, question = _open_for_answers(assessment, code)
    if question.evidence == "none" and question.answer_type != "file":
        raise ValidationError({"file": _("This question takes no evidence.")})
    checked = check_upload(name, data)
    answer, _created = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, question=question
    )
    if assessment.status == S.CLARIFICATION_REQUESTED and answer.verdict != Verdict.CLARIFICATION:
        raise Conflict(_("Only the questions sent back for clarification can be changed now."))
    evidence = Evidence(
        answer=answer,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save("upload", ContentFile(data), save=False)
    evidence.save()
    if question.answer_type == "file":
        answer.value = [e.name for e in answer.evidence.all()]
        answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.version += 1
    answer.save()
    audit_record(
        action="evidence.added",
        organisation=assessment.relationship.care_org,
        actor=actor,
        obj=evidence,
        after={"code": code, "name": checked.name, "size": checked.size, "sha256": checked.sha256},
        request=request,
    )
    if assessment.status == S.SENT:
        _transition(assessment, (S.SENT,), S.IN_PROGRESS, actor, request)
    return evidence


@transaction.atomic
def answer_message_add(
    *,
    assessment: Assessment,
    code: str,
    body: str,
    membership,
    internal: bool = False,
    request=None,
):
    """Add to an answer's thread. Only the care organisation can write internal notes."""
    from .models import AnswerMessage

    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > 4000:
        raise ValidationError({"body": _("Use at most 4,000 characters.")})
    is_care = membership.organisation.kind == "care"
    if internal and not is_care:
        raise ValidationError({"internal": _("Only the care organisation writes internal notes.")})
    question = _question(assessment, code)
    answer, _created = Answer.objects.get_or_create(assessment=assessment, question=question)
    message = AnswerMessage.objects.create(
        answer=answer,
        author=membership.user,
        organisation=membership.organisation,
        body=body,
        internal=internal,
    )
    audit_record(
        action="answer.note_added" if internal else "answer.message_added",
        organisation=assessment.relationship.care_org,
        actor=membership.user,
        obj=message,
        after={"code": code, "internal": internal},
        request=request,
    )
    return message


def bulk_send(*, job) -> None:
    """Create and send an assessment for every relationship of the job (a Celery task runs it).

    Retry-safe: relationships already handled by this job are skipped.
    """
    from portal.core.jobs.models import JobStatus
    from suppliers.models import Relationship

    from .models import QuestionnaireTemplate
    from .selectors import propose_template

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
