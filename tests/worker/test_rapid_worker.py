"""The rapid questionnaire (issue 19) sent by a real Celery worker: one job, every relationship
behind the fourth party, with progress (run by .ci/run with workers on Redis and on RabbitMQ)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from portal.core.jobs.models import Job
from questionnaires.rapid.services import rapid_assessment_start
from tests.questionnaires.test_rapid import _supplier

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_rapid_questionnaire_is_sent_by_the_worker_to_everything_behind_a_fourth_party(cast):
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this suite needs a real worker"
    a = _supplier(cast, cast.hospital, "Alfa", "Azure")
    b = _supplier(cast, cast.hospital, "Beta", "Azure B.V.")
    _supplier(cast, cast.hospital, "Gamma", "Andere wolk")  # not behind Azure
    rapid = rapid_assessment_start(
        care_org=cast.hospital, actor=cast.ciso.user, fourth_party="azure"
    )
    job = Job.objects.get(pk=rapid.job_id)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == "done" and job.progress == 100, (job.status, job.done, job.total)
    rapid.refresh_from_db()
    assert {x.relationship_id for x in rapid.assessments.all()} == {a.pk, b.pk}
    assert set(rapid.assessments.values_list("status", flat=True)) == {"sent"}
