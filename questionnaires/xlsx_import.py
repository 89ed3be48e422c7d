"""Spreadsheet import of questionnaires (FORMATS.md): a sheet, a column mapping, a preview.

Hostile files are refused before parsing: size limit, a zip-bomb check on the archive, no
macros and no XML document type declarations (external entities, billion laughs) in any part.
openpyxl then reads in read-only mode with defusedxml (checked at import: without it nothing is
opened) and cached values only (formulas are never evaluated); whatever its parser still
chokes on is a refusal, never a crash. The rows become a questionnaire dict that goes through
the same validation as a YAML file; errors name the sheet, row and column.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from portal.core.uploads import UploadRefused, check_office_archive

from .yaml_io import FileError, QuestionnaireFileError, validate_questionnaire

MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 2000
MAX_ROWS = 3000
MAPPABLE = ("section", "code", "text", "text_en", "type", "answers", "weight", "references", "help")

YES = {"yes", "ja", "y", "j", "true"}
NO = {"no", "nee", "n", "false"}
PARTIAL = {"partial", "partially", "gedeeltelijk", "deels", "partly"}
NA = {"na", "n/a", "n.a.", "nvt", "n.v.t.", "not applicable", "niet van toepassing"}
TYPE_WORDS = {
    "text": "text",
    "tekst": "text",
    "free text": "text",
    "vrije tekst": "text",
    "number": "number",
    "getal": "number",
    "aantal": "number",
    "date": "date",
    "datum": "date",
    "file": "file",
    "bestand": "file",
    "upload": "file",
    "document": "file",
    "yes_no": "yes_no",
    "yes_partial_no": "yes_partial_no",
    "single_choice": "single_choice",
    "multiple_choice": "multiple_choice",
}


class SpreadsheetRefused(QuestionnaireFileError):
    """The file is not a spreadsheet we are willing to open (too large, a bomb, not xlsx)."""

    def __init__(self, message: str):
        super().__init__([FileError("", message)])


def _parser_is_safe() -> bool:
    """openpyxl parses with defusedxml only when that is importable and not switched off."""
    return bool(getattr(openpyxl, "DEFUSEDXML", False))


def check_archive(data: bytes) -> None:
    """Refuse oversized files and zip bombs before any XML is parsed."""
    if not data:
        raise SpreadsheetRefused("The file is empty.")
    if len(data) > MAX_XLSX_BYTES:
        raise SpreadsheetRefused(f"The file is larger than {MAX_XLSX_BYTES // (1024 * 1024)} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetRefused("This is not an .xlsx spreadsheet.") from exc
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise SpreadsheetRefused("The spreadsheet has too many parts.")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_RATIO:
        raise SpreadsheetRefused("The spreadsheet unpacks to an implausible size (zip bomb).")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise SpreadsheetRefused("This is not an .xlsx spreadsheet.")
    if any(n.startswith("xl/vbaProject") for n in names):
        raise SpreadsheetRefused("Spreadsheets with macros are not accepted.")
    try:
        check_office_archive(archive)
    except UploadRefused as exc:
        raise SpreadsheetRefused(str(exc)) from exc


def _open(data: bytes):
    check_archive(data)
    if not _parser_is_safe():
        raise SpreadsheetRefused("Spreadsheets cannot be read safely on this server (defusedxml).")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a refusal, never a crash
        raise SpreadsheetRefused(
            f"The spreadsheet could not be read safely: {type(exc).__name__}"
        ) from exc


def safe_rows(ws, **kwargs):
    """`ws.iter_rows(values_only=True)`; read-only sheets parse lazily, so a part that the XML
    parser refuses (or that is malformed) surfaces here and becomes a refusal."""
    rows = ws.iter_rows(values_only=True, **kwargs)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - any parser failure is a refusal, never a crash
            raise SpreadsheetRefused(
                f"The spreadsheet could not be read safely: {type(exc).__name__}"
            ) from exc
        yield row


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def inspect_workbook(data: bytes, *, sample_rows: int = 5) -> list[dict]:
    """Sheets with their first rows, so the user can pick the sheet and the header row."""
    wb = _open(data)
    try:
        sheets = []
        for ws in wb.worksheets:
            rows = []
            for row in safe_rows(ws, max_row=sample_rows):
                rows.append([_cell_text(v) for v in row[:40]])
            sheets.append({"name": ws.title, "rows": rows})
        return sheets
    finally:
        wb.close()


@dataclass
class Mapping:
    """Which column holds what. Columns are letters ("B") or header texts ("Question ID")."""

    sheet: str
    columns: dict[str, str]
    header_row: int = 1
    key: str = "imported"
    version: int = 1
    title_nl: str = "Geïmporteerde vragenlijst"
    title_en: str = "Imported questionnaire"
    section_from_code_prefix: bool = False
    default_type: str = "yes_partial_no"
    default_weight: int = 1
    errors: list[FileError] = field(default_factory=list)

    @classmethod
    def from_dict(cls, raw: dict) -> Mapping:
        if not isinstance(raw, dict) or not isinstance(raw.get("sheet"), str):
            raise QuestionnaireFileError([FileError("mapping.sheet", "is required")])
        columns = raw.get("columns")
        if not isinstance(columns, dict) or "text" not in columns:
            raise QuestionnaireFileError(
                [FileError("mapping.columns.text", "the question text column is required")]
            )
        unknown = set(columns) - set(MAPPABLE)
        if unknown:
            raise QuestionnaireFileError(
                [
                    FileError(f"mapping.columns.{u}", f"unknown; map any of {', '.join(MAPPABLE)}")
                    for u in sorted(unknown)
                ]
            )
        if not all(isinstance(k, str) and isinstance(v, str | None) for k, v in columns.items()):
            raise QuestionnaireFileError(
                [FileError("mapping.columns", "name each column by a letter or a header text")]
            )
        allowed = {f for f in cls.__dataclass_fields__ if f != "errors"}
        values = {k: v for k, v in raw.items() if k in allowed}
        types = {
            "header_row": int,
            "version": int,
            "key": str,
            "title_nl": str,
            "title_en": str,
            "section_from_code_prefix": bool,
            "default_type": str,
            "default_weight": int,
        }
        wrong = [
            FileError(f"mapping.{k}", "has the wrong type")
            for k, t in types.items()
            if k in values
            and (not isinstance(values[k], t) or (t is int and isinstance(values[k], bool)))
        ]
        if "header_row" in values and not wrong and not 1 <= values["header_row"] <= MAX_ROWS:
            wrong.append(FileError("mapping.header_row", f"must be a row from 1 to {MAX_ROWS}"))
        if wrong:
            raise QuestionnaireFileError(wrong)
        return cls(**values)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "errors"}


def _column_indexes(mapping: Mapping, header: list[str]) -> dict[str, int]:
    indexes: dict[str, int] = {}
    lowered = [h.lower() for h in header]
    for target, ref in mapping.columns.items():
        if not ref:
            continue
        ref = str(ref).strip()
        if ref.lower() in lowered:
            indexes[target] = lowered.index(ref.lower())
        elif re.fullmatch(r"[A-Za-z]{1,3}", ref):
            indexes[target] = column_index_from_string(ref.upper()) - 1
        else:
            raise QuestionnaireFileError(
                [
                    FileError(
                        f"{mapping.sheet}!row {mapping.header_row}",
                        f"no column {ref!r} for {target}",
                    )
                ]
            )
    return indexes


def _sanitise_code(raw: str) -> str:
    code = re.sub(r"[^A-Z0-9_.\-]+", "-", raw.strip().upper()).strip("-.")
    return code[:20]


def _options(text: str) -> tuple[list[dict], bool]:
    """Allowed answers → choices. "A; B; C" scores 1 → 0 in order; "a=1; b=0.5" keeps scores."""
    parts = [p.strip() for p in re.split(r"[/;|\n]+", text) if p.strip()]
    na = any(p.lower() in NA for p in parts)
    options = [p for p in parts if p.lower() not in NA]
    explicit = all(re.fullmatch(r".+=\s*[0-9.]+", p) for p in options) and options
    choices, seen = [], set()
    step = 1 / (len(options) - 1) if len(options) > 1 else 0
    for i, raw in enumerate(options):
        label, score = raw, round(1 - i * step, 4)
        if explicit:
            label, _, number = raw.rpartition("=")
            label = label.strip()
            try:
                score = float(number)
            except ValueError:
                score = -1.0  # "a=1.2.3": not a number, refused by the validation as any score
        value = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:50] or f"option_{i + 1}"
        while value in seen:
            value += "_"
        seen.add(value)
        choices.append({"value": value, "label": {"nl": label, "en": label}, "score": score})
    return choices, na


def _answers_to_type(
    type_cell: str, answers_cell: str, default_type: str
) -> tuple[str, list[dict], bool, str | None]:
    """Type and allowed-answers cells → (type, choices, na_allowed, error)."""
    declared = TYPE_WORDS.get(type_cell.strip().lower()) if type_cell.strip() else None
    if type_cell.strip() and declared is None:
        return default_type, [], False, f"unknown answer type {type_cell!r}"
    text = answers_cell.strip()
    if declared in ("single_choice", "multiple_choice"):
        choices, na = _options(text)
        if len(choices) < 2:
            return declared, [], na, f"a {declared} question needs at least two allowed answers"
        return declared, choices, na, None
    if declared:
        na = any(p.strip().lower() in NA for p in re.split(r"[/;|,\n]+", text))
        return declared, [], na, None
    if not text:
        return default_type, [], False, None
    if text.lower() in TYPE_WORDS:
        return TYPE_WORDS[text.lower()], [], False, None
    words = {p.strip().lower() for p in re.split(r"[/;|,\n]+", text) if p.strip()}
    na = bool(words & NA)
    core = words - NA
    if core and core <= YES | NO | PARTIAL and core & YES and core & NO:
        return ("yes_partial_no" if core & PARTIAL else "yes_no"), [], na, None
    choices, na = _options(text)
    if len(choices) < 2:
        return default_type, [], na, f"cannot read the allowed answers {text!r}"
    return "single_choice", choices, na, None


def rows_to_questionnaire(
    data: bytes, mapping: Mapping, *, limit: int | None = None
) -> tuple[dict, list[dict]]:
    """Read the mapped sheet. Returns (raw questionnaire dict, preview rows). Raises on errors."""
    wb = _open(data)
    errors: list[FileError] = []
    try:
        if mapping.sheet not in wb.sheetnames:
            raise QuestionnaireFileError(
                [
                    FileError(
                        "mapping.sheet",
                        f"no sheet {mapping.sheet!r}; the file has: {', '.join(wb.sheetnames)}",
                    )
                ]
            )
        ws = wb[mapping.sheet]
        rows = safe_rows(ws, min_row=mapping.header_row)
        header = [_cell_text(v) for v in next(rows, ())]
        cols = _column_indexes(mapping, header)
        sections: dict[str, dict] = {}
        preview: list[dict] = []
        row_of_code: dict[str, int] = {}
        for offset, row in enumerate(rows, start=1):
            rownum = mapping.header_row + offset
            if offset > MAX_ROWS:
                errors.append(FileError(f"{mapping.sheet}!{rownum}", f"more than {MAX_ROWS} rows"))
                break
            cells = {k: _cell_text(row[i]) if i < len(row) else "" for k, i in cols.items()}
            if not cells.get("text"):
                continue  # blank or heading-only rows are skipped

            def where(col: str, rownum: int = rownum) -> str:
                return f"{mapping.sheet}!{get_column_letter(cols[col] + 1)}{rownum}"

            code = _sanitise_code(cells.get("code", "")) or f"Q-{len(row_of_code) + 1:03d}"
            if code in row_of_code:
                errors.append(
                    FileError(
                        where("code") if "code" in cols else f"{mapping.sheet}!{rownum}",
                        f"duplicate code {code!r} (also row {row_of_code[code]})",
                    )
                )
                continue
            row_of_code[code] = rownum
            answer_type, choices, na, problem = _answers_to_type(
                cells.get("type", ""), cells.get("answers", ""), mapping.default_type
            )
            if problem:
                errors.append(FileError(where("type" if "type" in cols else "answers"), problem))
            weight: Any = mapping.default_weight
            if cells.get("weight"):
                try:
                    weight = int(float(cells["weight"].replace(",", ".")))
                except (ValueError, OverflowError):
                    errors.append(
                        FileError(where("weight"), f"{cells['weight']!r} is not a number 0–3")
                    )
                if not isinstance(weight, int) or not 0 <= weight <= 3:
                    errors.append(
                        FileError(where("weight"), f"{cells['weight']!r} is not a number 0–3")
                    )
                    weight = mapping.default_weight
            if mapping.section_from_code_prefix and "-" in code:
                section_name = code.split("-")[0]
            else:
                section_name = cells.get("section") or "Algemeen"
            section_code = _sanitise_code(section_name)[:12] or "GEN"
            section = sections.setdefault(
                section_code,
                {
                    "code": section_code,
                    "title": {"nl": section_name, "en": section_name},
                    "questions": [],
                },
            )
            text_en = cells.get("text_en") or cells["text"]
            question = {
                "code": code,
                "text": {"nl": cells["text"], "en": text_en},
                "type": answer_type,
                "weight": weight,
                "required": True,
                "na_allowed": na,
                "references": [r for r in re.split(r"[\s,;]+", cells.get("references", "")) if r],
            }
            if choices:
                question["choices"] = choices
            if cells.get("help"):
                question["help"] = {"nl": cells["help"], "en": cells["help"]}
            section["questions"].append(question)
            if limit is None or len(preview) < limit:
                preview.append({"row": rownum, "section": section_code, **question})
        if not row_of_code and not errors:
            errors.append(FileError(f"{mapping.sheet}", "no questions found under the header row"))
        if errors:
            raise QuestionnaireFileError(errors)
        raw = {
            "key": mapping.key,
            "version": mapping.version,
            "title": {"nl": mapping.title_nl, "en": mapping.title_en},
            "sections": list(sections.values()),
        }
        return raw, preview
    finally:
        wb.close()


def import_spreadsheet(data: bytes, mapping: Mapping) -> tuple[dict, list[dict]]:
    """Rows → validated questionnaire dict (the same validation as YAML), plus the preview."""
    raw, preview = rows_to_questionnaire(data, mapping)
    # References in customers' sheets rarely follow our prefixes: keep only valid ones,
    # so that one odd reference does not block the whole import.
    from .yaml_io import REFERENCE_RE

    for section in raw["sections"]:
        for q in section["questions"]:
            q["references"] = [r for r in q["references"] if REFERENCE_RE.match(r)]
    return validate_questionnaire(raw), preview
