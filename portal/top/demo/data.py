"""The demo world: a hospital and a care home sharing a remote CISO, and four suppliers.

Later issues extend `load_demo` so that every feature has something to show. Idempotent:
running it again changes nothing that already exists.
"""

from __future__ import annotations

from portal.core.accounts.models import Organisation
from portal.core.accounts.services import member_add, organisation_create
from questionnaires.services import banks_load
from suppliers.models import Relationship
from suppliers.services import relationship_create, supplier_register

DEMO_PASSWORD = "Ketenwacht-demo-2026"  # noqa: S105 - printed for demo use only

ORGANISATIONS = [
    ("rivierenland", "Ziekenhuis Rivierenland", "care", "41234567"),
    ("de-linde", "Zorgcentrum De Linde", "care", "52345678"),
    ("meddossier", "MedDossier B.V.", "supplier", "63456789"),
    ("wolkzorg", "WolkZorg Cloud B.V.", "supplier", "74567890"),
    ("beheerpunt", "BeheerPunt IT B.V.", "supplier", "85678901"),
    ("lablink", "LabLink Systems B.V.", "supplier", "96789012"),
]

# (e-mail, name, organisation slug, role)
PEOPLE = [
    ("ciso@zorgciso.example", "Karin de Vries", "rivierenland", "security"),
    ("ciso@zorgciso.example", "Karin de Vries", "de-linde", "security"),
    ("beheer@rivierenland.example", "Ahmed El Amrani", "rivierenland", "admin"),
    ("inkoop@rivierenland.example", "Sanne Jansen", "rivierenland", "procurement"),
    ("bestuur@rivierenland.example", "Dr. Pieter Bakker", "rivierenland", "board"),
    ("lezer@rivierenland.example", "Ilse Visser", "rivierenland", "viewer"),
    ("beheer@delinde.example", "Marleen Smit", "de-linde", "admin"),
    ("inkoop@delinde.example", "Joost Mulder", "de-linde", "procurement"),
    ("bestuur@delinde.example", "Els de Boer", "de-linde", "board"),
    ("eigenaar@meddossier.example", "Thomas Willems", "meddossier", "owner"),
    ("security@meddossier.example", "Fatima Yilmaz", "meddossier", "respondent"),
    ("eigenaar@wolkzorg.example", "Lotte van Dijk", "wolkzorg", "owner"),
    ("techniek@wolkzorg.example", "Bram Hendriks", "wolkzorg", "respondent"),
    ("eigenaar@beheerpunt.example", "Ruben Kok", "beheerpunt", "owner"),
    ("servicedesk@beheerpunt.example", "Noor Bos", "beheerpunt", "respondent"),
    ("eigenaar@lablink.example", "Eva Peters", "lablink", "owner"),
    ("kwaliteit@lablink.example", "Daan Meijer", "lablink", "respondent"),
]


# (care org, supplier, name, types, intake: data, volume, continuity, access, substitutability)
RELATIONSHIPS = [
    ("rivierenland", "meddossier", "EPD MedDossier", ["epd"], (3, 3, 3, 3, 3)),
    ("rivierenland", "wolkzorg", "Zorgportaal (SaaS)", ["cloud"], (3, 2, 2, 1, 2)),
    ("rivierenland", "beheerpunt", "Werkplekbeheer", ["it_services"], (1, 1, 1, 2, 1)),
    ("rivierenland", "lablink", "Labkoppeling", ["medical_device"], (1, 1, 1, 0, 0)),
    ("de-linde", "wolkzorg", "Cliëntdossier in de cloud", ["cloud", "epd"], (3, 1, 2, 1, 2)),
    ("de-linde", "beheerpunt", "IT-beheer", ["it_services"], (1, 1, 1, 1, 1)),
]


def _load_relationships(orgs: dict[str, Organisation]) -> None:
    for care, supplier, name, types, levels in RELATIONSHIPS:
        care_org = orgs[care]
        if Relationship.objects.filter(care_org=care_org, name=name).exists():
            continue
        actor = care_org.memberships.filter(role="procurement").first()
        actor_user = actor.user if actor else None
        link = supplier_register(
            care_org=care_org,
            name=orgs[supplier].name,
            kvk_number=orgs[supplier].kvk_number,
            actor=actor_user,
        )
        relationship_create(
            care_org=care_org,
            supplier=link.supplier,
            name=name,
            supplier_types=types,
            intake=dict(
                zip(
                    ("data", "volume", "continuity", "access", "substitutability"),
                    levels,
                    strict=True,
                )
            ),
            status="active",
            actor=actor_user,
        )


# (care org, relationship name, stage) — assessments in several states of the workflow.
ASSESSMENTS = [
    ("rivierenland", "EPD MedDossier", "completed"),
    ("rivierenland", "Zorgportaal (SaaS)", "submitted"),
    ("rivierenland", "Werkplekbeheer", "in_progress"),
    ("rivierenland", "Labkoppeling", "sent"),
    ("de-linde", "Cliëntdossier in de cloud", "clarification_requested"),
    ("de-linde", "IT-beheer", "in_review"),
    ("rivierenland", "EPD MedDossier", "draft"),  # the next round, being prepared
]


def _demo_value(question, i: int):
    """A plausible, deterministic answer for demo purposes."""
    t = question.answer_type
    if t in ("yes_no", "yes_partial_no", "single_choice"):
        values = [c["value"] for c in question.choices] or (
            ["yes", "no"] if t == "yes_no" else ["yes", "partial", "no"]
        )
        return values[0] if i % 5 else values[-1] if i % 2 else values[min(1, len(values) - 1)]
    if t == "multiple_choice":
        return [question.choices[0]["value"]]
    if t == "number":
        return 12
    if t == "date":
        return "2026-03-01"
    if t == "text":
        return "Zie ons beleidsdocument, hoofdstuk 3."
    return None


def _load_assessments(orgs: dict[str, Organisation]) -> None:
    from questionnaires import assessments as svc
    from questionnaires.selectors import propose_template

    seen: dict[str, int] = {}
    for care, name, stage in ASSESSMENTS:
        care_org = orgs[care]
        rel = Relationship.objects.filter(care_org=care_org, name=name).first()
        nth = seen[name] = seen.get(name, 0) + 1  # the nth assessment of this relationship
        if rel is None or rel.assessments.count() >= nth:
            continue
        buyer = care_org.memberships.filter(role="procurement").select_related("user").first()
        ciso = care_org.memberships.filter(role="security").select_related("user").first()
        owner = rel.supplier.memberships.filter(role="owner").select_related("user").first()
        template = propose_template(membership=buyer, relationship=rel)
        a = svc.assessment_create(
            relationship=rel,
            template=template,
            due_date=None,
            actor=buyer.user,
            message="Graag binnen 30 dagen invullen.",
        )
        if stage == "draft":
            continue
        svc.assessment_send(assessment=a, actor=buyer.user)
        if stage == "sent":
            continue
        visible = [q for q, shown in svc.visible_questions(a) if shown]
        for i, q in enumerate(visible if stage != "in_progress" else visible[:10]):
            value = _demo_value(q, i)
            if value is not None:
                svc.answer_save(assessment=a, code=q.code, value=value, actor=owner.user)
        if stage == "in_progress":
            continue
        missing = svc.progress(a)["required_open_codes"]
        for code in missing:  # file questions and hidden follow-ups that became visible
            q = next(q for q in svc.applicable_questions(a) if q.code == code)
            if q.answer_type != "file":
                svc.answer_save(assessment=a, code=code, value=_demo_value(q, 1), actor=owner.user)
        if svc.progress(a)["required_open_codes"]:
            continue
        svc.assessment_submit(assessment=a, actor=owner.user)
        if stage == "submitted":
            continue
        first = visible[0].code
        svc.answer_review(
            assessment=a,
            code=first,
            verdict="clarification",
            message="Kunt u dit toelichten?",
            actor=ciso.user,
        )
        if stage == "clarification_requested":
            svc.assessment_request_clarification(assessment=a, actor=ciso.user)
            continue
        if stage == "in_review":
            continue
        svc.assessment_complete(assessment=a, actor=ciso.user)


# (supplier slug, product, fourth parties: name, service, country, parent country, data access)
PRODUCTS = [
    (
        "meddossier",
        "MedDossier EPD",
        [
            ("Azure (Microsoft)", "Hosting en opslag", "NL", "US", True),
            ("Zivver", "Beveiligde e-mail", "NL", "", True),
        ],
    ),
    ("wolkzorg", "Zorgportaal", [("Azure (Microsoft)", "Hosting", "IE", "US", True)]),
    ("beheerpunt", "Werkplekbeheer", [("TeamViewer", "Beheer op afstand", "DE", "", False)]),
    ("lablink", "LabLink Connect", [("Cloudflare", "DDoS-bescherming", "US", "US", False)]),
]
PRODUCT_OF = {
    "EPD MedDossier": "MedDossier EPD",
    "Zorgportaal (SaaS)": "Zorgportaal",
    "Cliëntdossier in de cloud": "Zorgportaal",
    "Werkplekbeheer": "Werkplekbeheer",
    "IT-beheer": "Werkplekbeheer",
    "Labkoppeling": "LabLink Connect",
}


def _load_products(orgs: dict[str, Organisation]) -> None:
    from suppliers.models import Product
    from suppliers.services import product_save, subprocessor_add

    for slug, name, parties in PRODUCTS:
        supplier = orgs[slug]
        if Product.objects.filter(supplier=supplier, name=name).exists():
            continue
        owner = supplier.memberships.filter(role="owner").select_related("user").first().user
        product = product_save(supplier=supplier, actor=owner, name=name)
        for party, service, country, parent, access in parties:
            subprocessor_add(
                product=product,
                actor=owner,
                name=party,
                service=service,
                country=country,
                parent_country=parent,
                data_access=access,
            )
    for rel in Relationship.objects.filter(name__in=PRODUCT_OF):
        if not rel.products.exists():
            rel.products.set(
                Product.objects.filter(supplier=rel.supplier, name=PRODUCT_OF[rel.name])
            )


def _load_findings_and_decisions(orgs: dict[str, Organisation]) -> None:
    """Findings in every state and decisions pending, approved and expired (DESIGN §7)."""
    from datetime import timedelta

    from django.utils import timezone

    from questionnaires import findings as fs
    from questionnaires.decisions import decision_decide, decision_propose, decisions_expire
    from questionnaires.models import RiskDecision
    from suppliers.risk import relationship_mark_due

    care = orgs["rivierenland"]
    rel = Relationship.objects.filter(care_org=care, name="EPD MedDossier").first()
    if rel is None or RiskDecision.objects.filter(relationship__care_org=care).exists():
        return
    findings = list(rel.findings.order_by("-severity", "question_code"))
    if len(findings) < 7:
        return
    ciso = care.memberships.get(role="security").user
    board = care.memberships.get(role="board").user
    supplier = rel.supplier.memberships.filter(role="respondent").first().user
    today = timezone.localdate()
    planned, resolved, withdrawn, accepted, expired, pending, overdue = findings[:7]
    fs.finding_plan(
        finding=planned,
        actor=supplier,
        plan="Wij stellen dit kwartaal het draaiboek op, oefenen het en rapporteren maandelijks.",
        planned_date=today + timedelta(days=45),
    )
    fs.finding_progress(
        finding=planned, actor=supplier, text="Eerste versie klaar; de oefening staat gepland."
    )
    fs.finding_plan(
        finding=resolved, actor=supplier, plan="Back-uptest ingepland.", planned_date=today
    )
    fs.finding_close(
        finding=resolved,
        actor=ciso,
        resolve=True,
        text="Rapport van de hersteltest gezien; hersteltijd 3 uur.",
    )
    fs.finding_close(
        finding=withdrawn,
        actor=ciso,
        resolve=False,
        text="Niet van toepassing: deze dienst gebruiken wij niet.",
    )
    year = today + timedelta(days=365)
    d = decision_propose(
        relationship=rel,
        finding=accepted,
        actor=ciso,
        motivation="Compenserende maatregel: toegang alleen via ons VPN met MFA.",
        expires_on=year,
    )
    decision_decide(decision=d, actor=board, approve=True, comment="Akkoord voor een jaar.")
    d = decision_propose(
        relationship=rel,
        finding=expired,
        actor=ciso,
        motivation="Tijdelijk geaccepteerd tot de migratie naar de nieuwe versie.",
        expires_on=today + timedelta(days=30),
    )
    decision_decide(decision=d, actor=board, approve=True, comment="Akkoord, kort.")
    RiskDecision.objects.filter(pk=d.pk).update(expires_on=today - timedelta(days=1))
    decisions_expire(today=today)  # the finding it covered is open again
    decision_propose(
        relationship=rel,
        finding=pending,
        actor=ciso,
        motivation="De leverancier lost dit op in de release van het tweede kwartaal.",
        expires_on=today + timedelta(days=180),
    )
    decision_propose(
        relationship=rel,
        actor=ciso,
        motivation="Geen alternatief EPD op korte termijn; exitplan wordt uitgewerkt.",
        expires_on=today + timedelta(days=365),
    )
    overdue.due_date = today - timedelta(days=10)
    overdue.save(update_fields=["due_date"])
    beheer = Relationship.objects.filter(care_org=care, name="Werkplekbeheer").first()
    if beheer is not None:
        relationship_mark_due(
            relationship=beheer,
            reason="Contract verlengd per 1 januari",
            on=today + timedelta(days=20),
        )


def _demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, real PDF (made with reportlab) so the demo documents open."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

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
    from datetime import timedelta

    from django.utils import timezone

    from questionnaires import assessments as svc
    from questionnaires.assignments import assignment_set
    from questionnaires.models import Assessment, Evidence
    from suppliers.documents import document_save
    from suppliers.models import Product, SupplierDocument

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
    if a is None or Evidence.objects.filter(answer__assessment=a).exists():
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


# (care org, relationship, reference, title, start, months to the end (None: open-ended),
#  notice months, auto-renewal)
CONTRACTS = [
    ("rivierenland", "EPD MedDossier", "RL-2021-014", "Licentie en hosting EPD", -60, 5, 3, True),
    ("rivierenland", "Zorgportaal (SaaS)", "RL-2024-102", "SaaS-overeenkomst", -20, 16, 3, True),
    (
        "rivierenland",
        "Werkplekbeheer",
        "RL-2025-031",
        "Raamovereenkomst beheer",
        -10,
        None,
        6,
        False,
    ),
    ("de-linde", "Cliëntdossier in de cloud", "DL-2023-7", "Cliëntdossier SaaS", -30, 30, 2, True),
]


def _load_contracts(orgs: dict[str, Organisation]) -> None:
    """Contracts (one nearing its notice deadline), contract checklists in mixed states."""
    from datetime import timedelta

    from django.utils import timezone

    from contracts.checklist import checklist_generate, checklist_item_update
    from contracts.models import ChecklistItem, Contract
    from contracts.services import certificate_review_set, contract_save, offered_certificates
    from suppliers.risk import add_months

    today = timezone.localdate()
    for care, name, ref, title, start, months, notice, renew in CONTRACTS:
        rel = Relationship.objects.filter(care_org=orgs[care], name=name).first()
        if rel is None or Contract.objects.filter(relationship=rel, reference=ref).exists():
            continue
        buyer = rel.care_org.memberships.filter(role="procurement").first().user
        if months is None:
            end = None
        elif ref == "RL-2021-014":  # its notice deadline falls about six weeks from today
            end = add_months(today + timedelta(days=45), notice)
        else:
            end = add_months(today, months)
        contract_save(
            relationship=rel,
            actor=buyer,
            reference=ref,
            title=title,
            start_date=add_months(today, start),
            end_date=end,
            notice_months=notice,
            auto_renewal=renew,
        )
    rel = Relationship.objects.filter(care_org=orgs["rivierenland"], name="EPD MedDossier").first()
    if rel is None or ChecklistItem.objects.filter(relationship=rel).exclude(status="missing"):
        return
    checklist_generate(relationship=rel)
    buyer = rel.care_org.memberships.filter(role="procurement").first().user
    contract = Contract.objects.filter(relationship=rel).first()
    items = list(ChecklistItem.objects.filter(relationship=rel, triggered=True))
    for n, item in enumerate(items):
        if n % 4 == 0:
            checklist_item_update(
                item=item, actor=buyer, status="present", contract=contract, article=f"art. {n + 3}"
            )
        elif n % 4 == 1:
            checklist_item_update(item=item, actor=buyer, status="negotiating")
        elif n == 2:
            checklist_item_update(
                item=item,
                actor=buyer,
                status="waived",
                motivation="Geregeld in de landelijke modelovereenkomst.",
            )
    for doc in offered_certificates(rel):
        certificate_review_set(
            relationship=rel,
            document=doc,
            verdict="covers" if doc.kind == "nen7510" else "partly",
            note="" if doc.kind == "nen7510" else "Alleen de webapplicatie; de API valt erbuiten.",
            actor=buyer,
        )


def _load_exit_notes(orgs: dict[str, Organisation]) -> None:
    """Exit notes in every state: approved and tested (EPD, high lock-in), partly approved,
    draft with an edit and a pending proposal, and relationships without one."""
    from datetime import timedelta

    from django.utils import timezone

    from contracts.exitnote import (
        exit_note_approve,
        exit_note_generate,
        exit_section_save,
        exit_test_record,
    )
    from contracts.models import ExitNote

    care = orgs["rivierenland"]
    epd = Relationship.objects.filter(care_org=care, name="EPD MedDossier").first()
    portal = Relationship.objects.filter(care_org=care, name="Zorgportaal (SaaS)").first()
    if epd is None or ExitNote.objects.filter(relationship__care_org=care).count() > 1:
        return
    ciso = care.memberships.get(role="security")
    board = care.memberships.get(role="board")
    note = exit_note_generate(relationship=epd, actor=ciso.user)
    exit_section_save(
        note=note,
        key="alternatives",
        body=(
            "Marktverkenning 2026: drie EPD-leveranciers komen in aanmerking; een overstap kost "
            "naar schatting 24 maanden en 18 fte. Zelf bouwen is geen optie."
        ),
        actor=ciso.user,
    )
    exit_test_record(
        relationship=epd,
        actor=ciso.user,
        tested_on=timezone.localdate() - timedelta(days=45),
        kind="technical",
        participants="CISO, functioneel beheer, MedDossier",
        outcome="partly",
        notes="Volledige export in FHIR gelukt; beelden en NEN 7513-logs ontbraken.",
        actions="Logexport opnemen in het contract; beeldexport herhalen in Q1.",
    )
    note = exit_note_approve(note=note, membership=ciso)
    exit_note_approve(note=note, membership=board)
    if portal is not None:
        note = exit_note_generate(relationship=portal, actor=ciso.user)
        exit_note_approve(note=note, membership=ciso)  # waiting for the board
    beheer = Relationship.objects.filter(care_org=care, name="Werkplekbeheer").first()
    if beheer is not None:
        exit_note_generate(relationship=beheer, actor=ciso.user)  # a draft


def load_demo() -> list[tuple[str, str]]:
    """Create what is missing; return (e-mail, description) for the printed login list."""
    orgs: dict[str, Organisation] = {}
    for slug, name, kind, kvk in ORGANISATIONS:
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            org = organisation_create(slug=slug, name=name, kind=kind, kvk_number=kvk)
        orgs[slug] = org
    banks_load()
    logins: dict[str, list[str]] = {}
    for email, name, slug, role in PEOPLE:
        membership = member_add(
            organisation=orgs[slug], email=email, role=role, password=None, name=name
        )
        user = membership.user
        if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        logins.setdefault(email, []).append(f"{membership.get_role_display()} @ {orgs[slug].name}")
    _load_relationships(orgs)
    _load_products(orgs)
    _load_assessments(orgs)
    _load_findings_and_decisions(orgs)
    _load_documents_and_collaboration(orgs)
    _load_contracts(orgs)
    _load_exit_notes(orgs)
    return [(email, ", ".join(roles)) for email, roles in logins.items()]
