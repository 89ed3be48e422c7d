"""Load the demo data (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.top.demo.data import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the Ketenwacht demo data (safe to run again) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Every demo user has the password: {DEMO_PASSWORD}\n")
        width = max(len(e) for e, _ in logins)
        for email, what in logins:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
