"""Parallel autosaves of one answer from the same base version (DESIGN §12): exactly one wins,
every other save gets the conflict with the winner's answer, nothing is silently overwritten."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from portal.core.audit.models import AuditEvent
from portal.core.exceptions import Conflict
from questionnaires import assessments as svc
from questionnaires.models import Answer
from tests.access import assessment_at
from tests.conftest import api_client_for

from .parallel import concurrent_db, run_together

pytestmark = [pytest.mark.django_db(transaction=True), concurrent_db]


def _saved_events(answer: Answer):
    return AuditEvent.objects.filter(
        action="answer.saved", object_type="questionnaires.answer", object_id=str(answer.pk)
    ).order_by("pk")


def test_two_autosaves_from_one_version_one_wins_and_the_other_conflicts(cast):
    a = assessment_at(cast, "in_progress")["assessment"]  # A-01 answered "no", version 1
    answer = Answer.objects.get(assessment=a)
    events_before = _saved_events(answer).count()
    edits = [("yes", "owner: MFA everywhere"), ("no", "respondent: not yet")]

    def save(value, explanation, user):
        return lambda: svc.answer_save(
            assessment=a, code="A-01", value=value, explanation=explanation, version=1, actor=user
        )

    outcomes = run_together(
        save(*edits[0], cast.supplier_owner.user), save(*edits[1], cast.respondent.user)
    )

    winners = [i for i, o in enumerate(outcomes) if o.error is None]
    losers = [o for o in outcomes if o.error is not None]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0].error, Conflict)
    value, explanation = edits[winners[0]]
    answer.refresh_from_db()
    assert (answer.value, answer.explanation, answer.version) == (value, explanation, 2)
    # The loser is told what is stored now, so the page can show the newer answer.
    assert losers[0].error.current == {"value": value, "explanation": explanation, "version": 2}
    events = list(_saved_events(answer))
    assert len(events) == events_before + 1
    assert events[-1].after["value"] == value and events[-1].before["value"] == "no"


def test_parallel_first_saves_over_the_api_create_one_answer(cast):
    """Three clients save the still unanswered question at once (base version 0)."""
    a = assessment_at(cast, "sent")["assessment"]
    url = reverse("assessment-answer", kwargs={"pk": a.pk, "code": "A-01"})
    clients = [api_client_for(m) for m in (cast.supplier_owner, cast.respondent)]
    clients.append(api_client_for(cast.supplier_owner))
    bodies = [
        {"value": v, "explanation": f"client {i}", "version": 0}
        for i, v in enumerate(("yes", "no", "yes"))
    ]

    def put(client, body):
        return lambda: client.put(url, data=json.dumps(body), content_type="application/json")

    outcomes = run_together(*(put(c, b) for c, b in zip(clients, bodies, strict=True)))

    assert all(o.error is None for o in outcomes)
    statuses = sorted(o.value.status_code for o in outcomes)
    assert statuses == [200, 409, 409]
    winner = next(i for i, o in enumerate(outcomes) if o.value.status_code == 200)
    answer = Answer.objects.get(assessment=a)
    assert (answer.value, answer.explanation, answer.version) == (
        bodies[winner]["value"],
        f"client {winner}",
        1,
    )
    for o in outcomes:
        if o.value.status_code == 409:
            assert o.value.json()["current"]["version"] == 1
    a.refresh_from_db()
    assert a.status == "in_progress"
    assert (
        AuditEvent.objects.filter(action="assessment.in_progress", object_id=str(a.pk)).count() == 1
    )
    assert _saved_events(answer).count() == 1
