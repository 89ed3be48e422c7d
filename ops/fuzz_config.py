"""Writes the schemathesis configuration for one token of ops/api-fuzz.sh.

Random integer ids almost always hit 404, so the run would never reach the code behind them.
The configuration gives schemathesis the ids and codes this membership can see as dictionaries
to draw path parameters and body references from, most of the time; the rest stays random (and
so mostly answers 404). Foreign objects are the access matrix's job (tests/access.py).

Usage: python ops/fuzz_config.py OUT.toml EMAIL ORGANISATION-SLUG
(with the portal's environment: DATABASE_URL, ...).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

PROBABILITY = 0.8
# Operations whose path matches: parameter -> dictionary (on top of GLOBAL).
RESOURCES = [
    (r"^/api/v1/assessments/\{id\}/", {"path.id": "assessments", "path.code": "questions"}),
    (r"^/api/v1/findings/\{id\}/", {"path.id": "findings"}),
    (r"^/api/v1/decisions/\{id\}/", {"path.id": "decisions"}),
    (r"^/api/v1/templates/\{id\}/", {"path.id": "templates"}),
    (r"^/api/v1/reports/", {"path.id": "reports"}),
    (r"^/api/v1/relationships/\{relationship_pk\}/clauses/", {"path.code": "clauses"}),
]
# Everywhere: references in bodies and the page of a list.
GLOBAL = {
    "path.relationship_pk": "relationships",
    "path.id": "relationships",
    "body.relationship": "relationships",
    "body.template": "templates",
    "body.assessment": "assessments",
    "body.supplier": "suppliers",
    "query.page": "pages",
}


def dictionaries(membership) -> dict[str, list]:
    from contracts.models import ChecklistItem
    from portal.core.tenancy import visible_to
    from portal.top.reports.models import Report
    from questionnaires.models import (
        Assessment,
        Finding,
        Question,
        QuestionnaireTemplate,
        RiskDecision,
    )
    from suppliers.models import Relationship, SupplierLink

    def pks(model) -> list[int]:
        return sorted(visible_to(model, membership).values_list("pk", flat=True))

    assessments = visible_to(Assessment, membership)
    relationships = visible_to(Relationship, membership)
    templates = set(pks(QuestionnaireTemplate)) | set(
        assessments.values_list("template_id", flat=True)
    )
    questions = Question.objects.filter(section__template__in=assessments.values("template_id"))
    clauses = ChecklistItem.objects.filter(relationship__in=relationships)
    found = {
        "assessments": pks(Assessment),
        "questions": sorted(set(questions.values_list("code", flat=True))),
        "findings": pks(Finding),
        "decisions": pks(RiskDecision),
        "templates": sorted(templates),
        "reports": pks(Report),
        "relationships": pks(Relationship),
        "clauses": sorted(set(clauses.values_list("clause__code", flat=True))),
        "suppliers": sorted(
            set(visible_to(SupplierLink, membership).values_list("supplier_id", flat=True))
        ),
        "pages": [1],
    }
    return {name: values for name, values in found.items() if values}


def _bindings(parameters: dict[str, str], found: dict) -> list[str]:
    return [
        f"{json.dumps(key)} = {{ dictionary = {json.dumps(name)}, probability = {PROBABILITY} }}"
        for key, name in parameters.items()
        if name in found
    ]


def render(found: dict[str, list]) -> str:
    lines = []
    for name, values in found.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines += ["[parameters]", *_bindings(GLOBAL, found), ""]
    for path_regex, parameters in RESOURCES:
        lines += ["[[operations]]", f"include-path-regex = {json.dumps(path_regex)}"]
        lines += ["[operations.parameters]", *_bindings({**GLOBAL, **parameters}, found), ""]
    return "\n".join(lines)


def main(out: str, email: str, organisation: str) -> None:
    import django

    django.setup()
    from portal.core.accounts.models import Membership

    membership = Membership.objects.active().get(
        user__email__iexact=email, organisation__slug=organisation
    )
    Path(out).write_text(render(dictionaries(membership)), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
