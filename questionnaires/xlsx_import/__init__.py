"""Spreadsheet import of questionnaires (FORMATS.md): a sheet, a column mapping, a preview.

`archive` opens hostile files safely or refuses them; `detect` guesses sheet, header row,
columns and language; `validations` reads drop-down lists; `interpret` reads answers,
references and codes; `rows` turns the mapped rows into a questionnaire dict and a report of
every row. The dict goes through the same validation as a YAML file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..yaml_io import validate_questionnaire
from .archive import (
    MAX_ROWS,
    SpreadsheetRefused,
    cell_text,
    check_archive,
    inspect_workbook,
    open_workbook,
    safe_rows,
)
from .detect import detect_columns, detect_header_row, detect_language, detect_sheet
from .mapping import LANGUAGES, MAPPABLE, Mapping
from .report import ImportReport, RowReport
from .rows import read_sheet
from .validations import list_validations

__all__ = [
    "LANGUAGES",
    "MAPPABLE",
    "MAX_ROWS",
    "ImportReport",
    "Mapping",
    "RowReport",
    "SpreadsheetRefused",
    "check_archive",
    "detect_mapping",
    "import_spreadsheet",
    "import_with_report",
    "inspect_workbook",
    "safe_rows",
]


def detect_mapping(data: bytes, *, name: str = "", sheets: list[dict] | None = None) -> Mapping:
    """A mapping guessed from the file alone: sheet, header row, columns, language, key."""
    sheets = sheets if sheets is not None else inspect_workbook(data)
    sheet_name = detect_sheet(sheets)
    rows = next((s["rows"] for s in sheets if s["name"] == sheet_name), [])
    header_row = detect_header_row(rows)
    header = rows[header_row - 1] if rows else []
    wb = open_workbook(data, formulas=True)
    try:
        validations = list_validations(data, wb, sheet_name) if sheet_name else []
    finally:
        wb.close()
    columns = detect_columns(header, validations, header_row)
    text_col = columns.get("text", "")
    texts = []
    if text_col in header:
        i = header.index(text_col)
        texts = [r[i] for r in rows[header_row:] if i < len(r) and r[i]]
    stem = Path(name).stem if name else ""
    key = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:80] or "imported"
    title = stem[:200] or None
    mapping = Mapping(sheet=sheet_name, columns=columns, header_row=header_row, key=key)
    mapping.language = "nl" if "text_en" in columns else detect_language(text_col, texts)
    if title:
        mapping.title_nl = mapping.title_en = title
    return mapping


def import_with_report(
    data: bytes, mapping: Mapping, *, limit: int | None = None
) -> tuple[dict, ImportReport]:
    """Rows → validated questionnaire dict (the same validation as YAML, one language
    allowed), with the report of every row."""
    raw, report = read_sheet(data, mapping, limit=limit)
    return validate_questionnaire(raw, one_language_ok=True), report


def import_spreadsheet(data: bytes, mapping: Mapping) -> tuple[dict, list[dict]]:
    """Rows → validated questionnaire dict, plus the preview rows."""
    data_dict, report = import_with_report(data, mapping)
    return data_dict, report.preview


# Names used before the package split.
_open = open_workbook
_cell_text = cell_text
