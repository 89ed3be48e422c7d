"""A worker killed while it waits for a webhook receiver's answer: the message is delivered
again by the next worker (at least once), with the same `webhook-id` and a valid signature.

Run by .ci/run with the other fault tests (Redis + PostgreSQL): pytest -m fault
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.utils import timezone

from portal.core.webhooks.models import Delivery
from portal.core.webhooks.services import webhook_create
from tests.webhooks.receiver import Receiver, verify

from .test_worker_faults import (
    VISIBILITY_TIMEOUT,
    Workers,
    _restart_after_visibility_timeout,
    pytestmark,  # noqa: F401 - fault marker, PostgreSQL and Redis only
)

ENV = {"WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"}


@pytest.fixture
def workers(tmp_path):
    w = Workers(tmp_path, env=ENV)
    yield w
    w.stop_all()


def test_worker_killed_mid_delivery_delivers_again_with_the_same_id(cast, workers):
    receiver = Receiver(hold=threading.Event()).start()
    try:
        endpoint, secret = webhook_create(
            organisation=cast.hospital,
            url=receiver.url(),
            events=["assessment.completed"],
            actor=cast.care_admin.user,
        )
        payload = {
            "type": "assessment.completed",
            "timestamp": timezone.now().isoformat(),
            "data": {"assessment": 1, "care_organisation": cast.hospital.pk},
        }
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            message_id="evt_fault",
            event_type=payload["type"],
            payload=payload,
            due_at=timezone.now(),
        )
        first = workers.start()
        workers.send("webhooks.deliver", delivery.pk)
        workers.wait_for(receiver.got_request.is_set, "the first request at the receiver")
        workers.kill(first)  # while the receiver still holds the request open
        killed_at = time.monotonic()
        receiver.hold.set()
        delivery.refresh_from_db()
        assert delivery.state == "pending"  # no outcome recorded by the dead worker

        _restart_after_visibility_timeout(workers, killed_at)
        workers.wait_for(
            lambda: Delivery.objects.get(pk=delivery.pk).state != "pending",
            "the delivery by the second worker",
            timeout=60 + VISIBILITY_TIMEOUT,
        )
        delivery.refresh_from_db()
        assert (delivery.state, delivery.status_code) == ("succeeded", 200), workers.logs()
        assert len(receiver.received) >= 2
        assert {r.headers["webhook-id"] for r in receiver.received} == {"evt_fault"}
        assert all(verify(secret=secret, headers=r.headers, body=r.body) for r in receiver.received)
        assert json.loads(receiver.received[-1].body) == payload
        assert Delivery.objects.filter(endpoint=endpoint).count() == 1  # no retry needed
    finally:
        receiver.stop()
