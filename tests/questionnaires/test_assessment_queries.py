"""The questionnaire page and one autosave issue the same number of queries for 10 questions as
for 200, answered or not, on both sides (issue 4: fluid with 300 questions)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questionnaires import assessments as svc
from questionnaires.models import Answer, Assignment
from questionnaires.services import template_publish
from tests.access import _relationship
from tests.conftest import client_for
from tests.questionnaires.test_builder import _bulk_template


def _assessment(cast, rel, n: int, key: str):
    t = _bulk_template(n, key)
    t.questions.update(evidence="optional")
    t = template_publish(template=t, actor=cast.ciso.user)
    a = svc.assessment_create(
        relationship=rel, template=t, due_date=None, actor=cast.procurement.user
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    # Answer every question (directly: 200 autosaves would only slow the test down) and give
    # the supplier a colleague with an assignment, so every optional part of the page renders.
    Answer.objects.bulk_create(
        Answer(assessment=a, question=q, value="yes", version=1, answered_by=cast.respondent.user)
        for q in t.questions.all()
    )
    Assignment.objects.create(
        assessment=a, section_code="S0", assignee=cast.respondent.user, assigned_by=None
    )
    return a


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def test_page_and_autosave_queries_do_not_grow_with_questions(cast):
    rel = _relationship(cast)["relationship"]
    small, large = _assessment(cast, rel, 10, "small"), _assessment(cast, rel, 200, "large")
    supplier, care = client_for(cast.respondent), client_for(cast.ciso)
    for client in (supplier, care):
        client.get(reverse("assessment_list"))  # warm up: session and language set once
        counts = [
            _count(lambda a=a, c=client: c.get(reverse("assessment_detail", kwargs={"pk": a.pk})))
            for a in (small, large)
        ]
        assert counts[0] == counts[1], f"page: {counts} queries for 10 and 200 questions"

    def save(a):
        answer = a.answers.get(question__code="Q-001")
        return supplier.post(
            reverse("assessment_answer_save", kwargs={"pk": a.pk, "code": "Q-001"}),
            {"value": "no", "version": answer.version},
            HTTP_HX_REQUEST="true",
        )

    counts = [_count(lambda a=a: save(a)) for a in (small, large)]
    assert counts[0] == counts[1], f"autosave: {counts} queries for 10 and 200 questions"
    assert small.answers.get(question__code="Q-001").value == "no"
