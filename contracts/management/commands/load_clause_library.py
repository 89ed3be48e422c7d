from pathlib import Path

from django.core.management.base import CommandError

from contracts.library import LIBRARY_FILE, ClauseFileError, library_load
from portal.core.commands import OperationsCommand


class Command(OperationsCommand):
    help = (
        "Validate and load the clause library (default: the shipped contracts/library/"
        "clauses.yaml). Nothing is stored when the file has an error; every error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(LIBRARY_FILE))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            added, updated = library_load(path)
        except ClauseFileError as exc:
            raise CommandError("\n".join(f"{path}: {e}" for e in exc.errors)) from exc
        self.stdout.write(f"Clause library loaded: {added} added, {updated} updated.")
