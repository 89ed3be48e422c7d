"""Celery tasks of the questionnaires app: thin, idempotent, retry-safe."""

from celery import shared_task
from django.utils import timezone

from .reminders import send_assessment_reminders


@shared_task(name="questionnaires.send_reminders")
def send_reminders() -> int:
    """The daily run: reminders, expired risk decisions, overdue findings, reassessments due."""
    from suppliers.risk import reassessments_notify

    from .decisions import decisions_expire
    from .findings import findings_notify_overdue

    today = timezone.localdate()
    decisions_expire(today=today)
    findings_notify_overdue(today=today)
    reassessments_notify(today=today)
    return send_assessment_reminders(today=today)


@shared_task(name="questionnaires.bulk_send", acks_late=True)
def bulk_send(job_id: int) -> None:
    from portal.core.jobs.models import Job

    from .assessments import bulk_send as run

    job = Job.objects.select_related("user", "organisation").filter(pk=job_id).first()
    if job is not None and not job.is_finished:
        run(job=job)
