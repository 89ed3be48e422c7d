"""A real Celery task through real worker processes on Redis or RabbitMQ (run by .ci/run).

.ci/run starts two `celery worker`s (queues reports; default + mail) against the test database
before this runs; the data written here is committed (transactional test) so the workers see it.
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


def test_bulk_send_job_runs_in_the_worker_with_progress(cast):
    import time

    from portal.core.jobs.models import Job
    from questionnaires.models import Assessment
    from questionnaires.services import template_import
    from questionnaires.tasks import bulk_send
    from tests.access import MINI_TEMPLATE, _relationship

    template_import(data=MINI_TEMPLATE, publish=True)
    rel = _relationship(cast)["relationship"]
    job = Job.objects.create(
        organisation=cast.hospital,
        user=cast.procurement.user,
        kind="bulk_send",
        params={"relationships": [rel.pk]},
        total=1,
    )
    bulk_send.delay(job.pk).get(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == "done" and job.progress == 100
    assert Assessment.objects.filter(relationship=rel, status="sent").count() == 1


def test_rescore_job_runs_in_the_worker_once(cast):
    """A risk-appetite change re-scored by the worker; a second delivery changes nothing."""
    from portal.core.jobs.models import Job
    from suppliers.models import Relationship, RiskHistory
    from suppliers.risk import risk_appetite_set
    from suppliers.services import relationship_create
    from suppliers.tasks import rescore
    from tests.access import _relationship

    rel = _relationship(cast)["relationship"]
    medium = relationship_create(
        care_org=cast.hospital,
        supplier=rel.supplier,
        name="Medium",
        supplier_types=["other"],
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 2},
        actor=cast.procurement.user,
    )
    assert medium.inherent_tier == "medium"
    risk_appetite_set(
        organisation=cast.hospital,
        data={"tier_rules": {"high": {"sum_gte": 6}}},
        actor=cast.ciso.user,
    )
    job = Job.objects.create(
        organisation=cast.hospital, user=cast.ciso.user, kind="rescore", total=2
    )
    rescore.delay(job.pk).get(timeout=60)
    job.refresh_from_db()
    assert (job.status, job.done, job.result["changed"]) == ("done", 2, 1)
    assert Relationship.objects.get(pk=medium.pk).inherent_tier == "high"
    rescore.delay(job.pk).get(timeout=60)  # redelivered: the finished job is left alone
    assert RiskHistory.objects.filter(relationship=medium, cause="appetite").count() == 1
