"""Opening a spreadsheet safely: hostile files are refused before any XML is parsed.

Size limit, a zip-bomb check on the archive, no macros and no XML document type declarations
(external entities, billion laughs) in any part. openpyxl then reads in read-only mode with
defusedxml (checked at import: without it nothing is opened); formulas are never evaluated.
Whatever the parser still chokes on is a refusal, never a crash.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
from openpyxl import load_workbook

from portal.core.uploads import UploadRefused, check_office_archive

from ..yaml_io import FileError, QuestionnaireFileError

MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 2000
MAX_ROWS = 3000
MAX_COLUMNS = 40


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
    except Exception as exc:  # noqa: BLE001 - a damaged part (EOFError, zlib.error) is a refusal
        raise SpreadsheetRefused(
            f"The spreadsheet could not be read safely: {type(exc).__name__}"
        ) from exc


def open_workbook(data: bytes, *, formulas: bool = False):
    """The checked workbook, read-only. With `formulas`, a formula cell reads as its formula
    text ("=SUM(A1:A3)") instead of the cached value, so that it can be shown, never run."""
    check_archive(data)
    if not _parser_is_safe():
        raise SpreadsheetRefused("Spreadsheets cannot be read safely on this server (defusedxml).")
    try:
        return load_workbook(
            io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - any parser failure is a refusal, never a crash
        raise SpreadsheetRefused(
            f"The spreadsheet could not be read safely: {type(exc).__name__}"
        ) from exc


# The name used before the package split (assessment_xlsx and tests import it).
_open = open_workbook


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


def cell_text(value: Any) -> str:
    """A cell as stripped text; whole floats without ".0", array formulas as their formula."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, str | int | float) and hasattr(value, "text"):
        value = "=" + str(value.text).lstrip("=")  # openpyxl's ArrayFormula / DataTableFormula
    return str(value).strip()


def is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def inspect_workbook(data: bytes, *, sample_rows: int = 20) -> list[dict]:
    """Sheets with their first rows (formulas as text), so the user can pick sheet and header."""
    wb = open_workbook(data, formulas=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            rows = []
            for row in safe_rows(ws, max_row=sample_rows):
                rows.append([cell_text(v) for v in row[:MAX_COLUMNS]])
            sheets.append({"name": ws.title, "rows": rows})
        return sheets
    finally:
        wb.close()
