"""Celery tasks of the suppliers app: thin, idempotent, retry-safe."""

from celery import shared_task

from portal.core.jobs.models import Job

from .risk import rescore_job


@shared_task(name="suppliers.rescore", acks_late=True)
def rescore(job_id: int) -> None:
    """Re-score every relationship of the job's organisation after a risk-appetite change."""

    job = Job.objects.select_related("user", "organisation").filter(pk=job_id).first()
    if job is not None and not job.is_finished:
        rescore_job(job=job)
