"""The scheduled daily task (Celery beat: CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task
from django.utils import timezone

from . import daily_run


@shared_task(name="portal.daily")
def daily() -> dict:
    """Reminders, overdue findings, reassessments due, expired decisions, contract, certificate
    and exit-test reminders: whatever subscribes to `daily`. Each message goes out once."""
    return daily_run(today=timezone.localdate())
