from django.core.management.base import CommandError

from portal.core.accounts.models import Organisation
from portal.core.accounts.services import member_add
from portal.core.commands import OperationsCommand


class Command(OperationsCommand):
    help = "Create the user if needed and give them a role in an organisation."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("organisation", help="organisation slug")
        parser.add_argument(
            "role", help="care: admin security procurement board viewer; supplier: owner respondent"
        )
        parser.add_argument("--password", default=None)
        parser.add_argument("--name", default="")

    def handle(self, *args, email, organisation, role, password, name, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation with slug {organisation!r}")
        if password is not None and len(password) < 12:
            raise CommandError("The password must have at least 12 characters")
        membership = member_add(
            organisation=org, email=email, role=role, password=password, name=name
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{membership.user.email} is {membership.get_role_display()} in {org.name}"
            )
        )
