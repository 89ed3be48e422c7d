from django.utils import timezone

from portal.core.commands import OperationsCommand
from portal.top.daily import daily_run


class Command(OperationsCommand):
    help = (
        "Run the daily reminders (for installs that schedule with cron instead of Celery beat): "
        "assessments, overdue findings, reassessments, expired decisions, contracts, certificates."
    )

    def handle(self, *args, **options):
        counts = daily_run(today=timezone.localdate())
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"Sent {counts['assessment_reminders']} reminder(s).")
