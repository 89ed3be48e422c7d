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
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from . import assessments as svc
from .answer_text import answer_text, choice_label
from .xlsx_export import safe_cell
from .xlsx_import import SpreadsheetRefused, check_archive, safe_rows

SHEET = "Answers"  # the upload finds the sheet by this name, in either language


def _header() -> list[str]:
    """Column titles in the reader's language; the upload reads the columns by position."""
    return [
        _("Code"),
        _("Section"),
        _("Question"),
        _("Allowed answers"),
        _("Answer"),
        _("Explanation"),
    ]


def assessment_to_xlsx(assessment, *, lang: str = "nl") -> bytes:
    answers = svc.answers_by_code(assessment)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    with translation.override(lang):
        ws.append(_header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3E8")
    for q, visible in svc.visible_questions(assessment, answers):
        if not visible or q.answer_type == "file":
            continue
        choices = svc.choices_for(q)
        with translation.override(lang):
            several = q.answer_type == "multiple_choice"
            if several:  # typed as codes, comma-separated: each code with its meaning
                allowed = "; ".join(f"{c['value']} ({choice_label(c, lang)})" for c in choices)
                allowed += " " + _("(several codes, comma-separated)")
            elif choices:  # one label, in the reader's language (the upload reads either)
                allowed = " / ".join(choice_label(c, lang) for c in choices)
            else:
                allowed = {"number": _("a number"), "date": "YYYY-MM-DD", "text": _("text")}.get(
                    q.answer_type, ""
                )
        answer = answers.get(q.code)
        value = answer.value if answer is not None else None
        if choices and not several:
            shown = answer_text(q, value, lang)
        else:
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
        labels = [choice_label(c, lang) for c in choices]
        if choices and not several and not any("," in x or '"' in x for x in labels):
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(labels) + '"',
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
            choice_label(c, lang).lower(): c["value"]
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
