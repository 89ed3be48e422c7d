"""Spreadsheet export of a questionnaire: one row per question, formula-safe."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from portal.core.xlsx import FORMULA_PREFIXES, safe_cell  # noqa: F401  (re-exported)

from .yaml_io import QUESTION_FIELDS

XLSX_LEAVES_OUT = ("bands", "reviewer_scored")  # the export sheet has no column for these
COLUMNS = [
    "section",
    "section_title_nl",
    "section_title_en",
    "code",
    "text_nl",
    "text_en",
    "type",
    *(f for f in QUESTION_FIELDS if f not in XLSX_LEAVES_OUT),
    "advice_nl",
    "advice_en",
]


def _choices_text(choices: list[dict]) -> str:
    return "; ".join(f"{c['value']}={c['score']}" for c in choices)


def questionnaire_to_xlsx(data: dict) -> bytes:
    """`data` is the normalised questionnaire dict (see yaml_io)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for section in data["sections"]:
        for q in section["questions"]:
            row = [
                section["code"],
                section["title"]["nl"],
                section["title"]["en"],
                q["code"],
                q["text"]["nl"],
                q["text"]["en"],
                q["type"],
                _choices_text(q["choices"]),
                "yes" if q["na_allowed"] else "no",
                q["weight"],
                "yes" if q["required"] else "no",
                "yes" if q["knockout"] else "no",
                q["severity"],
                ", ".join(q["applies_to"]),
                json.dumps(q["show_if"]) if q["show_if"] else "",
                q["evidence"],
                ", ".join(q["references"]),
                q["advice"]["nl"],
                q["advice"]["en"],
            ]
            ws.append([safe_cell(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip(
        "ABCDEFGHIJKLMNOPQRS",
        (8, 20, 20, 10, 50, 50, 14, 20, 8, 7, 8, 8, 9, 20, 30, 9, 25, 40, 40),
        strict=True,
    ):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "E2"
    meta = wb.create_sheet("About")
    meta.append(["key", data["key"]])
    meta.append(["version", data["version"]])
    meta.append(["title_nl", safe_cell(data["title"]["nl"])])
    meta.append(["title_en", safe_cell(data["title"]["en"])])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
