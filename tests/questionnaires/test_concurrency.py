"""Concurrent saves of one answer on PostgreSQL: exactly one wins, the other gets a conflict."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from portal.core.exceptions import Conflict
from questionnaires import assessments as svc
from questionnaires.models import Answer
from tests.access import assessment_at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (run in CI)"
    ),
]


def test_two_saves_with_the_same_version_one_wins(cast):
    a = assessment_at(cast, "in_progress")["assessment"]  # answer A-01 at version 1
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(value):
        try:
            barrier.wait()
            svc.answer_save(
                assessment=a, code="A-01", value=value, version=1, actor=cast.supplier_owner.user
            )
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(v,)) for v in ("yes", "no")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Answer.objects.get(assessment=a).version == 2
