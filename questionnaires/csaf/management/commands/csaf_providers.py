"""The operator's CSAF provider feeds: list, add, switch off or poll them now.

manage.py csaf_providers                       # list
manage.py csaf_providers --add URL --name NAME # provider-metadata.json of a provider
manage.py csaf_providers --disable URL
manage.py csaf_providers --poll                # what the daily run does, now
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from questionnaires.csaf.feeds import feeds_poll
from questionnaires.csaf.models import CsafProvider


class Command(BaseCommand):
    help = "List, add or disable CSAF provider feeds (provider-metadata.json), or poll them now."

    def add_arguments(self, parser):
        parser.add_argument("--add", metavar="URL")
        parser.add_argument("--name", default="")
        parser.add_argument("--disable", metavar="URL")
        parser.add_argument("--poll", action="store_true")

    def handle(self, *args, add=None, name="", disable=None, poll=False, **options):
        if add:
            try:
                URLValidator(schemes=["http", "https"])(add)
            except ValidationError as exc:
                raise CommandError(f"Not an http(s) URL: {add}") from exc
            provider, created = CsafProvider.objects.update_or_create(
                url=add, defaults={"name": name or add, "active": True}
            )
            self.stdout.write(f"{'Added' if created else 'Updated'}: {provider.name} ({add})")
        if disable:
            if not CsafProvider.objects.filter(url=disable).update(active=False):
                raise CommandError(f"No provider with URL {disable}")
            self.stdout.write(f"Disabled: {disable}")
        if poll:
            self.stdout.write(f"Advisories proposed: {feeds_poll()}")
        for provider in CsafProvider.objects.order_by("name"):
            state = "on" if provider.active else "off"
            last = provider.last_run_at.isoformat() if provider.last_run_at else "never"
            error = f" — {provider.last_error}" if provider.last_error else ""
            self.stdout.write(f"[{state}] {provider.name}: {provider.url} (last run {last}){error}")
