"""Reads of one assessment: which questions apply and are visible, their answers, progress,
the answer options, and the scoring of the answers as they stand."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from django.db import connections, router
from django.utils import timezone

from portal.core import rules
from suppliers.risk import appetite_for
from suppliers.selectors import relationship_facts

from ..models import Answer, Assessment, Evidence, Question, Verdict
from ..scoring import AnswerInput, QuestionSpec, score_assessment
from .outline import (
    QuestionOutline,
    _codes_by_pk,
    _template_outline,
    _template_question,
)


def applicable_questions(assessment: Assessment, *, defer: tuple = ()):
    """The template's questions that apply to this relationship's supplier types, in order
    (without the `defer` fields: a page that never shows them need not read them)."""
    types = assessment.answered_types
    questions = (
        assessment.template.questions.select_related("section")
        .defer(*defer)
        .order_by("section__order", "order", "pk")
    )
    asked = assessment.asked_codes()
    return [
        q
        for q in questions
        if (not q.applies_to or types & set(q.applies_to)) and (asked is None or q.code in asked)
    ]


def assessment_facts(assessment: Assessment, answers: dict) -> dict:
    """The facts this assessment's show_if rules are decided on (with these answers)."""
    return relationship_facts(
        assessment.relationship, {code: a.value for code, a in answers.items()}
    )


def visible_questions(
    assessment: Assessment, answers: dict | None = None, *, questions: list | None = None
) -> list[tuple[Question, bool]]:
    """Each applicable question with whether its `show_if` shows it, given these answers.
    Callers that already hold the answers or `applicable_questions` pass them in."""
    answers = answers if answers is not None else answers_by_code(assessment)
    facts = assessment_facts(assessment, answers)
    return [
        (q, q.show_if is None or rules.evaluate_trusted(q.show_if, facts))
        for q in (questions if questions is not None else applicable_questions(assessment))
    ]


def visible_before(
    assessment: Assessment, now: list[tuple], before: dict, code: str
) -> dict[str, bool]:
    """{code: shown} with the answers `before` a save of question `code`, worked out from the
    visibility after it (`now`, from `visible_questions`): only a question whose show_if names
    that answer can differ, so only those rules are decided again."""
    fact, facts, was = rules.answer_fact(code), None, {}
    for q, shown in now:
        if q.show_if is not None and fact in rules.facts_used(q.show_if):
            if facts is None:
                facts = assessment_facts(assessment, before)
            shown = rules.evaluate_trusted(q.show_if, facts)
        was[q.code] = shown
    return was


def question_for(assessment: Assessment, code: str) -> Question | None:
    """One applicable question by its code (one query, none for a published questionnaire's
    question read before in this process: an autosave needs no other)."""
    types, asked = assessment.answered_types, assessment.asked_codes()
    question = _template_question(assessment.template, code)
    if question is None or (question.applies_to and not types & set(question.applies_to)):
        return None
    if asked is not None and code not in asked:
        return None
    return question


class AnswerState(NamedTuple):
    value: Any
    prefilled: bool


def question_outline(assessment: Assessment) -> list[QuestionOutline]:
    """`applicable_questions` in outline: light enough to read on every autosave."""
    types, asked = assessment.answered_types, assessment.asked_codes()
    return [
        q
        for q, applies_to in _template_outline(assessment.template)
        if (not applies_to or types & set(applies_to)) and (asked is None or q.code in asked)
    ]


class AnswerRow(NamedTuple):
    """One answer as a save reads it, under the assessment's row lock: what the version check,
    the clarification rule and the audit event's "before" need. `pk` None: not answered yet."""

    pk: int | None
    value: Any = None
    explanation: str = ""
    version: int = 0
    verdict: str = ""


def answer_states(assessment: Assessment) -> dict[str, AnswerState]:
    """`answers_by_code` with only what visibility and progress read (value, prefilled)."""
    return answer_states_and_row(assessment, None)[0]


def answer_row(assessment: Assessment, question: Question) -> AnswerRow:
    """The saved question's answer as `AnswerRow` (one query)."""
    row = (
        Answer.objects.filter(assessment_id=assessment.pk, question_id=question.pk)
        .values_list("pk", "value", "explanation", "version", "verdict")
        .first()
    )
    return AnswerRow(*row) if row else AnswerRow(None)


def answer_states_and_row(
    assessment: Assessment, question: Question | None
) -> tuple[dict[str, AnswerState], AnswerRow]:
    """`answer_states` and, in the same query, `answer_row` of `question`: an autosave reads
    the answers once. Of a published questionnaire (every autosave's) the answers are read by
    question id, their codes coming from the cached outline, in plain SQL: for these few
    columns of 300 rows the ORM's own work was three times the query's (BENCHMARKS.md). Only
    the saved question's explanation is read. The caller has scoped the assessment."""
    codes = _codes_by_pk(assessment.template)
    if codes is None:  # not published (a draft's test run): by the ORM
        states = {
            code: AnswerState(value, prefilled)
            for code, value, prefilled in assessment.answers.values_list(
                "question__code", "value", "prefilled"
            )
        }
        return states, answer_row(assessment, question) if question else AnswerRow(None)
    wanted = question.pk if question is not None else None
    states, row = {}, AnswerRow(None)
    for question_id, value, prefilled, pk, explanation, version, verdict in _answer_rows(
        assessment.pk, wanted
    ):
        value = _stored_json(value)
        code = codes.get(question_id)
        if code is not None:
            states[code] = AnswerState(value, bool(prefilled))
        if question_id == wanted:
            row = AnswerRow(pk, value, explanation, version, verdict)
    return states, row


_ANSWER_ROWS = (
    "SELECT question_id, value, prefilled, id, "
    "CASE WHEN question_id = %s THEN explanation ELSE '' END, version, verdict "
    "FROM questionnaires_answer WHERE assessment_id = %s"
)


def _stored_json(stored: str | None):
    """An answer's value from its stored JSON text (as the JSON field reads it). Most values
    are a choice: a JSON string without escapes is its own text between the quotes."""
    if stored is None:
        return None
    if stored[:1] == '"' and "\\" not in stored:
        return stored[1:-1]
    return json.loads(stored)


def _answer_rows(assessment_id: int, question_id: int | None) -> list[tuple]:
    """(question id, value as stored, prefilled, id, explanation of `question_id` only,
    version, verdict) of every answer of the assessment, on the connection its writes use."""
    db = connections[router.db_for_write(Answer)]
    with db.cursor() as cursor:
        cursor.execute(_ANSWER_ROWS, [question_id or 0, assessment_id])
        return cursor.fetchall()


def answers_by_code(assessment: Assessment) -> dict[str, Answer]:
    return {a.question.code: a for a in assessment.answers.select_related("question")}


def _is_answered(answer: Answer | AnswerState | None) -> bool:
    return answer is not None and not answer.prefilled and answer.value not in (None, "", [])


def evidence_codes(assessment: Assessment) -> set[str]:
    """Codes of the questions whose answer has at least one file attached."""
    return set(
        Evidence.objects.filter(answer__assessment=assessment).values_list(
            "answer__question__code", flat=True
        )
    )


def _needs_evidence(question, answer) -> bool:
    """Required evidence is owed by a visible question that must be answered or was answered
    (an n.a. answer owes none)."""
    if question.evidence != "required":
        return False
    if answer is not None and answer.value == "na":
        return False
    return question.required or _is_answered(answer)


def progress(
    assessment: Assessment,
    *,
    answers: dict | None = None,
    questions: list | None = None,
    evidence: set[str] | None = None,
    visible: list[tuple] | None = None,
) -> dict:
    """Answered and required-open counts over the visible questions: the one place that says
    what is still missing before submission (a required answer, or a file for evidence marked
    required). `answers` must be every answer by code (prefilled ones too), as
    `answers_by_code` gives them; `evidence` the codes with a file (`evidence_codes`);
    `visible` what `visible_questions` gave for these answers, when the caller has it."""
    answers = answers if answers is not None else answers_by_code(assessment)
    if visible is None:
        visible = visible_questions(assessment, answers, questions=questions)
    visible = [q for q, shown in visible if shown]
    answered = sum(1 for q in visible if _is_answered(answers.get(q.code)))
    owing = [q for q in visible if _needs_evidence(q, answers.get(q.code))]
    if owing and evidence is None:
        evidence = evidence_codes(assessment)
    no_file = [q.code for q in owing if q.code not in evidence]
    required_open = [
        q.code
        for q in visible
        if (q.required and not _is_answered(answers.get(q.code))) or q.code in no_file
    ]
    return {
        "answered": answered,
        "required_open": len(required_open),
        "total": len(visible),
        "required_open_codes": required_open,
        "evidence_open_codes": no_file,
    }


REVIEW_SCORED_TYPES = ("text", "file")  # the types a reviewer's verdict scores (DESIGN §6.3)


def needs_reviewer_score(question, answer) -> bool:
    """A reviewer-scored answer nobody has scored yet: answered (not n.a.), without an accept or
    reject verdict and without a score override. Completing would silently count it as 0."""
    if not question.reviewer_scored or question.answer_type not in REVIEW_SCORED_TYPES:
        return False
    if not _is_answered(answer) or answer.value == "na":
        return False
    return answer.verdict not in (Verdict.ACCEPTED, Verdict.REJECTED) and (
        answer.score_override is None
    )


def unscored_codes(assessment: Assessment) -> list[str]:
    """The visible questions that still need the reviewer's score, in page order."""
    answers = answers_by_code(assessment)
    return [
        q.code
        for q, shown in visible_questions(assessment, answers)
        if shown and needs_reviewer_score(q, answers.get(q.code))
    ]


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


def score(assessment: Assessment):
    """Run the pure scoring module over this assessment's questions and answers."""
    answers = answers_by_code(assessment)
    asked = assessment.asked_codes()
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
        if asked is None or q.code in asked
    ]
    inputs = {
        code: AnswerInput(
            a.value, a.verdict, float(a.score_override) if a.score_override is not None else None
        )
        for code, a in answers.items()
    }
    facts = assessment_facts(assessment, answers)
    as_of = (assessment.submitted_at or timezone.now()).date()
    return score_assessment(
        specs,
        inputs,
        supplier_types=assessment.relationship.supplier_types,
        facts=facts,
        as_of=as_of,
        band_thresholds=appetite_for(assessment.relationship.care_org)["band_thresholds"],
    )
