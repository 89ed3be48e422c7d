"""Demo certificates and documents, evidence, assignments and message threads."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from portal.core.accounts.models import Organisation
from questionnaires import assessments as svc
from questionnaires.assignments import assignment_set
from questionnaires.models import Assessment
from suppliers.documents import document_save
from suppliers.models import Product, SupplierDocument


def _demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, real PDF (made with reportlab) so the demo documents open."""

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 770, title)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        c.drawString(72, 740 - 16 * i, line)
    c.drawString(72, 600, "Demo-document van Ketenwacht - geen echt certificaat.")
    c.showPage()
    c.save()
    return buf.getvalue()


# (supplier, title, kind, valid days from today, issuer, accredited, scope, product)
DOCUMENTS = [
    (
        "meddossier",
        "NEN 7510-certificaat MedDossier",
        "nen7510",
        400,
        "Zorg Certificering B.V.",
        True,
        "Ontwikkeling, hosting en beheer van MedDossier EPD vanuit Nederlandse datacenters.",
        "MedDossier EPD",
    ),
    (
        "meddossier",
        "Samenvatting penetratietest 2026",
        "pentest",
        200,
        "Ethische Hackers Nederland",
        False,
        "Webapplicatie en API van MedDossier EPD.",
        "MedDossier EPD",
    ),
    (
        "lablink",
        "ISO 27001-certificaat LabLink (verlopen)",
        "iso27001",
        -20,
        "Cloud Audit Services",
        True,
        "Ontwikkeling en ondersteuning van LabLink Connect.",
        "LabLink Connect",
    ),
    (
        "wolkzorg",
        "ISO 27001-certificaat WolkZorg",
        "iso27001",
        40,
        "Cloud Audit Services",
        True,
        "Hosting en beheer van het Zorgportaal.",
        "Zorgportaal",
    ),
]


def _load_documents_and_collaboration(orgs: dict[str, Organisation]) -> None:
    """Shared documents, evidence picked from them, an answer thread and an assignment."""

    today = timezone.localdate()
    for slug, title, kind, days, issuer, accredited, scope, product in DOCUMENTS:
        supplier = orgs[slug]
        if SupplierDocument.objects.filter(supplier=supplier, title=title).exists():
            continue
        owner = supplier.memberships.filter(role="owner").select_related("user").first().user
        document_save(
            supplier=supplier,
            actor=owner,
            title=title,
            kind=kind,
            name=f"{title.lower().replace(' ', '-')}.pdf",
            data=_demo_pdf(title, [f"Uitgegeven door: {issuer}", f"Scope: {scope}"]),
            valid_from=today - timedelta(days=365),
            valid_until=today + timedelta(days=days),
            issuer=issuer,
            accredited=accredited,
            scope=scope,
            products=Product.objects.filter(supplier=supplier, name=product),
            offered=True,
        )
    # The Cliëntdossier assessment (clarification requested) gets evidence, a thread and an
    # assignment: WolkZorg's owner hands the first section to the technical respondent.
    a = Assessment.objects.filter(
        relationship__name="Cliëntdossier in de cloud", status="clarification_requested"
    ).first()
    if a is None or a.assignments.exists():  # the assignment is this step's last write
        return
    supplier = a.relationship.supplier
    owner = supplier.memberships.get(role="owner")
    respondent = supplier.memberships.get(role="respondent")
    first = a.answers.filter(verdict="clarification").select_related("question").first()
    if first is None:
        return
    doc = SupplierDocument.objects.filter(supplier=supplier).first()
    if doc is not None and first.question.evidence != "none":
        svc.evidence_from_document(
            assessment=a, code=first.question.code, document=doc, actor=owner.user
        )
    svc.answer_message_add(
        assessment=a,
        code=first.question.code,
        body="Ons ISO 27001-certificaat is toegevoegd; de scope dekt het Zorgportaal.",
        membership=owner,
    )
    assignment_set(
        assessment=a,
        actor=owner.user,
        assignee=respondent.user,
        section=first.question.section.code,
    )
