"""Spreadsheet downloads of lists: one sheet, a bold header, every text cell formula-safe."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these would be run as a formula by a spreadsheet program
# (CSV/formula injection); such text gets a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def safe_cell(value):
    """Neutralise text that a spreadsheet would run as a formula; other values pass as they are."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float | date | datetime):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    if isinstance(value, Decimal):
        return float(value)
    return safe_cell(str(value))


def table_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = (title or "Sheet")[:31]
    ws.append([safe_cell(str(h)) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_plain(v) for v in row])
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def wants_xlsx(request) -> bool:
    """A list page answers `?format=xlsx` with the same rows as a spreadsheet."""
    return request.GET.get("format") == "xlsx"


def xlsx_response(filename: str, title: str, header: Sequence[str], rows) -> HttpResponse:
    response = HttpResponse(table_xlsx(title, header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
