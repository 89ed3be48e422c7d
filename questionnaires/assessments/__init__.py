"""Assessments (DESIGN §5): one questionnaire sent to one relationship, answered by the supplier
and reviewed by the care organisation. A package per concern:

- `workflow`: create, send, submit, review, clarification, complete (and their event steps);
- `answers`: checking and saving answers, the message thread;
- `evidence`: uploads and shared documents as evidence;
- `selectors`: which questions apply, progress, answer options, the score as it stands;
- `outline`: the per-process cache of a published questionnaire's outline and questions;
- `state`: the row lock and the audited transition they share.

Everything public is importable from here, as `from questionnaires import assessments as svc`.
"""

from .answers import answer_message_add, answer_save, answer_save_locked, validate_value
from .evidence import evidence_add, evidence_from_document
from .outline import QuestionOutline, SectionRef
from .progress_list import progress_of_many
from .selectors import (
    DEFAULT_LABELS,
    AnswerRow,
    AnswerState,
    answer_states,
    answer_states_and_row,
    answers_by_code,
    applicable_questions,
    assessment_facts,
    choices_for,
    evidence_codes,
    needs_reviewer_score,
    progress,
    question_for,
    question_outline,
    score,
    unscored_codes,
    visible_before,
    visible_questions,
)
from .state import ANSWERABLE, S, _lock, _transition
from .workflow import (
    answer_review,
    assessment_cancel,
    assessment_complete,
    assessment_create,
    assessment_prefill,
    assessment_raise_findings,
    assessment_request_clarification,
    assessment_send,
    assessment_store_library,
    assessment_submit,
    bulk_send,
    relationship_rescore_from,
    relationship_schedule_next,
)

__all__ = [
    "ANSWERABLE",
    "DEFAULT_LABELS",
    "AnswerRow",
    "AnswerState",
    "QuestionOutline",
    "S",
    "SectionRef",
    "_lock",
    "_transition",
    "answer_message_add",
    "answer_review",
    "answer_save",
    "answer_save_locked",
    "answer_states",
    "answer_states_and_row",
    "answers_by_code",
    "applicable_questions",
    "assessment_cancel",
    "assessment_complete",
    "assessment_create",
    "assessment_facts",
    "assessment_prefill",
    "assessment_raise_findings",
    "assessment_request_clarification",
    "assessment_send",
    "assessment_store_library",
    "assessment_submit",
    "bulk_send",
    "choices_for",
    "evidence_codes",
    "evidence_add",
    "evidence_from_document",
    "needs_reviewer_score",
    "progress",
    "progress_of_many",
    "question_for",
    "question_outline",
    "relationship_rescore_from",
    "relationship_schedule_next",
    "score",
    "validate_value",
    "unscored_codes",
    "visible_before",
    "visible_questions",
]
