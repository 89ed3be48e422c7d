from django.utils import timezone

from portal.core.commands import OperationsCommand
from questionnaires.reminders import send_assessment_reminders


class Command(OperationsCommand):
    help = "Send today's reminders (for installs that schedule with cron instead of Celery beat)."

    def handle(self, *args, **options):
        from questionnaires.decisions import decisions_expire

        expired = decisions_expire(today=timezone.localdate())
        if expired:
            self.stdout.write(f"{expired} risk decision(s) expired.")
        count = send_assessment_reminders(today=timezone.localdate())
        self.stdout.write(f"Sent {count} reminder(s).")
