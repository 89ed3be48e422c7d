"""The mapped sheet → a questionnaire dict and a report of every row.

Nothing is dropped silently: a formula is kept as inert text (or ignored, with a warning), an
unreadable reference is kept as free text, a normalised code keeps its original as a
reference, and a row without a question is listed with its reason. Real errors (a duplicate
code, an unknown answer type) still stop the whole import and name sheet, row and column.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from ..yaml_io import FileError, QuestionnaireFileError
from .archive import MAX_ROWS, cell_text, is_formula, open_workbook, safe_rows
from .detect import detect_language
from .interpret import answers_to_type, free_text_reference, normalise_code, read_references
from .mapping import LANGUAGES, Mapping
from .report import SKIPPED, WARNING, ImportReport, RowReport
from .validations import list_for, list_validations

# Columns whose formula is kept as inert text; in the others a formula means nothing to us.
TEXTUAL = ("text", "text_en", "help", "section")
DEFAULT_SECTION = {"nl": "Algemeen", "en": "General"}


def column_indexes(mapping: Mapping, header: list[str]) -> dict[str, int]:
    """Target → 0-based column, by header text (case-insensitive) or by column letter."""
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


def _escape_formula(text: str) -> str:
    """Formula text as inert text: the leading apostrophe that exports use (safe_cell)."""
    return "'" + text


class _Reader:
    """One pass over the rows; collects the sections, the errors and the report."""

    def __init__(self, mapping: Mapping, cols: dict[str, int], validations, limit: int | None):
        self.m = mapping
        self.cols = cols
        self.validations = validations
        self.limit = limit
        self.errors: list[FileError] = []
        self.sections: dict[str, dict] = {}
        self.section_codes: set[str] = set()
        self.row_of_code: dict[str, int] = {}
        self.heading = ""
        self.report = ImportReport(mapping=mapping)
        self.other = "en" if mapping.language == "nl" else "nl"

    def where(self, col: str, rownum: int) -> str:
        if col not in self.cols:
            return f"{self.m.sheet}!{rownum}"
        return f"{self.m.sheet}!{get_column_letter(self.cols[col] + 1)}{rownum}"

    def letter(self, col: str) -> str:
        return get_column_letter(self.cols[col] + 1)

    def cells(self, row: tuple, note: RowReport) -> dict[str, str]:
        out = {}
        for key, i in self.cols.items():
            text = cell_text(row[i]) if i < len(row) else ""
            if is_formula(text):
                params = {"col": self.letter(key), "formula": text[:80]}
                if key in TEXTUAL:
                    note.messages.append(
                        _(
                            "Column %(col)s holds the formula %(formula)s: imported as text, "
                            "not calculated."
                        )
                        % params
                    )
                    text = _escape_formula(text)
                else:
                    note.messages.append(
                        _(
                            "Column %(col)s holds the formula %(formula)s: ignored, the default "
                            "is used."
                        )
                        % params
                    )
                    text = ""
            out[key] = text
        return out

    def allowed_answers(self, row: tuple, rownum: int, cells: dict) -> str:
        """The answers cell, else the drop-down of the answer cell (or of any cell in the row)."""
        if cells.get("answers"):
            return cells["answers"]
        columns = [self.cols["answers"] + 1] if "answers" in self.cols else []
        columns += range(1, len(row) + 1)
        for col in columns:
            values = list_for(self.validations, col, rownum)
            if values:
                return "\n".join(values)
        return ""

    def section_for(self, name: str, original_code: str) -> dict:
        prefix = False
        if not name and self.m.section_from_code_prefix and "-" in original_code:
            name, prefix = original_code.rsplit("-", 1)[0], True
        elif not name:
            name = self.heading
        if name in self.sections:
            return self.sections[name]
        if not name:
            title = dict(DEFAULT_SECTION)
        elif prefix:  # a code prefix is the same in both languages
            title = {"nl": name, "en": name}
        else:
            title = {self.m.language: name, self.other: ""}
        base = normalise_code(name)[:12].rstrip("-.") or "GEN"
        code, n = base, 2
        while code in self.section_codes:
            code, n = f"{base}-{n}", n + 1
        self.section_codes.add(code)
        section = {"code": code, "title": title, "questions": []}
        self.sections[name] = section
        return section

    def question_code(self, raw: str, note: RowReport, refs: list[str]) -> str:
        code = normalise_code(raw) or (f"Q-{len(self.row_of_code) + 1:03d}" if raw else "")
        if raw and code != raw.strip().upper():
            note.messages.append(
                _("Code %(original)s became %(code)s; the original is kept as a reference.")
                % {"original": raw, "code": code}
            )
            refs.insert(0, free_text_reference(raw))
        return code or f"Q-{len(self.row_of_code) + 1:03d}"

    def weight(self, cells: dict, rownum: int) -> int:
        raw = cells.get("weight", "")
        if not raw:
            return self.m.default_weight
        try:
            weight = int(float(raw.replace(",", ".")))
        except (ValueError, OverflowError):
            weight = -1
        if not 0 <= weight <= 3:
            self.errors.append(
                FileError(self.where("weight", rownum), f"{raw!r} is not a number 0–3")
            )
            return self.m.default_weight
        return weight

    def texts(self, cells: dict, key: str, en_key: str | None) -> dict:
        if en_key and en_key in self.cols:
            return {"nl": cells.get(key, ""), "en": cells.get(en_key, "")}
        return {self.m.language: cells.get(key, ""), self.other: ""}

    def skip(self, row: tuple, cells: dict, note: RowReport) -> None:
        filled = [cell_text(v) for v in row if cell_text(v)]
        note.status = SKIPPED
        looks_like_code = bool(filled) and re.fullmatch(r"\S*\d\S*", filled[0])
        if len(filled) == 1 and not looks_like_code:
            self.heading = filled[0][:200]
            note.messages.append(
                _("No question: %(title)s is used as the section of the rows below.")
                % {"title": self.heading}
            )
        else:
            col = self.letter("text") if "text" in self.cols else "?"
            note.messages.append(_("No question text in column %(col)s.") % {"col": col})

    def row(self, row: tuple, rownum: int) -> None:
        note = RowReport(row=rownum)
        self.report.rows.append(note)
        cells = self.cells(row, note)
        if not cells.get("text") and not cells.get("text_en"):
            self.skip(row, cells, note)
            return
        refs, unread = read_references(cells.get("references", ""))
        for piece in unread:
            note.messages.append(
                _("Reference %(ref)s is not in a known form; kept as free text.") % {"ref": piece}
            )
        raw_code = cells.get("code", "")
        code = self.question_code(raw_code, note, refs)
        note.code = code
        if code in self.row_of_code:
            self.errors.append(
                FileError(
                    self.where("code", rownum),
                    f"duplicate code {code!r} (also row {self.row_of_code[code]})",
                )
            )
            return
        self.row_of_code[code] = rownum
        answer_type, choices, na, problem = answers_to_type(
            cells.get("type", ""), self.allowed_answers(row, rownum, cells), self.m.default_type
        )
        if problem:
            self.errors.append(
                FileError(self.where("type" if "type" in self.cols else "answers", rownum), problem)
            )
        section = self.section_for(cells.get("section", ""), raw_code)
        question: dict[str, Any] = {
            "code": code,
            "text": self.texts(cells, "text", "text_en"),
            "type": answer_type,
            "weight": self.weight(cells, rownum),
            "required": True,
            "na_allowed": na,
            "references": refs,
        }
        if choices:
            question["choices"] = choices
        if cells.get("help"):
            question["help"] = self.texts(cells, "help", None)
        section["questions"].append(question)
        if note.messages:
            note.status = WARNING
        if self.limit is None or len(self.report.preview) < self.limit:
            self.report.preview.append(
                {
                    "row": rownum,
                    "section": section["code"],
                    "section_title": section["title"][self.m.language] or section["title"]["nl"],
                    "original_code": raw_code,
                    "status": note.status,
                    "messages": note.messages,
                    **question,
                }
            )

    def missing_language_note(self) -> None:
        notes = {
            "en": _("%(n)s questions have no English text: marked as missing, not copied."),
            "nl": _("%(n)s questions have no Dutch text: marked as missing, not copied."),
        }
        for lang, note in notes.items():
            missing = sum(
                1 for s in self.sections.values() for q in s["questions"] if not q["text"][lang]
            )
            if missing:
                self.report.notes.append(note % {"n": missing})


def read_sheet(
    data: bytes, mapping: Mapping, *, limit: int | None = None
) -> tuple[dict, ImportReport]:
    """Read the mapped sheet → (raw questionnaire dict, report). Raises on real errors."""
    wb = open_workbook(data, formulas=True)
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
        rows = safe_rows(wb[mapping.sheet], min_row=mapping.header_row)
        header = [cell_text(v) for v in next(rows, ())]
        cols = column_indexes(mapping, header)
        rows = list(itertools.islice(rows, MAX_ROWS + 1))
        if "text_en" in cols:
            mapping.language = "nl"
        elif mapping.language not in LANGUAGES and "text" in cols:
            i = cols["text"]
            texts = [cell_text(r[i]) for r in rows[:50] if i < len(r)]
            mapping.language = detect_language(header[i] if i < len(header) else "", texts)
        reader = _Reader(mapping, cols, list_validations(data, wb, mapping.sheet), limit)
        for offset, row in enumerate(rows, start=1):
            rownum = mapping.header_row + offset
            if offset > MAX_ROWS:
                reader.errors.append(
                    FileError(f"{mapping.sheet}!{rownum}", f"more than {MAX_ROWS} rows")
                )
                break
            if any(cell_text(v) for v in row):
                reader.row(row, rownum)
        if not reader.row_of_code and not reader.errors:
            reader.errors.append(
                FileError(mapping.sheet, "no questions found under the header row")
            )
        if reader.errors:
            raise QuestionnaireFileError(reader.errors)
        reader.missing_language_note()
        raw = {
            "key": mapping.key,
            "version": mapping.version,
            "title": {"nl": mapping.title_nl, "en": mapping.title_en},
            "sections": list(reader.sections.values()),
        }
        return raw, reader.report
    finally:
        wb.close()
