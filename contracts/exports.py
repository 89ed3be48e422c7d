"""The clause checklist as a spreadsheet (formula-safe) and as a PDF to hand to the supplier;
the exit note as a PDF. Texts through gettext, rendered in the reader's language."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from portal.core import pdf
from portal.core.i18n import stored_text
from questionnaires.xlsx_export import safe_cell

from .checklist import checklist_summary
from .exitnote import section_title
from .exitnote.texts import LEVEL_WORDS

PRIORITY_WORDS = {
    "must": pgettext_lazy("clause priority in a table", "must"),
    "should": pgettext_lazy("clause priority in a table", "should"),
}
STATUS_WORDS = {
    "missing": pgettext_lazy("clause status in a sentence", "missing"),
    "negotiating": pgettext_lazy("clause status in a sentence", "negotiating"),
    "present": pgettext_lazy("clause status in a sentence", "present"),
    "waived": pgettext_lazy("clause status in a sentence", "waived"),
}


def _where(item, *, for_supplier: bool = False) -> str:
    if item.status == "present":
        return item.contract_reference
    if item.status == "waived":
        return "" if for_supplier else item.motivation
    return item.contract_reference or ""


def checklist_xlsx(rel, items) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Clauses"
    header = [
        "code",
        "title (nl)",
        "title (en)",
        "requirement (nl)",
        "priority",
        "category",
        "basis",
        "status",
        "contract",
        "article",
        "motivation",
        "triggered",
        "reasons",
    ]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i in items:
        c = i.clause
        ws.append(
            [
                safe_cell(v)
                for v in (
                    c.code,
                    c.title_nl,
                    c.title_en,
                    c.requirement_nl,
                    c.priority,
                    c.category,
                    "; ".join(c.basis),
                    i.status,
                    i.contract.reference if i.contract else "",
                    i.article,
                    i.motivation,
                    "yes" if i.triggered else "no",
                    " | ".join(r.get("nl", "") for r in i.reasons),
                )
            ]
        )
    for col, width in zip(
        "ABCDEFGHIJKLM", (14, 40, 40, 70, 9, 14, 22, 12, 14, 12, 40, 9, 60), strict=True
    ):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def checklist_pdf(rel, items, lang: str = "nl", *, for_supplier: bool = False) -> bytes:
    """The clause checklist. `for_supplier`: the version the care organisation hands to the
    supplier — the clauses, their basis and where they stand, but nothing of the care
    organisation's own assessment (DESIGN §12): no tier, no reasons (they name intake factors
    and scores), no waiver motivations, no clauses that no longer apply."""
    with translation.override("en" if lang == "en" else "nl"):
        return _checklist_pdf(rel, items, for_supplier=for_supplier)


def _clause_table(items, s, *, for_supplier: bool) -> Table:
    """One row per clause: code, title with requirement and basis (and, for the care
    organisation, why it applies), priority, status, where."""
    head = [_("Code"), _("Clause and requirement"), _("Priority"), _("Status")]
    data = [[pdf.p(h, s["cellbold"]) for h in [*head, _("Where / motivation")]]]
    basis, why_label = _("Basis"), _("Why")
    for i in items:
        c = i.clause
        note = f"{escape(basis)}: {escape(', '.join(c.basis))}"
        if not for_supplier:
            why = "; ".join(stored_text(r) for r in i.reasons)
            note += f"<br/>{escape(why_label)}: {escape(why)}"
        body = Paragraph(
            f"<b>{escape(c.title)}</b><br/>{escape(c.requirement)}<br/>"
            f"<font color='#4a5560'>{note}</font>",
            s["cell"],
        )
        data.append(
            [
                pdf.p(c.code, s["cellbold"]),
                body,
                pdf.p(str(PRIORITY_WORDS.get(c.priority, c.priority)), s["cell"]),
                pdf.p(str(STATUS_WORDS.get(i.status, i.status)), s["cell"]),
                pdf.p(_where(i, for_supplier=for_supplier), s["cell"]),
            ]
        )
    table = Table(data, colWidths=[26 * mm, 68 * mm, 20 * mm, 28 * mm, 32 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.PRIMARY),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#c5ced6")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef4f7")),
            ]
        )
    )
    return table


def _checklist_pdf(rel, items, *, for_supplier: bool) -> bytes:
    s = pdf.styles()
    title, tier_label = _("Contract clauses"), _("Tier")
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    meta = f"{rel.care_org.name} · {rel.supplier.name} · "
    meta += today if for_supplier else f"{tier_label}: {rel.get_inherent_tier_display()} · {today}"
    intro = (
        _(
            "Which terms the contract with you must contain, on which basis, and where they are. "
            "Drawn up with Ketenwacht."
        )
        if for_supplier
        else _(
            "Which terms the contract with this supplier must contain, why, and where they "
            "are. Drawn up with Ketenwacht from the intake, the supplier type, the tier and "
            "the questionnaire answers."
        )
    )
    story = [
        pdf.p(f"{title}: {rel.name}", s["h1"]),
        pdf.p(meta, s["small"]),
        Spacer(1, 4),
        pdf.p(intro, s["body"]),
    ]
    if for_supplier:
        items = [i for i in items if i.triggered]
    summary = checklist_summary(rel)
    story.append(
        pdf.p(
            _(
                "%(total)s clauses; %(present)s present, %(open)s open (%(must)s must), "
                "%(waived)s waived."
            )
            % {
                "total": summary["total"],
                "present": summary["present"],
                "open": summary["open"],
                "must": summary["must_missing"],
                "waived": summary["waived"],
            },
            s["h3"],
        )
    )
    if not items:
        story.append(
            pdf.p(_("No checklist yet: open the checklist in Ketenwacht to draw it up."), s["body"])
        )
    for group, rows in (
        (None, [i for i in items if i.triggered]),
        (_("No longer triggered (kept)"), [i for i in items if not i.triggered]),
    ):
        if rows and group:
            story.append(pdf.p(group, s["h2"]))
        if rows:
            story.append(_clause_table(rows, s, for_supplier=for_supplier))
    return pdf.build(
        story,
        title=f"{title} — {rel.name}",
        footer=f"Ketenwacht · {title} · {rel.care_org.name} — {rel.supplier.name}",
    )


def exit_note_pdf(rel, note, lang: str = "nl") -> bytes:
    """The exit note as a document for the board: status, lock-in with reasons, every section."""
    with translation.override("en" if lang == "en" else "nl"):
        return _exit_note_pdf(rel, note)


def _exit_note_pdf(rel, note) -> bytes:

    s = pdf.styles()
    title = _("Exit strategy: %(name)s") % {"name": rel.name}
    tier_label, lock_in_label = _("Tier"), _("Lock-in")
    story = [
        pdf.p(title, s["h1"]),
        pdf.p(
            f"{rel.care_org.name} · {rel.supplier.name} · {tier_label}: "
            f"{rel.get_inherent_tier_display()} · "
            + _("Version %(version)s") % {"version": note.version}
            + f" · {note.get_status_display()}",
            s["small"],
        ),
    ]
    approvals = []
    if note.security_approved_by:
        approvals.append(
            _("Security officer")
            + f": {note.security_approved_by} ({note.security_approved_at:%Y-%m-%d})"
        )
    if note.board_approved_by:
        approvals.append(
            _("Board") + f": {note.board_approved_by} ({note.board_approved_at:%Y-%m-%d})"
        )
    if approvals:
        story.append(
            pdf.p(_("Approved by %(names)s") % {"names": "; ".join(approvals)}, s["small"])
        )
    level = LEVEL_WORDS.get(note.lock_in, note.lock_in)
    story.append(pdf.p(f"{lock_in_label}: {level} ({note.lock_in_score})", s["h2"]))
    for r in note.lock_in_reasons:
        story.append(pdf.p(f"• {stored_text(r)} ({r['points']})", s["body"]))
    for section in note.sections.all():
        story.append(pdf.p(section_title(section.key), s["h2"]))
        story.append(pdf.p(section.body, s["body"]))
    return pdf.build(
        story,
        title=title,
        footer=f"Ketenwacht · {title} · {timezone.localdate().isoformat()}",
    )
