"""Benchmarks (`make bench`): wall-clock figures for BENCHMARKS.md, never asserted in tests.

Runs against a throw-away SQLite database with the test settings. Each case is repeated and
the median is reported, with the machine's core count for context.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
_DB = Path(tempfile.mkdtemp(prefix="ketenwacht-bench-")) / "bench.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_DB}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from benchmarks.micro import (  # noqa: E402
    bench_customer_sheet,
    bench_incident_page,
    bench_questionnaire_page,
    bench_rapid_send,
    bench_rescore,
    bench_wizard_page,
    synthetic_questionnaire,
    timed,
)
from portal.core.accounts.services import member_add, organisation_create  # noqa: E402
from questionnaires.models import QuestionnaireTemplate  # noqa: E402
from questionnaires.services import template_import, template_to_dict  # noqa: E402
from questionnaires.xlsx_export import questionnaire_to_xlsx  # noqa: E402
from questionnaires.xlsx_import import Mapping, import_spreadsheet  # noqa: E402
from questionnaires.yaml_io import parse_questionnaire, questionnaire_to_yaml  # noqa: E402


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    results: list[tuple[str, float]] = []
    yaml_text = questionnaire_to_yaml(
        parse_questionnaire(questionnaire_to_yaml(synthetic_questionnaire(300)))
    )
    if "--questionnaire-page" in sys.argv:  # only the questionnaire page and autosave
        _report(bench_questionnaire_page(yaml_text))
        return
    if "--rapid" in sys.argv:  # only the rapid questionnaire and the incident page (issue 19)
        _report(bench_rapid_send() + bench_incident_page())
        return
    results.append(
        ("parse + validate 300-question YAML", timed(lambda: parse_questionnaire(yaml_text)))
    )

    counter = iter(range(10_000))

    def import_yaml():
        data = parse_questionnaire(yaml_text)
        data["key"] = f"bench-{next(counter)}"
        template_import(data=data)

    results.append(("import 300-question YAML into the database", timed(import_yaml)))
    template = template_import(data={**parse_questionnaire(yaml_text), "key": "bench-main"})
    results.append(
        (
            "export 300-question template as YAML",
            timed(lambda: questionnaire_to_yaml(template_to_dict(template))),
        )
    )
    xlsx = questionnaire_to_xlsx(template_to_dict(template))
    results.append(
        (
            "export 300-question template as xlsx",
            timed(lambda: questionnaire_to_xlsx(template_to_dict(template))),
        )
    )
    mapping = Mapping.from_dict(
        {
            "sheet": "Questions",
            "key": "bench-x",
            "columns": {
                "section": "section",
                "code": "code",
                "text": "text_nl",
                "type": "type",
                "answers": "choices",
                "weight": "weight",
                "references": "references",
            },
        }
    )
    results.append(
        (
            "xlsx import (read, map, validate) of 300 questions",
            timed(lambda: import_spreadsheet(xlsx, mapping)),
        )
    )

    results.extend(bench_customer_sheet())

    org = organisation_create(slug="bench-care", name="Bench Care", kind="care")
    ciso = member_add(organisation=org, email="ciso@bench.test", role="security", password=None)
    client = Client()
    client.force_login(ciso.user, backend="django.contrib.auth.backends.ModelBackend")
    QuestionnaireTemplate.objects.filter(pk=template.pk).update(owner=org, status="draft")
    builder = f"/questionnaires/{template.pk}/build/"
    detail = f"/questionnaires/{template.pk}/"
    preview = f"/questionnaires/{template.pk}/preview/?type=cloud"
    results.append(("builder page, 300 questions", timed(lambda: client.get(builder), repeat=9)))
    results.append(
        ("template detail page, 300 questions", timed(lambda: client.get(detail), repeat=9))
    )
    results.append(
        ("supplier preview page, 300 questions", timed(lambda: client.get(preview), repeat=9))
    )

    from datetime import date

    from questionnaires.scoring import AnswerInput, QuestionSpec, score_assessment
    from suppliers.tiering import inherent_tier

    specs = [
        QuestionSpec(
            q.code,
            q.section.code,
            q.answer_type,
            q.weight,
            q.knockout,
            tuple(q.choices),
            tuple(q.bands),
            q.reviewer_scored,
            tuple(q.applies_to),
            q.show_if,
        )
        for q in template.questions.select_related("section")
    ]
    answers = {s.code: AnswerInput("partial" if i % 3 else "yes") for i, s in enumerate(specs)}
    results.append(
        (
            "score a 300-question assessment (pure scoring)",
            timed(
                lambda: score_assessment(
                    specs, answers, supplier_types=["cloud"], as_of=date(2026, 11, 22)
                ),
                repeat=9,
            ),
        )
    )
    intakes = [
        {
            "data": i % 4,
            "volume": (i // 4) % 4,
            "continuity": (i // 16) % 4,
            "access": (i // 64) % 4,
            "substitutability": i % 3,
        }
        for i in range(2000)
    ]
    results.append(
        (
            "inherent tier of 2,000 intakes (pure tiering)",
            timed(lambda: [inherent_tier(x) for x in intakes]),
        )
    )

    results.append(bench_wizard_page(client))
    results.extend(bench_questionnaire_page(yaml_text))
    results.append(("re-score 2,000 relationships after a risk-appetite change", bench_rescore()))
    results.extend(bench_rapid_send())
    results.extend(bench_incident_page())

    _report(results)


def _report(results: list[tuple[str, float]]) -> None:
    print(
        f"Ketenwacht benchmarks — Python {sys.version.split()[0]}, {os.cpu_count()} cores, SQLite"
    )
    print("| case | median (ms) |")
    print("|---|---|")
    for name, ms in results:
        print(f"| {name} | {ms:.1f} |")
    by_name = dict(results)
    bare = by_name.get("bare view, signed in (session, user, membership; 1 query)")
    every = by_name.get("supplier questionnaire page, 300 questions, every section (?all=1)")
    one = by_name.get("supplier questionnaire page, one section (20 of 300 questions)")
    save = by_name.get("one autosave (htmx), 300-question questionnaire")
    if every and one:
        print(f"\none section / every section (same run): {100 * one / every:.0f} %")
    if bare and save:
        print(f"autosave throughput / signed-in bare view's (same run): {100 * bare / save:.0f} %")


if __name__ == "__main__":
    main()
