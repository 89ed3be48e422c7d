import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from portal.core.accounts.models import Organisation
from portal.core.commands import OperationsCommand
from portal.top.privacy.export import organisation_export


class Command(OperationsCommand):
    help = (
        "Write everything of one organisation (records as JSON, its files and a manifest with "
        "counts and sha256 checksums) to one zip archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="organisation slug or id")
        parser.add_argument("--out", required=True, help="path of the zip archive to write")

    def handle(self, *args, organisation, out, **options):
        lookup = {"pk": int(organisation)} if organisation.isdecimal() else {"slug": organisation}
        org = Organisation.objects.filter(**lookup).first()
        if org is None:
            raise CommandError(f"No organisation with slug or id {organisation!r}")
        target = Path(out)
        if target.exists():
            raise CommandError(f"{target} already exists; choose another path")
        if not target.parent.is_dir():
            raise CommandError(f"Folder {target.parent} does not exist")
        # Written next to the target and renamed when complete: never a half archive.
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".zip")
        try:
            with os.fdopen(fd, "wb") as fh:
                manifest = organisation_export(organisation=org, out=fh)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        rows = sum(n for name, n in manifest["counts"].items() if name != "files")
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {org.name} ({org.kind}): {rows} records, "
                f"{manifest['counts']['files']} files → {target}"
            )
        )
        if manifest["missing_files"]:
            self.stderr.write(
                f"Warning: {len(manifest['missing_files'])} stored files were missing; "
                "they are listed in manifest.json"
            )
