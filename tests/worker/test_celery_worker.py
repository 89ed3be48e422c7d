"""A real Celery task through a real worker process on Redis (run by .ci/run).

.ci/run starts `celery worker` against the test database before this runs; the data written
here is committed (transactional test) so the worker sees it.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from portal.core.accounts.services import member_add, organisation_create
from portal.core.audit.models import AuditEvent
from portal.top.dashboards.tasks import worker_selftest

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_task_runs_in_worker_and_writes_result():
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this suite needs a real worker"
    assert settings.CELERY_BROKER_URL.startswith(("redis://", "amqp://"))
    org = organisation_create(slug="worker-test", name="Worker Test", kind="care")
    member_add(organisation=org, email="w@worker.test", role="admin")
    result = worker_selftest.delay(org.pk)
    value = result.get(timeout=60)
    assert value == {"organisation": "worker-test", "members": 1}
    assert AuditEvent.objects.filter(action="worker.selftest", organisation=org).count() == 1
