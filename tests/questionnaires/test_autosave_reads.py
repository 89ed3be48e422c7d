"""What a leaner autosave reads (issue 21 §2): a published questionnaire's question from the
per-process cache (a copy, forgotten when the question changes), the answer lock without
reading the relationship and template again, and the follow-ups' visibility before a save
decided again only for the rules that name the saved answer."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.exceptions import Conflict
from questionnaires import assessments as svc
from questionnaires.assessments.outline import _template_question
from questionnaires.assessments.selectors import answer_row
from questionnaires.assessments.state import _lock_row
from questionnaires.models import Answer, Assessment, QuestionnaireTemplate
from tests.conftest import client_for
from tests.questionnaires.test_autosave import follow_up_assessment

pytestmark = pytest.mark.django_db


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_a_published_question_is_read_once_and_handed_out_as_a_copy(cast):
    a = follow_up_assessment(cast)
    a = Assessment.objects.select_related("relationship", "template").get(pk=a.pk)
    first, n_first = _queries(lambda: svc.question_for(a, "A-02"))
    again, n_again = _queries(lambda: svc.question_for(a, "A-02"))
    assert (n_first, n_again) == (1, 0)
    assert again.pk == first.pk and again is not first and again.section.code == "A"
    again.text_en = "Changed by one caller only"
    assert svc.question_for(a, "A-02").text_en == "Which cloud regions?"
    assert svc.question_for(a, "NOPE") is None


def test_a_changed_question_is_read_again(cast):
    a = follow_up_assessment(cast)
    a = Assessment.objects.select_related("relationship", "template").get(pk=a.pk)
    question = svc.question_for(a, "A-03")
    question.text_en = "Backups restored and tested?"
    question.save()  # a data fix outside the builder: the cache forgets the template
    fresh, n = _queries(lambda: svc.question_for(a, "A-03"))
    assert n == 1 and fresh.text_en == "Backups restored and tested?"


def test_a_bulk_change_of_questions_is_read_again(cast):
    a = follow_up_assessment(cast)
    a = Assessment.objects.select_related("relationship", "template").get(pk=a.pk)
    assert svc.question_for(a, "A-03").evidence == "none"
    assert [q.evidence for q in svc.question_outline(a) if q.code == "A-03"] == ["none"]
    a.template.questions.filter(code="A-03").update(evidence="required")
    assert svc.question_for(a, "A-03").evidence == "required"
    assert [q.evidence for q in svc.question_outline(a) if q.code == "A-03"] == ["required"]


def test_a_draft_questionnaire_is_never_cached(cast):
    a = follow_up_assessment(cast)
    template = QuestionnaireTemplate.objects.get(pk=a.template_id)
    template.status = "draft"
    _question, n_first = _queries(lambda: _template_question(template, "A-01"))
    _question, n_again = _queries(lambda: _template_question(template, "A-01"))
    assert (n_first, n_again) == (1, 1)


def test_the_answer_lock_reads_the_row_again_but_keeps_what_the_caller_read(cast):
    a = follow_up_assessment(cast)
    a = Assessment.objects.select_related("relationship__care_org", "template").get(pk=a.pk)
    Assessment.objects.filter(pk=a.pk).update(status="in_progress", message="Changed meanwhile")
    with transaction.atomic():
        locked, n = _queries(lambda: _lock_row(a))
    assert n == 1
    assert (locked.status, locked.message) == ("in_progress", "Changed meanwhile")
    assert locked.relationship is a.relationship and locked.template is a.template
    bare = Assessment.objects.get(pk=a.pk)  # nothing cached: read when asked, as ever
    with transaction.atomic():
        locked = _lock_row(bare)
    assert locked.relationship.care_org_id == a.relationship.care_org_id


@pytest.mark.parametrize("saved", ["yes", "no", None])
@pytest.mark.parametrize("before", ["yes", "no", None])
def test_visibility_before_a_save_is_the_same_as_deciding_every_question(cast, before, saved):
    a = follow_up_assessment(cast)
    outline = svc.question_outline(a)
    other = {"A-02": svc.AnswerState("eu", False), "C-01": svc.AnswerState("yes", False)}
    states = {**other, "A-01": svc.AnswerState(before, False)}
    after = {**other, "A-01": svc.AnswerState(saved, False)}
    now = svc.visible_questions(a, after, questions=outline)
    expected = {q.code: shown for q, shown in svc.visible_questions(a, states, questions=outline)}
    assert svc.visible_before(a, now, states, "A-01") == expected
    assert expected["B-01"] is (before == "yes")
    assert svc.progress(a, answers=after, visible=now) == svc.progress(
        a, answers=after, questions=outline
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_the_autosave_reads_the_assessment_with_its_row_lock(cast):
    a = follow_up_assessment(cast)
    client = client_for(cast.respondent)
    url = reverse("assessment_answer_save", kwargs={"pk": a.pk, "code": "C-01"})
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, {"value": "yes", "version": 0}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and Assessment.objects.get(pk=a.pk).status == "in_progress"
    reads = [
        q["sql"] for q in ctx.captured_queries if 'FROM "questionnaires_assessment"' in q["sql"]
    ]
    assert len(reads) == 1 and reads[0].endswith('FOR UPDATE OF "questionnaires_assessment"')


STORED = {
    "A-01": ('ja "zeker" \\ é\t✓ \u2028', False, 'Why: ✓ « quoted » "text"'),
    "A-02": (["eu", "nl"], False, ""),
    "A-03": (None, True, "prefilled, empty"),
    "B-01": ("", False, ""),
    "C-01": ({"nested": [1, 2.5, None]}, False, "line\nbreak"),
}


def _stored(cast) -> Assessment:
    a = follow_up_assessment(cast)
    a = Assessment.objects.select_related("relationship", "template").get(pk=a.pk)
    for code, (value, prefilled, explanation) in STORED.items():
        question = a.template.questions.get(code=code)
        Answer.objects.create(
            assessment=a,
            question=question,
            value=value,
            prefilled=prefilled,
            explanation=explanation,
            version=3,
            verdict="clarification" if code == "C-01" else "",
        )
    return a


def test_the_answers_read_in_plain_sql_are_what_the_orm_reads(cast):
    """The autosave's one read of the answers (plain SQL, codes from the cached outline) gives
    the same states as the ORM, and the saved question's row as `answer_row` reads it."""
    a = _stored(cast)
    orm = {
        code: svc.AnswerState(value, prefilled)
        for code, value, prefilled in a.answers.values_list("question__code", "value", "prefilled")
    }
    svc.question_outline(a)  # the outline is cached: the read is one query
    for code in STORED:
        question = svc.question_for(a, code)
        (states, row), n = _queries(lambda q=question: svc.answer_states_and_row(a, q))
        assert n == 1 and states == orm
        assert [type(s.prefilled) for s in states.values()] == [bool] * len(STORED)
        assert row == svc.AnswerRow(*answer_row(a, question))
        assert (row.value, row.explanation, row.version) == (STORED[code][0], STORED[code][2], 3)
    assert row.verdict == "clarification"
    assert svc.answer_states(a) == orm


def test_the_answers_of_a_draft_are_read_by_the_orm(cast):
    a = _stored(cast)
    a.template.status = "draft"  # a test run of a draft: nothing cached, codes by join
    question = a.template.questions.get(code="A-02")
    (states, row), n = _queries(lambda: svc.answer_states_and_row(a, question))
    assert n == 2 and states["A-02"] == svc.AnswerState(["eu", "nl"], False)
    assert (row.value, row.version) == (["eu", "nl"], 3)


def test_a_first_answer_is_made_with_its_value(cast):
    a = follow_up_assessment(cast)
    a = Assessment.objects.select_related("relationship", "template").get(pk=a.pk)
    with transaction.atomic():
        locked = _lock_row(a)
        saved = svc.answer_save_locked(
            assessment=locked, code="C-01", value="yes", actor=cast.respondent.user, version=0
        )
    stored = Answer.objects.get(pk=saved.pk)
    assert (stored.value, stored.version, stored.answered_by_id) == (
        "yes",
        1,
        cast.respondent.user.pk,
    )
    assert saved.version == 1 and saved.assessment.status == "in_progress"


def test_a_save_onto_an_answer_a_message_made_meanwhile(cast):
    """A message to a question makes its (empty) answer without the assessment's lock: a first
    save that finds the row made after its read saves onto it."""
    a = follow_up_assessment(cast)
    a = Assessment.objects.select_related("relationship", "template").get(pk=a.pk)
    question = a.template.questions.get(code="C-01")
    with transaction.atomic():
        locked = _lock_row(a)
        _states, row = svc.answer_states_and_row(locked, question)
        assert row.pk is None
        Answer.objects.create(assessment=a, question=question)  # the colleague's message
        saved = svc.answer_save_locked(
            assessment=locked,
            code="C-01",
            value="no",
            actor=cast.respondent.user,
            version=0,
            row=row,
            question=question,
        )
    assert Answer.objects.filter(assessment=a, question=question).count() == 1
    assert Answer.objects.get(pk=saved.pk).value == "no" and saved.version == 1


def test_an_answer_changed_after_its_read_is_not_overwritten(cast):
    """The update is made on the version read: a row changed in between is refused (the
    assessment's lock makes this rare; the guard makes it safe)."""
    a = _stored(cast)
    question = a.template.questions.get(code="A-03")
    with transaction.atomic():
        locked = _lock_row(a)
        _states, row = svc.answer_states_and_row(locked, question)
        Answer.objects.filter(pk=row.pk).update(version=4, value="no")
        with pytest.raises(Conflict):
            svc.answer_save_locked(
                assessment=locked,
                code="A-03",
                value="yes",
                actor=cast.respondent.user,
                version=3,
                row=row,
                question=question,
            )
    assert Answer.objects.get(pk=row.pk).value == "no"


def test_the_saved_answer_holds_what_was_saved_and_reads_the_rest_when_asked(cast):
    a = _stored(cast)
    with transaction.atomic():
        saved = svc.answer_save_locked(
            assessment=_lock_row(a),
            code="C-01",
            value="no",
            explanation="Now logged",
            actor=cast.respondent.user,
            version=3,
        )
    assert (saved.value, saved.explanation, saved.version, saved.prefilled) == (
        "no",
        "Now logged",
        4,
        False,
    )
    _verdict, n = _queries(lambda: saved.verdict)  # not saved: read, never a default
    assert n == 1 and saved.verdict == "clarification"
