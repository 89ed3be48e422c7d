"""The Excel round trip for suppliers (DESIGN §10): download, fill in offline, upload back.

The sheet lists the questions with their codes, the allowed answers as a dropdown and the
current answers. The upload is read safely (same checks as the questionnaire import) and
validated like any answer; every refused row is reported and nothing is applied on an error.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from . import assessments as svc
from .xlsx_export import safe_cell
from .xlsx_import import SpreadsheetRefused, check_archive, safe_rows

SHEET = "Answers"
HEADER = ["code", "section", "question", "allowed answers", "answer", "explanation"]


def _label(choice: dict, lang: str) -> str:
    return (choice.get("label") or {}).get(lang) or choice["value"]


def assessment_to_xlsx(assessment, *, lang: str = "nl") -> bytes:
    answers = svc.answers_by_code(assessment)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3E8")
    for q, visible in svc.visible_questions(assessment, answers):
        if not visible or q.answer_type == "file":
            continue
        choices = svc.choices_for(q)
        allowed = (
            ", ".join(c["value"] for c in choices)
            if choices
            else {"number": _("a number"), "date": "YYYY-MM-DD", "text": _("text")}.get(
                q.answer_type, ""
            )
        )
        if q.answer_type == "multiple_choice":
            allowed += " " + _("(several, comma-separated)")
        answer = answers.get(q.code)
        value = answer.value if answer is not None else None
        shown = ", ".join(value) if isinstance(value, list) else value
        ws.append(
            [
                safe_cell(v)
                for v in (
                    q.code,
                    q.section.code,
                    q.text_en if lang == "en" else q.text_nl,
                    allowed,
                    shown,
                    answer.explanation if answer else "",
                )
            ]
        )
        if choices and q.answer_type != "multiple_choice":
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(c["value"] for c in choices) + '"',
                allow_blank=True,
            )
            ws.add_data_validation(dv)
            dv.add(f"E{ws.max_row}")
    for col, width in zip("ABCDEF", (10, 8, 70, 28, 18, 40), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "E2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _value_for(q, raw):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    t = q.answer_type
    if t == "multiple_choice":
        return [v.strip() for v in str(raw).split(",") if v.strip()]
    if t == "number":
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return raw
        try:
            text = str(raw).replace(",", ".").strip()
            return float(text) if "." in text else int(text)
        except ValueError:
            return str(raw)
    if t == "date":
        if isinstance(raw, datetime | date):
            return (raw.date() if isinstance(raw, datetime) else raw).isoformat()
        return str(raw).strip()
    if t in ("yes_no", "yes_partial_no", "single_choice"):
        text = str(raw).strip()
        by_label = {
            str(_label(c, lang)).lower(): c["value"]
            for c in svc.choices_for(q)
            for lang in ("nl", "en")
        }
        return by_label.get(text.lower(), text)
    return str(raw)


class RoundTripError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def xlsx_to_answers(assessment, data: bytes, *, actor) -> int:
    """Apply the uploaded answers, all or nothing; returns the number of answers saved."""
    try:
        check_archive(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except SpreadsheetRefused as exc:
        raise RoundTripError([str(exc)]) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure is a refusal
        raise RoundTripError([_("The spreadsheet could not be read.")]) from exc
    try:
        if SHEET not in wb.sheetnames:
            raise RoundTripError(
                [_("The sheet “%(s)s” is missing; download the sheet again.") % {"s": SHEET}]
            )
        questions = {q.code: q for q, visible in svc.visible_questions(assessment) if visible}
        current = svc.answers_by_code(assessment)
        rows, errors = [], []
        for n, row in enumerate(safe_rows(wb[SHEET], min_row=2, max_col=6), start=2):
            if n > 5000:
                errors.append(_("Too many rows."))
                break
            code, _section, _text, _allowed, raw, explanation = (list(row) + [None] * 6)[:6]
            if not code:
                continue
            q = questions.get(str(code).strip())
            if q is None:
                errors.append(
                    _("Row %(n)s: %(c)s is not a question of this assessment.")
                    % {"n": n, "c": code}
                )
                continue
            value = _value_for(q, raw)
            explanation = "" if explanation is None else str(explanation)
            old = current.get(q.code)
            if value is None and not explanation:
                continue
            if (
                old is not None
                and not old.prefilled
                and old.value == value
                and old.explanation == explanation
            ):
                continue  # unchanged
            try:
                svc.validate_value(q, value)
            except ValidationError as exc:
                errors.append(
                    _("Row %(n)s (%(c)s): %(m)s")
                    % {"n": n, "c": q.code, "m": " ".join(exc.messages)}
                )
                continue
            if len(explanation) > 4000:
                errors.append(
                    _("Row %(n)s (%(c)s): the explanation is too long.") % {"n": n, "c": q.code}
                )
                continue
            rows.append((q.code, value, explanation))
    except SpreadsheetRefused as exc:
        raise RoundTripError([str(exc)]) from exc
    finally:
        wb.close()
    if errors:
        raise RoundTripError(errors)
    with transaction.atomic():
        for code, value, explanation in rows:
            svc.answer_save(
                assessment=assessment, code=code, value=value, explanation=explanation, actor=actor
            )
    return len(rows)
