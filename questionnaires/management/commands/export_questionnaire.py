from pathlib import Path

from django.core.management.base import CommandError

from portal.core.commands import OperationsCommand
from questionnaires.models import QuestionnaireTemplate
from questionnaires.services import template_to_dict
from questionnaires.xlsx_export import questionnaire_to_xlsx
from questionnaires.yaml_io import questionnaire_to_yaml


class Command(OperationsCommand):
    help = "Export a questionnaire version as YAML (lossless) or as a spreadsheet."

    def add_arguments(self, parser):
        parser.add_argument("key")
        parser.add_argument("version", type=int)
        parser.add_argument("--format", choices=["yaml", "xlsx"], default="yaml")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, key, version, format, output, **options):  # noqa: A002
        template = QuestionnaireTemplate.objects.filter(key=key, version=version).first()
        if template is None:
            raise CommandError(f"No questionnaire {key!r} version {version}")
        data = template_to_dict(template)
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        if format == "yaml":
            path.write_text(questionnaire_to_yaml(data), encoding="utf-8")
        else:
            path.write_bytes(questionnaire_to_xlsx(data))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
