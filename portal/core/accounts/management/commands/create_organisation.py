from portal.core.accounts.services import organisation_create
from portal.core.commands import OperationsCommand


class Command(OperationsCommand):
    help = "Create an organisation (a care organisation or a supplier)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=["care", "supplier"])
        parser.add_argument("--kvk", default="", help="KvK number (8 digits)")

    def handle(self, *args, slug, name, kind, kvk, **options):
        org = organisation_create(slug=slug, name=name, kind=kind, kvk_number=kvk)
        self.stdout.write(
            self.style.SUCCESS(f"Created {org.get_kind_display()} {org.name} ({org.slug})")
        )
