import json
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from portal.core.commands import OperationsCommand
from questionnaires.services import template_import
from questionnaires.xlsx_import import (
    Mapping,
    SpreadsheetRefused,
    detect_mapping,
    import_with_report,
)
from questionnaires.yaml_io import QuestionnaireFileError, parse_questionnaire


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that nothing it wrote stays."""


class Command(OperationsCommand):
    help = (
        "Import a questionnaire: a YAML file (FORMATS.md), or an .xlsx sheet. Without --mapping "
        "the sheet, header row and columns of an .xlsx file are recognised; the mapping used "
        "and every warning are printed. All or nothing; --dry-run stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--publish", action="store_true", help="publish after importing")
        parser.add_argument("--mapping", help="JSON column mapping for an .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, store nothing"
        )

    def handle(self, *args, file, publish, mapping, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        suffix = path.suffix.lower()
        try:
            if suffix in (".yaml", ".yml"):
                data = parse_questionnaire(path.read_bytes())
            elif suffix == ".xlsx":
                data = self._spreadsheet(path, mapping)
            else:
                raise CommandError(f"{file}: expected a .yaml or .xlsx file")
            template = self._store(data, publish=publish, dry_run=dry_run)
        except SpreadsheetRefused as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        except QuestionnaireFileError as exc:
            lines = "\n".join(f"  {path.name}: {e}" for e in exc.errors)
            raise CommandError(
                f"{len(exc.errors)} error(s); nothing was imported:\n{lines}"
            ) from exc
        count = sum(len(s["questions"]) for s in data["sections"])
        if template is None:
            self.stdout.write(
                f"Dry run: {data['key']} version {data['version']} ({count} questions) "
                "would be imported; nothing was stored."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {template.key} version {template.version} ({count} questions, "
                f"{template.get_status_display().lower()})"
            )
        )

    def _spreadsheet(self, path: Path, mapping_file: str | None) -> dict:
        content = path.read_bytes()
        if mapping_file:
            try:
                raw = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{mapping_file}: not a readable JSON mapping ({exc})") from exc
            mapping = Mapping.from_dict(raw)
        else:
            mapping = detect_mapping(content, name=path.name)
            if "text" not in mapping.columns:
                raise CommandError(
                    f"{path.name}: no question column recognised in sheet {mapping.sheet!r} "
                    f"(header row {mapping.header_row}); give --mapping MAPPING.json"
                )
        data, report = import_with_report(content, mapping)
        self.stdout.write("Mapping used (save it as JSON to pass it with --mapping):")
        self.stdout.write(json.dumps(report.mapping.as_dict(), ensure_ascii=False, indent=2))
        for line in report.lines():
            self.stdout.write(line)
        return data

    def _store(self, data: dict, *, publish: bool, dry_run: bool):
        if not dry_run:
            return template_import(data=data, publish=publish)
        try:
            with transaction.atomic():
                template_import(data=data, publish=publish)  # every check the import makes
                raise _DryRun
        except _DryRun:
            return None
