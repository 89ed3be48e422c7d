"""Celery queues (DESIGN §16): reports on "reports", e-mail, notices and webhook delivery on
"mail", the rest on "default". The routing is resolved here without a worker; the tests marked
celery_worker run against the two workers .ci/run starts (`-Q reports -n reports@…` and
`-Q default,mail -n main@…`) and check which of them really ran the task."""

from __future__ import annotations

import pytest
from django.conf import settings

from portal.celery import app


def _queue(task_name: str, **options) -> str:
    return app.amqp.router.route(options, task_name)["queue"].name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("reports.generate", "reports"),
        ("events.deliver", "default"),
        ("portal.daily", "default"),
        ("suppliers.rescore", "default"),
        ("questionnaires.bulk_send", "default"),
        ("portal.worker_selftest", "default"),
        # The places kept for webhook delivery and mail tasks.
        ("portal.core.webhooks.deliver", "mail"),
        ("webhooks.deliver", "mail"),
        ("portal.core.webhooks.tasks.deliver_webhook", "mail"),
        ("notifications.send_digest", "mail"),
    ],
)
def test_tasks_are_routed_to_their_queue(task, queue):
    assert _queue(task) == queue


def test_every_task_of_the_portal_has_a_declared_queue():
    app.loader.import_default_modules()
    declared = {q.name for q in app.conf.task_queues}
    assert declared == {"default", "reports", "mail"}
    ours = [n for n in app.tasks if not n.startswith("celery.")]
    assert "reports.generate" in ours
    assert {_queue(n) for n in ours} <= declared


def test_a_subscriber_naming_its_queue_goes_there():
    """Hand-off notices are after-commit subscribers with queue="mail" (events.deliver)."""
    from portal.core.events import subscribers

    notices = [s for s in subscribers("assessment.completed") if s.after_commit]
    assert notices and {s.queue for s in notices} == {"mail"}
    assert _queue("events.deliver", queue="mail") == "mail"


def test_eager_mode_is_untouched_by_the_queues(cast, django_capture_on_commit_callbacks):
    """make run / make test: tasks still run inline, whatever their queue."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("runs in eager mode")
    from portal.top.reports.models import Report
    from portal.top.reports.services import report_request

    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(membership=cast.ciso, kind="portfolio", params={})
    assert Report.objects.get(pk=report.pk).status == "done"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_report_is_built_by_the_reports_worker_and_the_rest_by_the_main_worker(cast):
    from portal.top.dashboards.tasks import worker_selftest
    from portal.top.reports.models import Report
    from portal.top.reports.tasks import generate_report

    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this test needs the real workers"
    report = Report.objects.create(
        organisation=cast.hospital, user=cast.ciso.user, kind="portfolio", title="Portefeuille"
    )
    built = generate_report.delay(report.pk)
    assert built.get(timeout=120) == "done"
    # result_extended: the result records the worker's node name (celery worker -n).
    assert built.worker.startswith("reports@"), built.worker
    assert Report.objects.get(pk=report.pk).status == "done"

    other = worker_selftest.delay(cast.hospital.pk)
    assert other.get(timeout=60)["organisation"] == cast.hospital.slug
    assert other.worker.startswith("main@"), other.worker
