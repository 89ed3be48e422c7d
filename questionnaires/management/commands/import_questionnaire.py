import json
from pathlib import Path

from django.core.management.base import CommandError

from portal.core.commands import OperationsCommand
from questionnaires.services import template_import
from questionnaires.xlsx_import import Mapping, SpreadsheetRefused, import_spreadsheet
from questionnaires.yaml_io import QuestionnaireFileError, parse_questionnaire


class Command(OperationsCommand):
    help = (
        "Import a questionnaire: a YAML file (FORMATS.md), or an .xlsx sheet with --mapping "
        "(a JSON file naming the sheet and columns). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--publish", action="store_true", help="publish after importing")
        parser.add_argument("--mapping", help="JSON column mapping for an .xlsx file")

    def handle(self, *args, file, publish, mapping, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        suffix = path.suffix.lower()
        try:
            if suffix in (".yaml", ".yml"):
                data = parse_questionnaire(path.read_bytes())
            elif suffix == ".xlsx":
                if not mapping:
                    raise CommandError("an .xlsx file needs --mapping MAPPING.json")
                try:
                    raw_mapping = json.loads(Path(mapping).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{mapping}: not a readable JSON mapping ({exc})") from exc
                data, _preview = import_spreadsheet(
                    path.read_bytes(), Mapping.from_dict(raw_mapping)
                )
            else:
                raise CommandError(f"{file}: expected a .yaml or .xlsx file")
            template = template_import(data=data, publish=publish)
        except SpreadsheetRefused as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        except QuestionnaireFileError as exc:
            lines = "\n".join(f"  {path.name}: {e}" for e in exc.errors)
            raise CommandError(
                f"{len(exc.errors)} error(s); nothing was imported:\n{lines}"
            ) from exc
        count = template.questions.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {template.key} version {template.version} ({count} questions, "
                f"{template.get_status_display().lower()})"
            )
        )
