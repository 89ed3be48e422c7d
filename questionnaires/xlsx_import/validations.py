"""Drop-down lists of a sheet (list data validations): the answers a customer allowed.

openpyxl's read-only mode does not read data validations, so the sheet's XML part is read
here with defusedxml (the archive has been checked by `check_archive` already). Both the
classic `<dataValidation>` and Excel 2010's `<x14:dataValidation>` (lists on another sheet)
are understood; a list is either literal (`"Yes,No,NA"`) or a range whose values are read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree
from openpyxl.utils.cell import range_boundaries

from .archive import MAX_COLUMNS, SpreadsheetRefused, cell_text, safe_rows

_MAX_LIST = 50


@dataclass(frozen=True)
class ListValidation:
    boxes: tuple[tuple[int, int, int, int], ...]  # (min_col, min_row, max_col, max_row), 1-based
    values: tuple[str, ...]

    def covers(self, col: int, row: int) -> bool:
        return any(c1 <= col <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in self.boxes)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive path of the named sheet (workbook.xml → its relationship target)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for el in workbook.iter():
        if _local(el.tag) == "sheet" and el.get("name") == sheet:
            rel_id = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for el in rels.iter():
        if _local(el.tag) == "Relationship" and el.get("Id") == rel_id:
            target = el.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _boxes(sqref: str) -> tuple[tuple[int, int, int, int], ...]:
    boxes = []
    for part in sqref.split():
        try:
            c1, r1, c2, r2 = range_boundaries(part.replace("$", ""))
        except ValueError:
            continue
        if None not in (c1, r1, c2, r2):
            boxes.append((c1, r1, c2, r2))
    return tuple(boxes)


def _range_values(workbook, formula: str, default_sheet: str) -> tuple[str, ...]:
    """`Lists!$A$1:$A$3` or `$H$1:$H$3` → the non-empty values of that range (first 50)."""
    sheet, _, ref = formula.rpartition("!")
    sheet = sheet.strip("'") or default_sheet
    if sheet not in workbook.sheetnames:
        return ()
    try:
        c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
    except ValueError:
        return ()
    if None in (c1, r1, c2, r2) or (r2 - r1 + 1) * (c2 - c1 + 1) > _MAX_LIST:
        return ()
    values = []
    rows = safe_rows(workbook[sheet], min_row=r1, max_row=r2, min_col=c1, max_col=c2)
    for row in rows:
        values.extend(cell_text(v) for v in row if cell_text(v))
    return tuple(values)


def _values(formula: str, workbook, sheet: str) -> tuple[str, ...]:
    formula = formula.strip().lstrip("=")
    if formula.startswith('"') and formula.endswith('"'):
        parts = [p.strip() for p in formula[1:-1].split(",")]
        return tuple(p for p in parts if p)[:_MAX_LIST]
    if re.fullmatch(r"(?:'?[^!]+'?!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?", formula):
        return _range_values(workbook, formula, sheet)
    return ()  # a defined name or a formula: not a list we can read


_ROOT = re.compile(rb"<(?:[\w.-]+:)?worksheet\b[^>]*>")
_CELLS_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>")


def _without_cells(raw: bytes) -> bytes:
    """The sheet XML without its cells (openpyxl reads those): validations follow the cells,
    and parsing every cell a second time would double the import's time."""
    if b"dataValidation" not in raw:
        return raw[:0] + b"<worksheet/>"
    root, end = _ROOT.search(raw), _CELLS_END.search(raw)
    if root is None or end is None:
        return raw
    return raw[: root.end()] + raw[end.end() :]


def list_validations(data: bytes, workbook, sheet: str) -> list[ListValidation]:
    """Every list validation of the sheet with its allowed values; [] when there are none."""
    try:
        return _list_validations(data, workbook, sheet)
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged part is a refusal, never a crash
        raise SpreadsheetRefused(
            f"The spreadsheet could not be read safely: {type(exc).__name__}"
        ) from exc


def _list_validations(data: bytes, workbook, sheet: str) -> list[ListValidation]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    part = _sheet_part(archive, sheet)
    if part is None or part not in archive.namelist():
        return []
    found: list[ListValidation] = []
    for _event, el in ElementTree.iterparse(io.BytesIO(_without_cells(archive.read(part)))):
        if _local(el.tag) != "dataValidation" or el.get("type") != "list":
            continue
        formula, sqref = "", el.get("sqref", "")
        for child in el.iter():
            name = _local(child.tag)
            if name == "formula1":
                formula = "".join(child.itertext())
            elif name == "sqref":
                sqref = child.text or ""
        values = _values(formula, workbook, sheet)
        boxes = tuple(b for b in _boxes(sqref) if b[0] <= MAX_COLUMNS)
        if values and boxes:
            found.append(ListValidation(boxes, values))
    return found


def list_for(validations: list[ListValidation], col: int, row: int) -> tuple[str, ...]:
    """The allowed values of the cell at (1-based) column and row, if it has a drop-down."""
    for v in validations:
        if v.covers(col, row):
            return v.values
    return ()
