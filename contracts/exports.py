"""The clause checklist as a spreadsheet (formula-safe) and as a PDF to hand to the supplier."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from portal.core import pdf
from questionnaires.xlsx_export import safe_cell

from .checklist import checklist_summary

TEXTS = {
    "nl": {
        "title": "Contractclausules",
        "intro": (
            "Welke afspraken het contract met deze leverancier moet bevatten, waarom, en waar ze "
            "staan. Opgesteld met Ketenwacht op basis van de intake, het soort leverancier, de "
            "risicoklasse en de antwoorden op de vragenlijst."
        ),
        "intro_supplier": (
            "Welke afspraken het contract met u moet bevatten, op welke grondslag, en waar ze "
            "staan. Opgesteld met Ketenwacht."
        ),
        "summary": "{total} clausules; {present} aanwezig, {open} open ({must} verplichte), "
        "{waived} afgezien.",
        "head": ["Code", "Clausule en eis", "Prioriteit", "Status", "Waar / motivering"],
        "why": "Waarom",
        "dropped": "Niet meer van toepassing (bewaard)",
        "priority": {"must": "verplicht", "should": "gewenst"},
        "status": {
            "missing": "ontbreekt",
            "negotiating": "in onderhandeling",
            "present": "aanwezig",
            "waived": "afgezien",
        },
        "basis": "Grondslag",
        "tier": "Risicoklasse",
        "none": "Nog geen checklist: open de checklist in Ketenwacht om hem op te stellen.",
    },
    "en": {
        "title": "Contract clauses",
        "intro": (
            "Which terms the contract with this supplier must contain, why, and where they are. "
            "Drawn up with Ketenwacht from the intake, the supplier type, the tier and the "
            "questionnaire answers."
        ),
        "intro_supplier": (
            "Which terms the contract with you must contain, on which basis, and where they "
            "are. Drawn up with Ketenwacht."
        ),
        "summary": "{total} clauses; {present} present, {open} open ({must} must), "
        "{waived} waived.",
        "head": ["Code", "Clause and requirement", "Priority", "Status", "Where / motivation"],
        "why": "Why",
        "dropped": "No longer triggered (kept)",
        "priority": {"must": "must", "should": "should"},
        "status": {
            "missing": "missing",
            "negotiating": "negotiating",
            "present": "present",
            "waived": "waived",
        },
        "basis": "Basis",
        "tier": "Tier",
        "none": "No checklist yet: open the checklist in Ketenwacht to draw it up.",
    },
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
    t = TEXTS["en" if lang == "en" else "nl"]
    s = pdf.styles()
    with translation.override(lang):
        tier = str(rel.get_inherent_tier_display())
        today = date_format(timezone.localdate(), "DATE_FORMAT")
    meta = f"{rel.care_org.name} · {rel.supplier.name} · "
    meta += today if for_supplier else f"{t['tier']}: {tier} · {today}"
    story = [
        pdf.p(f"{t['title']}: {rel.name}", s["h1"]),
        pdf.p(meta, s["small"]),
        Spacer(1, 4),
        pdf.p(t["intro_supplier"] if for_supplier else t["intro"], s["body"]),
    ]
    if for_supplier:
        items = [i for i in items if i.triggered]
    summary = checklist_summary(rel)
    story.append(
        pdf.p(
            t["summary"].format(
                total=summary["total"],
                present=summary["present"],
                open=summary["open"],
                must=summary["must_missing"],
                waived=summary["waived"],
            ),
            s["h3"],
        )
    )
    if not items:
        story.append(pdf.p(t["none"], s["body"]))
    for group, rows in (
        (None, [i for i in items if i.triggered]),
        (t["dropped"], [i for i in items if not i.triggered]),
    ):
        if not rows:
            continue
        if group:
            story.append(pdf.p(group, s["h2"]))
        data = [[pdf.p(h, s["cellbold"]) for h in t["head"]]]
        for i in rows:
            c = i.clause
            title = c.title_en if lang == "en" else c.title_nl
            requirement = c.requirement_en if lang == "en" else c.requirement_nl
            why = "; ".join(r.get(lang) or r.get("nl", "") for r in i.reasons)
            note = f"{escape(t['basis'])}: {escape(', '.join(c.basis))}"
            if not for_supplier:
                note += f"<br/>{escape(t['why'])}: {escape(why)}"
            body = Paragraph(
                f"<b>{escape(title)}</b><br/>{escape(requirement)}<br/>"
                f"<font color='#4a5560'>{note}</font>",
                s["cell"],
            )
            data.append(
                [
                    pdf.p(c.code, s["cellbold"]),
                    body,
                    pdf.p(t["priority"].get(c.priority, c.priority), s["cell"]),
                    pdf.p(t["status"].get(i.status, i.status), s["cell"]),
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
        story.append(table)
    return pdf.build(
        story,
        title=f"{t['title']} — {rel.name}",
        footer=f"Ketenwacht · {t['title']} · {rel.care_org.name} — {rel.supplier.name}",
    )


def exit_note_pdf(rel, note, lang: str = "nl") -> bytes:
    """The exit note as a document for the board: status, lock-in with reasons, every section."""
    from .exitnote import TITLES

    en = lang == "en"
    s = pdf.styles()
    levels = {"low": "laag", "medium": "midden", "high": "hoog"}
    with translation.override(lang):
        status = str(note.get_status_display())
        tier = str(rel.get_inherent_tier_display())
    title = ("Exit strategy" if en else "Exitstrategie") + f": {rel.name}"
    story = [
        pdf.p(title, s["h1"]),
        pdf.p(
            f"{rel.care_org.name} · {rel.supplier.name} · "
            + ("Tier" if en else "Risicoklasse")
            + f": {tier} · "
            + ("Version" if en else "Versie")
            + f" {note.version} · {status}",
            s["small"],
        ),
    ]
    approvals = []
    if note.security_approved_by:
        approvals.append(
            ("Security officer" if en else "Security officer")
            + f": {note.security_approved_by} ({note.security_approved_at:%Y-%m-%d})"
        )
    if note.board_approved_by:
        approvals.append(
            ("Board" if en else "Bestuur")
            + f": {note.board_approved_by} ({note.board_approved_at:%Y-%m-%d})"
        )
    if approvals:
        story.append(
            pdf.p(
                ("Approved by " if en else "Goedgekeurd door ") + "; ".join(approvals), s["small"]
            )
        )
    level = note.lock_in if en else levels.get(note.lock_in, note.lock_in)
    story.append(pdf.p(f"Lock-in: {level} ({note.lock_in_score})", s["h2"]))
    for r in note.lock_in_reasons:
        story.append(pdf.p(f"• {r.get(lang) or r.get('nl')} ({r['points']})", s["body"]))
    for section in note.sections.all():
        nl_title, en_title = TITLES.get(section.key, (section.key, section.key))
        story.append(pdf.p(en_title if en else nl_title, s["h2"]))
        story.append(pdf.p(section.body, s["body"]))
    return pdf.build(
        story,
        title=title,
        footer=f"Ketenwacht · {title} · {timezone.localdate().isoformat()}",
    )
