from django.core.management.base import CommandError

from portal.core.accounts.models import User
from portal.core.commands import OperationsCommand
from portal.top.privacy.erasure import person_erase


class Command(OperationsCommand):
    help = (
        "Erase a person's personal data on request (AVG art. 17): deactivate the account and "
        "replace name and e-mail address by a pseudonym everywhere; their work stays."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="required: erasing cannot be undone",
        )

    def handle(self, *args, email, confirm, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with e-mail address {email!r}")
        if not confirm:
            raise CommandError(
                "Erasing cannot be undone; run again with --confirm to erase this person"
            )
        person_erase(user=user, confirmation=user.email)
        user.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased: the account is closed and now known as {user.name} ({user.email})"
            )
        )
