"""Demo contracts, clause checklists and exit notes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from contracts.checklist import checklist_generate, checklist_item_update
from contracts.exitnote import (
    exit_note_approve,
    exit_note_generate,
    exit_section_save,
    exit_test_record,
)
from contracts.models import ChecklistItem, Contract, ExitNote
from contracts.services import certificate_review_set, contract_save, offered_certificates
from portal.core.accounts.models import Organisation
from suppliers.models import Relationship
from suppliers.risk import add_months

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
