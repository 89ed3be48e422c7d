"""A customer's own spreadsheet, imported faithfully: detected header and columns, drop-down
answers, every reference and code kept, formulas inert, nothing dropped without a reason."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from questionnaires.models import Question, QuestionnaireTemplate
from questionnaires.services import template_import
from questionnaires.xlsx_import import (
    Mapping,
    detect_mapping,
    import_with_report,
    inspect_workbook,
)
from questionnaires.xlsx_import.interpret import read_references


def customer_sheet() -> bytes:
    """English, a merged title row, a drop-down answer column, free-form norms, CAIQ codes,
    a formula, a heading row and a row without a question."""
    wb = Workbook()
    info = wb.active
    info.title = "Read me"
    info.append(["Please answer every question."])
    ws = wb.create_sheet("Supplier questions")
    ws.append(["Supplier security questionnaire 2026"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["Question ID", "Domain", "Question", "Answer", "Weight", "Reference"])
    ws.append(["A&A-01.1", "Audit", "Are audits performed yearly?", None, 2, "NEN 7510-2 5.35"])
    ws.append(["A&A-02.1", "Audit", "Are audit results shared?", None, 1, "NIS2 21.2.j; AVG 33.2"])
    ws.append(["IAM-01", "Access", "Is MFA enforced for admins?", None, 3, "ISO 27001 A.9.4.2"])
    ws.append(["IAM-02", "Access", '=CONCAT("Is ", "SSO used?")', None, 1, ""])
    ws.append(["Continuity"])
    ws.append(["BC-01", None, "Is the backup tested?", None, None, "NEN7510-2:8.13"])
    ws.append(["BC-02", "Continuity", None, None, None, "orphan note"])
    dv = DataValidation(type="list", formula1='"Yes,No,NA"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("D4:D20")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_sheet_header_row_columns_and_language_are_recognised():
    mapping = detect_mapping(customer_sheet(), name="Leverancier 2026.xlsx")
    assert mapping.sheet == "Supplier questions"
    assert mapping.header_row == 3  # not the merged title row above it
    assert mapping.columns == {
        "code": "Question ID",
        "section": "Domain",
        "text": "Question",
        "answers": "Answer",
        "weight": "Weight",
        "references": "Reference",
    }
    assert mapping.language == "en"
    assert mapping.key == "leverancier-2026"
    rows = inspect_workbook(customer_sheet())[1]["rows"]
    assert len(rows) == 10 and rows[2][0] == "Question ID"


def test_every_row_and_reference_is_kept(db):
    with translation.override("en"):
        data, report = import_with_report(customer_sheet(), detect_mapping(customer_sheet()))
        summary = report.summary()
    template = template_import(data=data)
    q = {x.code: x for x in Question.objects.filter(template=template)}
    assert list(q) == ["A-A-01.1", "A-A-02.1", "IAM-01", "IAM-02", "BC-01"]
    # Drop-down Yes/No/NA: yes/no with "not applicable", never the default yes/partial/no.
    assert {(x.answer_type, x.na_allowed) for x in q.values()} == {("yes_no", True)}
    assert q["A-A-01.1"].references == ["TEXT:A&A-01.1", "NEN7510-2:5.35"]
    assert q["A-A-02.1"].references == ["TEXT:A&A-02.1", "NIS2:21.2.j", "AVG:33.2"]
    assert q["IAM-01"].references == ["TEXT:ISO 27001 A.9.4.2"]
    assert q["IAM-02"].text_en == '\'=CONCAT("Is ", "SSO used?")'
    # One language: English filled, Dutch left empty (missing), not copied.
    assert q["IAM-01"].text_en == "Is MFA enforced for admins?" and q["IAM-01"].text_nl == ""
    assert [(s.title_en, s.title_nl) for s in template.sections.order_by("order")] == [
        ("Audit", ""),
        ("Access", ""),
        ("Continuity", ""),
    ]
    assert q["BC-01"].section.title_en == "Continuity"  # from the heading row above it
    assert q["IAM-01"].weight == 3

    status = {r.row: r.status for r in report.rows}
    assert status == {
        4: "warning",
        5: "warning",
        6: "warning",
        7: "warning",
        8: "skipped",
        9: "imported",
        10: "skipped",
    }
    assert summary == "7 rows: 1 imported, 4 imported with a warning, 2 skipped"
    messages = {r.row: " ".join(r.messages) for r in report.rows}
    assert "A&A-01.1" in messages[4] and "A-A-01.1" in messages[4]
    assert "ISO 27001 A.9.4.2" in messages[6]
    assert "formula" in messages[7]
    assert "section" in messages[8]
    assert "No question text in column C" in messages[10]
    assert any("no Dutch text" in n for n in report.notes)


def test_sheet_with_two_languages_fills_both():
    wb = Workbook()
    ws = wb.active
    ws.title = "Vragen"
    ws.append(["Nr.", "Onderwerp", "Vraag", "Question (EN)", "Antwoordopties"])
    ws.append(["T1", "Toegang", "Gebruikt u MFA?", "Do you use MFA?", "Ja/Nee/N.v.t."])
    out = io.BytesIO()
    wb.save(out)
    mapping = detect_mapping(out.getvalue())
    assert mapping.columns["text_en"] == "Question (EN)" and mapping.columns["code"] == "Nr."
    data, report = import_with_report(out.getvalue(), mapping)
    question = data["sections"][0]["questions"][0]
    assert question["text"] == {"nl": "Gebruikt u MFA?", "en": "Do you use MFA?"}
    assert report.notes == []


@pytest.mark.parametrize(
    ("cell", "refs", "unread"),
    [
        ("NEN 7510-2 5.20", ["NEN7510-2:5.20"], []),
        ("NIS2 21.2.j", ["NIS2:21.2.j"], []),
        ("AVG 33.2", ["AVG:33.2"], []),
        ("GDPR art. 28(3)(c); NEN 7513 5.1", ["AVG:28.3.c", "NEN7513:5.1"], []),
        ("NEN7510-2:5.1, NEN7510-2:5.2", ["NEN7510-2:5.1", "NEN7510-2:5.2"], []),
        ("ISO 27001, A.5.1", ["TEXT:ISO 27001, A.5.1"], ["ISO 27001, A.5.1"]),
        ("", [], []),
    ],
)
def test_free_form_references_are_read_or_kept_as_free_text(cell, refs, unread):
    assert read_references(cell) == (refs, unread)


def test_mapping_with_a_language_fills_that_language(db):
    mapping = Mapping.from_dict(
        {"sheet": "Supplier questions", "header_row": 3, "language": "en", "columns": {"text": "C"}}
    )
    data, _report = import_with_report(customer_sheet(), mapping)
    texts = [q["text"] for s in data["sections"] for q in s["questions"]]
    assert texts[0] == {"nl": "", "en": "Are audits performed yearly?"}


def test_command_without_mapping_detects_prints_and_imports(db, tmp_path, capsys):
    sheet = tmp_path / "supplier-sheet.xlsx"
    sheet.write_bytes(customer_sheet())
    call_command("import_questionnaire", str(sheet))
    out = capsys.readouterr().out
    assert '"header_row": 3' in out and '"references": "Reference"' in out
    assert "7 rows: 1 imported, 4 imported with a warning, 2 skipped" in out
    assert "Row 6 (warning): Reference ISO 27001 A.9.4.2" in out
    assert "Row 10 (skipped)" in out
    template = QuestionnaireTemplate.objects.get(key="supplier-sheet")
    assert template.questions.count() == 5


def test_command_dry_run_stores_nothing(db, tmp_path, capsys):
    sheet = tmp_path / "supplier-sheet.xlsx"
    sheet.write_bytes(customer_sheet())
    call_command("import_questionnaire", str(sheet), "--dry-run", "--publish")
    out = capsys.readouterr().out
    assert "Dry run" in out and "nothing was stored" in out
    assert not QuestionnaireTemplate.objects.exists()
    assert not Question.objects.exists()


def test_command_prints_a_reusable_mapping(db, tmp_path, capsys):
    sheet = tmp_path / "s.xlsx"
    sheet.write_bytes(customer_sheet())
    call_command("import_questionnaire", str(sheet), "--dry-run")
    out = capsys.readouterr().out
    start = out.index("{")
    mapping = json.loads(out[start : out.index("\n}", start) + 2])
    saved = tmp_path / "m.json"
    saved.write_text(json.dumps({**mapping, "key": "again"}))
    call_command("import_questionnaire", str(sheet), "--mapping", str(saved))
    assert QuestionnaireTemplate.objects.get(key="again").questions.count() == 5


def test_builder_shows_the_missing_language_and_keeps_free_text_references(cast):
    from django.urls import reverse

    from tests.conftest import client_for

    data, _report = import_with_report(customer_sheet(), detect_mapping(customer_sheet()))
    template = template_import(data=data, owner=cast.hospital)
    client = client_for(cast.ciso)
    page = client.get(reverse("questionnaire_builder", kwargs={"pk": template.pk}))
    # 5 questions and 3 sections without Dutch text, each marked.
    assert page.content.decode().count("Dutch missing") == 8
    question = template.questions.get(code="IAM-01")
    assert question.missing_languages == ["nl"]
    # Editing keeps a free-text reference with a comma as one reference.
    from questionnaires.builder_forms import QuestionForm

    assert "TEXT:ISO 27001 A.9.4.2" in QuestionForm.initial_for(question)["references"]
    from questionnaires.xlsx_import.interpret import split_references

    assert split_references("NEN7510-2:5.1, TEXT:ISO 27001, A.5.1, AVG:28.3") == [
        "NEN7510-2:5.1",
        "TEXT:ISO 27001, A.5.1",
        "AVG:28.3",
    ]
