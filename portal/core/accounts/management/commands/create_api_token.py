from django.core.management.base import CommandError

from portal.core.accounts.models import Membership
from portal.core.accounts.services import api_token_create
from portal.core.commands import OperationsCommand


class Command(OperationsCommand):
    help = "Create an API token for a user's membership in an organisation and print the key."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("organisation", help="organisation slug")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email, organisation, name, **options):
        membership = (
            Membership.objects.active()
            .select_related("organisation", "user")
            .filter(user__email__iexact=email, organisation__slug=organisation)
            .first()
        )
        if membership is None:
            raise CommandError(f"{email} has no active membership in {organisation!r}")
        _token, key = api_token_create(membership=membership, name=name)
        self.stdout.write(key)
