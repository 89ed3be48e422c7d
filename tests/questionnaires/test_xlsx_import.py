"""Spreadsheet import: a customer's own sheet, a CAIQ-style sheet, and hostile files."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from questionnaires.models import QuestionnaireTemplate
from questionnaires.services import template_import
from questionnaires.xlsx_import import (
    Mapping,
    SpreadsheetRefused,
    import_spreadsheet,
    import_with_report,
    inspect_workbook,
)
from questionnaires.yaml_io import QuestionnaireFileError


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CUSTOMER = _xlsx(
    {
        "Toelichting": [["Vul de vragenlijst in"]],
        "Vragen": [
            ["Domein", "Nr", "Vraag", "Antwoordopties", "Gewicht", "Norm"],
            ["Toegang", "T1", "Gebruikt u MFA voor beheer?", "Ja/Nee", 3, "NEN7510-2:8.5"],
            [
                "Toegang",
                "T2",
                "Worden rechten periodiek herzien?",
                "Ja / Gedeeltelijk / Nee / N.v.t.",
                2,
                "",
            ],
            [
                "Continuïteit",
                "C1",
                "Hoe vaak test u de restore?",
                "Maandelijks; Jaarlijks; Nooit",
                1,
                "",
            ],
            ["Continuïteit", "C2", "Beschrijf uw back-upstrategie", "tekst", 1, ""],
            ["", "", "", "", "", ""],
            ["Continuïteit", "C3", "Datum laatste DR-test", "datum", "", ""],
        ],
    }
)
CUSTOMER_MAPPING = {
    "sheet": "Vragen",
    "key": "klant-lijst",
    "columns": {
        "section": "Domein",
        "code": "Nr",
        "text": "Vraag",
        "answers": "Antwoordopties",
        "weight": "Gewicht",
        "references": "Norm",
    },
}

CAIQ = _xlsx(
    {
        "CAIQv4": [
            ["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership"],
            ["A&A-01.1", "Are audit and assurance policies established?", "Yes/No/NA", "Shared"],
            [
                "A&A-02.1",
                "Are independent audits conducted at least annually?",
                "Yes/No/NA",
                "Shared",
            ],
            ["IAM-14.1", "Are strong authentication capabilities used?", "Yes/No/NA", "CSP-owned"],
        ]
    }
)
CAIQ_MAPPING = {
    "sheet": "CAIQv4",
    "key": "caiq-lite",
    "section_from_code_prefix": True,
    "columns": {"code": "A", "text": "B", "answers": "C"},
}


def test_inspect_lists_sheets_and_first_rows():
    sheets = inspect_workbook(CUSTOMER)
    assert [s["name"] for s in sheets] == ["Toelichting", "Vragen"]
    assert sheets[1]["rows"][0][:3] == ["Domein", "Nr", "Vraag"]


def test_customer_sheet_imports_with_mapping(db):
    data, preview = import_spreadsheet(CUSTOMER, Mapping.from_dict(CUSTOMER_MAPPING))
    template = template_import(data=data)
    by_code = {q.code: q for q in template.questions.all()}
    assert set(by_code) == {"T1", "T2", "C1", "C2", "C3"}
    assert by_code["T1"].answer_type == "yes_no" and by_code["T1"].weight == 3
    assert by_code["T1"].references == ["NEN7510-2:8.5"]
    assert by_code["T2"].answer_type == "yes_partial_no" and by_code["T2"].na_allowed
    assert by_code["C1"].answer_type == "single_choice"
    assert [c["score"] for c in by_code["C1"].choices] == [1.0, 0.5, 0.0]
    assert by_code["C2"].answer_type == "text"
    assert by_code["C3"].answer_type == "date"
    assert [s.title_nl for s in template.sections.all()] == ["Toegang", "Continuïteit"]
    assert preview[0]["row"] == 2 and preview[0]["code"] == "T1"


def test_caiq_style_sheet_imports(db):
    data, _ = import_spreadsheet(CAIQ, Mapping.from_dict(CAIQ_MAPPING))
    template = template_import(data=data)
    codes = list(template.questions.values_list("code", flat=True))
    assert codes == ["A-A-01.1", "A-A-02.1", "IAM-14.1"]
    assert set(template.questions.values_list("answer_type", flat=True)) == {"yes_no"}
    assert all(template.questions.values_list("na_allowed", flat=True))
    # The section comes from the original code's prefix (A&A), normalised only in its code.
    assert [(s.code, s.title_en) for s in template.sections.all()] == [
        ("A-A", "A&A"),
        ("IAM", "IAM"),
    ]
    # The original codes are kept, as free-text references.
    assert template.questions.get(code="A-A-01.1").references == ["TEXT:A&A-01.1"]


def test_errors_name_sheet_row_and_column():
    bad = _xlsx(
        {
            "Vragen": [
                ["Domein", "Nr", "Vraag", "Antwoordopties", "Gewicht"],
                ["A", "T1", "Vraag een", "Ja/Nee", "zwaar"],
                ["A", "T1", "Vraag twee", "Ja/Nee", 1],
                ["A", "T3", "Vraag drie", "alleen dit", 1],
            ]
        }
    )
    mapping = dict(CUSTOMER_MAPPING)
    mapping["columns"] = {k: v for k, v in CUSTOMER_MAPPING["columns"].items() if k != "references"}
    with pytest.raises(QuestionnaireFileError) as info:
        import_spreadsheet(bad, Mapping.from_dict(mapping))
    messages = {e.path: e.message for e in info.value.errors}
    assert "zwaar" in messages["Vragen!E2"]
    assert "duplicate" in messages["Vragen!B3"]
    assert "allowed answers" in messages["Vragen!D4"]


def test_unknown_sheet_and_column():
    with pytest.raises(QuestionnaireFileError, match="no sheet"):
        import_spreadsheet(CUSTOMER, Mapping.from_dict({**CUSTOMER_MAPPING, "sheet": "Nope"}))
    with pytest.raises(QuestionnaireFileError, match="no column"):
        import_spreadsheet(
            CUSTOMER, Mapping.from_dict({**CUSTOMER_MAPPING, "columns": {"text": "Vraagtekst"}})
        )


def test_formulas_are_kept_as_inert_text_never_evaluated(db):
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append(["Vraag", "Antwoord"])
    ws.append(['=WEBSERVICE("http://evil")', "Ja/Nee"])
    ws.append(["Gewone vraag", "Ja/Nee"])
    out = io.BytesIO()
    wb.save(out)
    with translation.override("en"):
        data, report = import_with_report(
            out.getvalue(),
            Mapping.from_dict({"sheet": "S", "columns": {"text": "A", "answers": "B"}}),
        )
        summary = report.summary()
    texts = [q["text"]["nl"] for s in data["sections"] for q in s["questions"]]
    # Never run, never dropped: the formula is text with the apostrophe exports use.
    assert texts == ['\'=WEBSERVICE("http://evil")', "Gewone vraag"]
    assert [(r.row, r.status) for r in report.rows] == [(2, "warning"), (3, "imported")]
    assert "formula" in report.rows[0].messages[0]
    assert summary == "2 rows: 1 imported, 1 imported with a warning"


def test_oversized_file_refused():
    with pytest.raises(SpreadsheetRefused, match="larger"):
        inspect_workbook(b"PK" + b"0" * (6 * 1024 * 1024))


def test_empty_and_non_xlsx_refused():
    with pytest.raises(SpreadsheetRefused, match="empty"):
        inspect_workbook(b"")
    with pytest.raises(SpreadsheetRefused, match="not an .xlsx"):
        inspect_workbook(b"<html><script>alert(1)</script></html>")


def test_zip_bomb_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (80 * 1024 * 1024))
    with pytest.raises(SpreadsheetRefused, match="zip bomb"):
        inspect_workbook(buf.getvalue())


def test_xml_entity_attack_refused():
    """A billion-laughs DTD inside the worksheet XML: defusedxml refuses it, nothing expands."""
    src = io.BytesIO(CUSTOMER)
    out = io.BytesIO()
    dtd = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text = content.decode()
                if text.startswith("<?xml"):
                    head, text = text.split("?>", 1)
                    dtd = head + "?>" + dtd
                content = (dtd + text.replace("Gebruikt u MFA", "&c; MFA")).encode()
            zout.writestr(item, content)
    with pytest.raises((SpreadsheetRefused, QuestionnaireFileError)):
        import_spreadsheet(out.getvalue(), Mapping.from_dict(CUSTOMER_MAPPING))


def test_macro_workbook_refused():
    src = io.BytesIO(CUSTOMER)
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\x00" * 100)
    with pytest.raises(SpreadsheetRefused, match="macros"):
        inspect_workbook(out.getvalue())


def test_import_command_with_mapping(db, tmp_path):
    sheet = tmp_path / "caiq.xlsx"
    sheet.write_bytes(CAIQ)
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps(CAIQ_MAPPING))
    call_command("import_questionnaire", str(sheet), "--mapping", str(mapping), "--publish")
    assert QuestionnaireTemplate.objects.get(key="caiq-lite").questions.count() == 3


def test_import_command_xlsx_without_mapping_recognises_the_columns(db, tmp_path, capsys):
    sheet = tmp_path / "caiq.xlsx"
    sheet.write_bytes(CAIQ)
    call_command("import_questionnaire", str(sheet))
    assert '"code": "Question ID"' in capsys.readouterr().out
    template = QuestionnaireTemplate.objects.get(key="caiq")
    assert template.questions.filter(answer_type="yes_no", na_allowed=True).count() == 3
