"""Webhooks through a real Celery worker: a completed assessment reaches the care
organisation's receiver signed, a 500 is retried by the worker, and another organisation's
receiver gets nothing.

Event subscribers and webhook deliveries run on the "mail" queue, served by the worker suite's
`default,mail` worker (.ci/run); its settings allow loopback receivers (DJANGO_DEBUG is on there).
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from portal.core.webhooks import services
from portal.core.webhooks.models import Delivery
from questionnaires import assessments as svc
from tests.access import assessment_at
from tests.concurrency.parallel import postgres_only
from tests.webhooks.receiver import Receiver, verify

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    postgres_only,
]


def wait_for(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"no {what} within {timeout} s"
        time.sleep(0.2)


def test_completed_assessment_is_delivered_signed_by_the_worker_and_retried(cast):
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this suite needs a real worker"
    ours = Receiver(statuses=[500, 200]).start()
    theirs = Receiver().start()
    try:
        endpoint, secret = services.webhook_create(
            organisation=cast.hospital,
            url=ours.url(),
            events=["assessment.completed"],
            actor=cast.care_admin.user,
        )
        other, _ = services.webhook_create(
            organisation=cast.other_care,
            url=theirs.url(),
            events=["assessment.completed"],
            actor=cast.other_care_admin.user,
        )
        world = assessment_at(cast, "in_review")
        a = svc.assessment_complete(assessment=world["assessment"], actor=cast.ciso.user)

        wait_for(lambda: len(ours.received) >= 1, "the first attempt", timeout=90)
        wait_for(
            lambda: Delivery.objects.filter(endpoint=endpoint, attempt=2).exists(),
            "the retry scheduled after the 500",
        )
        retry = Delivery.objects.get(endpoint=endpoint, attempt=2)
        with time_machine.travel(retry.due_at + timedelta(seconds=1), tick=True):
            assert services.deliveries_send_due() == 1  # what Celery beat runs every 30 s
        wait_for(
            lambda: Delivery.objects.get(pk=retry.pk).state == "succeeded", "the second attempt"
        )

        first, second = ours.received[:2]
        for got in (first, second):
            assert verify(secret=secret, headers=got.headers, body=got.body)
            body = json.loads(got.body)
            assert body["type"] == "assessment.completed"
            assert body["data"]["assessment"] == a.pk
        assert first.headers["webhook-id"] == second.headers["webhook-id"]
        assert Delivery.objects.get(endpoint=endpoint, attempt=1).status_code == 500
        time.sleep(1)
        assert theirs.received == [] and not Delivery.objects.filter(endpoint=other).exists()
    finally:
        ours.stop()
        theirs.stop()
