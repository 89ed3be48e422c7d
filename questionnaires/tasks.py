"""Celery tasks of the questionnaires app: thin, idempotent, retry-safe."""

from celery import shared_task
from django.utils import timezone

from .reminders import send_assessment_reminders


@shared_task(name="questionnaires.send_reminders")
def send_reminders() -> int:
    return send_assessment_reminders(today=timezone.localdate())
