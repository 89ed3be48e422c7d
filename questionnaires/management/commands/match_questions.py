import json
from pathlib import Path

from django.core.management.base import CommandError

from portal.core.commands import OperationsCommand
from questionnaires.matching import match_texts
from questionnaires.models import QuestionnaireTemplate, TemplateStatus
from questionnaires.xlsx_import import SpreadsheetRefused, detect_mapping, import_with_report
from questionnaires.yaml_io import QuestionnaireFileError, parse_questionnaire


class Command(OperationsCommand):
    help = (
        "Propose, per question of a YAML or .xlsx questionnaire, the closest questions of a "
        "published template (as POST /api/v1/templates/{id}/match/). Stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--template", required=True, help="key of a published template")
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, file, template, format, **options):  # noqa: A002 - the option's name
        target = (
            QuestionnaireTemplate.objects.filter(key=template, status=TemplateStatus.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if target is None:
            raise CommandError(f"{template}: no published template with this key")
        questions = self._questions(Path(file))
        results = match_texts([text for _code, text in questions], template=target)
        if format == "json":
            pairs = zip(questions, results, strict=True)
            out = [{"code": code, **r.as_dict()} for (code, _t), r in pairs]
            self.stdout.write(json.dumps({"results": out}, ensure_ascii=False, indent=2))
            return
        for (code, text), r in zip(questions, results, strict=True):
            best = r.best or "—"
            others = ", ".join(f"{c.code} {c.score:.2f}" for c in r.matches)
            self.stdout.write(f"{code}\t{best}\t({others})\t{text[:80]}")
        matched = sum(1 for r in results if r.best)
        self.stdout.write(f"{matched} of {len(results)} questions have a proposal.")

    def _questions(self, path: Path) -> list[tuple[str, str]]:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                data = parse_questionnaire(path.read_bytes())
            elif path.suffix.lower() == ".xlsx":
                content = path.read_bytes()
                data, _report = import_with_report(content, detect_mapping(content, name=path.name))
            else:
                raise CommandError(f"{path.name}: expected a .yaml or .xlsx file")
        except SpreadsheetRefused as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        except QuestionnaireFileError as exc:
            lines = "\n".join(f"  {path.name}: {e}" for e in exc.errors)
            raise CommandError(f"{len(exc.errors)} error(s):\n{lines}") from exc
        return [
            (q["code"], q["text"].get("nl") or q["text"].get("en") or "")
            for s in data["sections"]
            for q in s["questions"]
        ]
