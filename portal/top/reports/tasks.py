"""Celery task for reports: thin, idempotent, retry-safe."""

from celery import shared_task

from .models import Report
from .services import report_run


@shared_task(name="reports.generate", acks_late=True)
def generate_report(report_id: int) -> str | None:

    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return None
    return report_run(report).status
