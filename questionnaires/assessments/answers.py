"""The supplier's answers: checking a value against its question, saving it with optimistic
locking, and the message thread per answer."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record
from portal.core.dates import check_plausible
from portal.core.exceptions import Conflict

from ..joint.selectors import in_joint
from ..models import Answer, AnswerMessage, Assessment, Question
from .selectors import AnswerRow, answer_row, question_for
from .state import ANSWERABLE, S, _lock_row, _transition, check_reopened


def _question(assessment: Assessment, code: str) -> Question:
    question = question_for(assessment, code)
    if question is None:
        raise ValidationError({"code": _("No such question in this assessment.")})
    return question


def _open_for_answers(
    assessment: Assessment, code: str, question: Question | None = None, *, locked: bool = False
) -> tuple[Assessment, Question]:
    """Lock an assessment the supplier may still change and find the question by its code
    (`question`: the caller already looked it up with `question_for`; `locked`: the caller
    read the assessment with its row locked in this transaction)."""
    if not locked:
        assessment = _lock_row(assessment)
    if assessment.status not in ANSWERABLE:
        raise Conflict(
            _("This assessment cannot be answered now (status: %(s)s).")
            % {"s": assessment.get_status_display().lower()}
        )
    if question is not None and question.template_id == assessment.template_id:
        if question.code == code:
            return assessment, question
    return assessment, _question(assessment, code)


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
    question: Question | None = None,
) -> Answer:
    """Save one answer with optimistic locking; the first saved answer starts the assessment.
    `question` saves a lookup when the caller holds it (from `question_for` on this
    assessment). The answer's `assessment` is the locked row, with the status after the save."""
    return answer_save_locked(
        assessment=_lock_row(assessment),
        code=code,
        value=value,
        actor=actor,
        explanation=explanation,
        version=version,
        request=request,
        question=question,
    )


def answer_save_locked(
    *,
    assessment: Assessment,
    code: str,
    value,
    actor,
    explanation: str = "",
    version: int | None = None,
    request=None,
    question: Question | None = None,
    row: AnswerRow | None = None,
) -> Answer:
    """`answer_save` for a caller that read `assessment` with its row locked (select for
    update) in the transaction it runs in: the autosave view, whose tenancy check is the lock's
    query, and which may hand in the answer as it read it in that transaction (`row`, from
    `answer_states_and_row`). A refused save raises; the caller's transaction must then end.

    Every save of an answer locks its assessment first, so the answer read under that lock is
    the current one; the update is still made on the version read (a changed row is refused)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("answer_save_locked runs in the caller's transaction")
    assessment, question = _open_for_answers(assessment, code, question, locked=True)
    value = validate_value(question, value)
    if len(explanation or "") > 4000:
        raise ValidationError({"explanation": _("Use at most 4,000 characters.")})
    row = row if row is not None else answer_row(assessment, question)
    _may_save(assessment, row, question.code, version)
    changed = {
        "value": value,
        "explanation": explanation or "",
        "prefilled": False,
        "answered_by_id": getattr(actor, "pk", None),
        "answered_at": timezone.now(),
        "version": row.version + 1,
    }
    answer = _first_answer(assessment, question, changed) if row.pk is None else None
    if answer is None:
        if row.pk is None:  # a colleague's message made the answer meanwhile: save onto it
            row = answer_row(assessment, question)
            _may_save(assessment, row, question.code, version)
            changed["version"] = row.version + 1
        if not Answer.objects.filter(pk=row.pk, version=row.version).update(**changed):
            raise _stale(row)
        answer = _loaded(id=row.pk, assessment_id=assessment.pk, question_id=question.pk, **changed)
    answer.assessment, answer.question = assessment, question
    audit_record(
        action="answer.saved",
        organisation_id=assessment.care_org_id,
        actor=actor,
        obj=answer,
        before={"value": row.value, "explanation": row.explanation},
        after={"code": code, "value": value, "explanation": answer.explanation},
        request=request,
    )
    if assessment.status == S.SENT:
        _transition(assessment, (S.SENT,), S.IN_PROGRESS, actor, request)
    return answer


def _may_save(assessment: Assessment, row: AnswerRow, code: str, version: int | None) -> None:
    """The clarification rule and the version check (a stale edit is refused)."""
    check_reopened(assessment, row, code)
    if version is not None and version != row.version:
        raise _stale(row)


def _stale(row: AnswerRow) -> Conflict:
    return Conflict(
        _("Someone else saved this answer meanwhile. Check the newer answer below."),
        current={"value": row.value, "explanation": row.explanation, "version": row.version},
    )


def _first_answer(assessment: Assessment, question: Question, changed: dict) -> Answer | None:
    """The question's first answer, made with the saved value; None when the row exists after
    all (a message to the question makes an empty answer without the assessment's lock)."""
    try:
        with transaction.atomic():
            return Answer.objects.create(assessment=assessment, question=question, **changed)
    except IntegrityError:
        return None


def _loaded(**values) -> Answer:
    """An answer as the database holds it after an update of these fields: the other fields
    stay deferred (read when used), never defaults that were not saved."""
    names = [f.attname for f in Answer._meta.concrete_fields if f.attname in values]
    return Answer.from_db(router.db_for_write(Answer), names, [values[name] for name in names])


@transaction.atomic
def answer_message_add(
    *,
    assessment: Assessment,
    code: str,
    body: str,
    membership,
    internal: bool = False,
    shared: bool = False,
    request=None,
):
    """Add to an answer's thread. Only the care organisation can write internal notes; in a
    joint assessment it may share one with the other participants (`shared`, an internal note
    the supplier never sees)."""

    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > 4000:
        raise ValidationError({"body": _("Use at most 4,000 characters.")})
    is_care = membership.organisation.kind == "care"
    if internal and not is_care:
        raise ValidationError({"internal": _("Only the care organisation writes internal notes.")})
    if shared and not (is_care and in_joint(assessment)):
        raise ValidationError({"shared": _("Only a note in a joint assessment can be shared.")})
    internal = internal or shared
    question = _question(assessment, code)
    answer, _created = Answer.objects.get_or_create(assessment=assessment, question=question)
    message = AnswerMessage.objects.create(
        answer=answer,
        author=membership.user,
        organisation=membership.organisation,
        body=body,
        internal=internal,
        shared=shared,
    )
    audit_record(
        action="answer.note_added" if internal else "answer.message_added",
        organisation=assessment.relationship.care_org,
        actor=membership.user,
        obj=message,
        after={"code": code, "internal": internal, "shared": shared},
        request=request,
    )
    return message
