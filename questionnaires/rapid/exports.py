"""The rapid questionnaire's board as a spreadsheet (formula-safe) and as a one-page PDF
summary for the board."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from portal.core import pdf
from portal.core.xlsx import table_xlsx

STATE_LABELS = {
    "affected": lambda: _("Affected"),
    "not_affected": lambda: _("Not affected"),
    "no_answer": lambda: _("No answer yet"),
}
PDF_ROWS = 25  # one page: the affected first, the rest counted


def _text(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def header() -> list[str]:
    return [
        _("Relationship"),
        _("Supplier"),
        _("State"),
        _("Data involved"),
        _("Expected resolution"),
        _("Contact"),
    ]


def rows(data: dict) -> list[list]:
    return [
        [
            row["relationship"].name,
            row["relationship"].supplier.name,
            STATE_LABELS[row["state"]](),
            _text(row["answers"].get("KI-03")),
            _text(row["answers"].get("KI-05")),
            _text(row["answers"].get("KI-06")),
        ]
        for row in data["rows"]
    ]


def board_xlsx(rapid, data: dict) -> bytes:
    return table_xlsx(_("Rapid questionnaire"), header(), rows(data))


def board_pdf(rapid, data: dict) -> bytes:
    s = pdf.styles()
    c = data["counts"]
    story = [
        pdf.p(_("Rapid questionnaire: %(about)s") % {"about": rapid.label}, s["h1"]),
        pdf.p(
            _("%(org)s · sent %(sent)s · answers due %(due)s · situation on %(now)s")
            % {
                "org": rapid.care_org.name,
                "sent": date_format(rapid.created_at, "DATE_FORMAT"),
                "due": date_format(rapid.due_date, "DATE_FORMAT"),
                "now": date_format(timezone.localtime(), "DATETIME_FORMAT"),
            },
            s["small"],
        ),
        pdf.p(
            _(
                "%(total)s suppliers asked: %(affected)s affected, %(not)s not affected, "
                "%(none)s without an answer yet."
            )
            % {
                "total": data["total"],
                "affected": c["affected"],
                "not": c["not_affected"],
                "none": c["no_answer"],
            },
            s["h2"],
        ),
    ]
    order = {"affected": 0, "no_answer": 1, "not_affected": 2}
    ranked = sorted(rows(data), key=lambda r: order.get(_state_key(r[2]), 3))
    table = [[pdf.p(h, s["cellbold"]) for h in header()[:4]]]
    table += [[pdf.p(v, s["cell"]) for v in r[:4]] for r in ranked[:PDF_ROWS]]
    grid = Table(table, colWidths=[52 * mm, 48 * mm, 32 * mm, 42 * mm], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(grid)
    if len(ranked) > PDF_ROWS:
        story.append(
            pdf.p(
                _("and %(n)s more: see the spreadsheet.") % {"n": len(ranked) - PDF_ROWS},
                s["small"],
            )
        )
    title = _("Rapid questionnaire")
    return pdf.build(story, title=title, footer=f"Ketenwacht · {title} · {rapid.label}")


def _state_key(label: str) -> str:
    for key, make in STATE_LABELS.items():
        if make() == label:
            return key
    return ""
