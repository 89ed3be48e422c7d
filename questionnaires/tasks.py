"""Celery tasks of the questionnaires app: thin, idempotent, retry-safe."""

from celery import shared_task

from portal.core.jobs.models import Job

from .assessments import bulk_send as run
from .rapid.services import rapid_send_run
from .spreadsheet_uploads import uploads_clean


@shared_task(name="questionnaires.bulk_send", acks_late=True)
def bulk_send(job_id: int) -> None:

    job = Job.objects.select_related("user", "organisation").filter(pk=job_id).first()
    if job is not None and not job.is_finished:
        run(job=job)


@shared_task(name="questionnaires.clean_spreadsheet_uploads")
def clean_spreadsheet_uploads() -> int:
    """Remove import-wizard workbooks older than a day (uploads nobody finished)."""

    return uploads_clean()


@shared_task(name="questionnaires.rapid_send", acks_late=True)
def rapid_send(job_id: int) -> None:
    """Send a rapid questionnaire to every relationship of its job (retry-safe)."""

    job = Job.objects.select_related("user", "organisation").filter(pk=job_id).first()
    if job is not None and not job.is_finished:
        rapid_send_run(job=job)
