"""Findings, risk decisions, contracts and clause checklists, certificates, exit notes and
the risk history of the benchmark portfolio: one function per kind of row."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Now
from django.utils import timezone, translation

from contracts.exitnote import SECTIONS, section_title
from contracts.models import (
    CertificateReview,
    ChecklistItem,
    Clause,
    Contract,
    ExitNote,
    ExitNoteSection,
    ExitNoteVersion,
    ExitTest,
)
from questionnaires.models import Assessment, Finding, RiskDecision
from suppliers.models import CERTIFICATE_KINDS, RiskHistory, SupplierDocument
from suppliers.risk import add_months, appetite_for

from ..data.documents import _demo_pdf
from .content import at, pick
from .portfolio import BATCH

if TYPE_CHECKING:
    from .portfolio import BenchSeed


# -- findings and decisions ------------------------------------------------------------------------


def findings(seed: BenchSeed) -> None:
    deadlines = appetite_for(seed.care)["finding_deadlines"]
    statuses = [
        ("open", 45),
        ("remediation_planned", 20),
        ("resolved", 20),
        ("accepted", 10),
        ("withdrawn", 5),
    ]
    rows = []
    for rel in seed.rels:
        last = seed.last_done.get(rel.pk)
        if last is None or (last["band"] == "strong" and not last["knockouts"]):
            continue
        for q in seed.rng.sample(seed.questions, min(len(seed.questions), 1 + rel.pk % 6)):
            severity = q.severity
            status = pick(seed.rng, statuses) if rows else "open"
            completed = last["completed"]
            f = Finding(
                relationship=rel,
                care_org_id=rel.care_org_id,  # bulk_create skips save()
                assessment=last["assessment"],
                question_code=q.code,
                severity=severity,
                title_nl=q.text_nl[:300],
                title_en=q.text_en[:300],
                advice_nl=q.advice_nl,
                advice_en=q.advice_en,
                score=0.5 if q.answer_type == "yes_partial_no" else 0.0,
                knockout=q.knockout,
                owner=rel.owner,
                due_date=completed + timedelta(days=deadlines[severity]),
                status=status,
            )
            if status == "remediation_planned":
                f.plan = "Wij passen dit aan in de volgende release en rapporteren maandelijks."
                f.planned_date = f.due_date
            if status in ("resolved", "accepted", "withdrawn"):
                f.closed_at = at(min(seed.today, completed + timedelta(days=30)))
            rows.append(f)
    seed.findings_made = Finding.objects.bulk_create(rows, batch_size=BATCH)
    seed.counts["findings"] = len(seed.findings_made)


def decisions(seed: BenchSeed) -> None:
    rows = []
    for n, f in enumerate(seed.findings_made):
        if f.status == "accepted":
            status = "expired" if n % 10 == 0 else "approved"
        elif f.status == "open" and f.severity in ("high", "critical") and n % 3 == 0:
            status = "rejected" if n % 4 == 0 else "proposed"
        else:
            continue
        expires = seed.today + timedelta(days=-5 if status == "expired" else 365)
        rows.append(
            RiskDecision(
                relationship_id=f.relationship_id,
                finding=f,
                motivation="Compenserende maatregel: toegang alleen via ons VPN met MFA.",
                expires_on=expires,
                status=status,
                proposed_by=seed.security,
                decided_by=None if status == "proposed" else seed.board,
                decided_at=None if status == "proposed" else timezone.now(),
                accepted_level=f.severity,
            )
        )
    for n, rel in enumerate(r for r in seed.rels if r.residual_risk == "critical"):
        if n % 5 == 0:  # residual risks put before the board
            rows.append(
                RiskDecision(
                    relationship=rel,
                    motivation="Geen alternatief op korte termijn; exitplan in uitwerking.",
                    expires_on=seed.today + timedelta(days=180),
                    proposed_by=seed.security,
                    accepted_level=rel.residual_risk,
                )
            )
    RiskDecision.objects.bulk_create(rows, batch_size=BATCH)
    seed.counts["risk_decisions"] = len(rows)


# -- contracts, clauses, certificates --------------------------------------------------------------


def contracts(seed: BenchSeed) -> None:
    rows = []
    for i, rel in enumerate(seed.rels):
        if rel.status == "prospect" or i % 10 == 9:
            continue
        start = seed.today - timedelta(days=seed.rng.randint(200, 2000))
        notice = (1, 2, 3, 6)[i % 4]
        end = None
        if i % 10 == 0:  # the notice deadline falls within the coming 90 days
            end = add_months(seed.today + timedelta(days=seed.rng.randint(5, 80)), notice)
        elif i % 10 < 7:  # a notice deadline from last month to three years ahead
            end = seed.today + timedelta(days=30 * notice + seed.rng.randint(-30, 1000))
        rows.append(
            Contract(
                relationship=rel,
                reference=f"BZ-{start.year}-{i:04d}",
                title="Overeenkomst dienstverlening",
                start_date=start,
                end_date=end,
                notice_months=notice,
                auto_renewal=i % 3 == 0,
                owner=seed.buyer,
            )
        )
    contracts = Contract.objects.bulk_create(rows, batch_size=BATCH)
    contract_of = {c.relationship_id: c for c in contracts}
    clauses = list(Clause.objects.order_by("order", "code"))
    items = []
    reason = [{"nl": "Gezondheidsgegevens in de intake", "en": "Health data in the intake"}]
    for i, rel in enumerate(seed.rels):
        if not clauses or rel.status == "prospect":
            continue
        for clause in seed.rng.sample(clauses, min(len(clauses), 8)):
            status = pick(
                seed.rng,
                [("missing", 30), ("negotiating", 15), ("present", 45), ("waived", 10)],
            )
            contract = contract_of.get(rel.pk)
            if status == "present" and contract is None:
                status = "missing"
            items.append(
                ChecklistItem(
                    relationship=rel,
                    care_org_id=rel.care_org_id,  # bulk_create skips save()
                    clause=clause,
                    status=status,
                    reasons=reason,
                    contract=contract if status == "present" else None,
                    article=f"art. {3 + i % 20}" if status == "present" else "",
                    motivation="Geregeld in de modelovereenkomst." if status == "waived" else "",
                    updated_by=seed.buyer if status != "missing" else None,
                    updated_at=timezone.now() if status != "missing" else None,
                )
            )
    ChecklistItem.objects.bulk_create(items, batch_size=BATCH)
    seed.counts.update(contracts=len(contracts), checklist_items=len(items))


def certificates(seed: BenchSeed) -> None:
    pdf = _demo_pdf("Certificaat (benchmark)", ["Benchmarkgegevens - geen echt certificaat."])
    docs = []
    for i, supplier in enumerate(seed.supplier_orgs):
        for k in range(1 + i % 2):
            kind = CERTIFICATE_KINDS[(i + k) % len(CERTIFICATE_KINDS)]
            name = default_storage.save(
                f"documents/{supplier.pk}/{secrets.token_hex(16)}", ContentFile(pdf)
            )
            # One in six expired, one in six expiring within 90 days, the rest valid longer.
            days = (
                (-seed.rng.randint(10, 150), seed.rng.randint(10, 85))[len(docs) % 6]
                if len(docs) % 6 < 2
                else seed.rng.randint(100, 730)
            )
            until = seed.today + timedelta(days=days)
            docs.append(
                SupplierDocument(
                    supplier=supplier,
                    title=f"{kind.upper()}-certificaat {supplier.name}",
                    kind=kind,
                    file=name,
                    name=f"{kind}-certificaat.pdf",
                    content_type="application/pdf",
                    size=len(pdf),
                    sha256="0" * 64,
                    valid_from=until - timedelta(days=3 * 365),
                    valid_until=until,
                    issuer="Zorg Certificering B.V.",
                    accredited=k == 0,
                    scope="Ontwikkeling, hosting en beheer van het platform.",
                    offered=True,
                    uploaded_by=seed.supplier_user if i == 0 else None,
                )
            )
    docs = SupplierDocument.objects.bulk_create(docs, batch_size=BATCH)
    Through = SupplierDocument.products.through
    Through.objects.bulk_create(
        Through(supplierdocument_id=d.pk, product_id=seed.product_of[d.supplier_id].pk)
        for d in docs
    )
    first_doc = {}
    for d in docs:
        first_doc.setdefault(d.supplier_id, d)
    verdicts = ["covers", "partly", "not_covered", "unknown"]
    reviews = [
        CertificateReview(
            relationship=rel,
            document=first_doc[rel.supplier_id],
            verdict=verdicts[i % len(verdicts)],
            reviewed_by=seed.security,
            reviewed_at=timezone.now(),
        )
        for i, rel in enumerate(seed.rels)
        if i % 5 < 2
    ]
    CertificateReview.objects.bulk_create(reviews, batch_size=BATCH)
    seed.counts.update(certificates=len(docs), certificate_reviews=len(reviews))


# -- exit notes and history ------------------------------------------------------------------------


def exit_notes(seed: BenchSeed) -> None:

    states = [None, "draft", "in_approval", "approved", "approved"]
    notes, targets = [], [r for r in seed.rels if r.inherent_tier in ("critical", "high")]
    for i, rel in enumerate(targets):
        state = states[i % len(states)]
        if state is None:
            continue
        level = ("low", "medium", "high")[i % 3]
        notes.append(
            ExitNote(
                relationship=rel,
                status=state,
                lock_in=level,
                lock_in_score=(2, 5, 9)[i % 3],
                lock_in_reasons=[],
                generated_at=timezone.now(),
                security_approved_by=seed.security if state != "draft" else None,
                security_approved_at=timezone.now() if state != "draft" else None,
                board_approved_by=seed.board if state == "approved" else None,
                board_approved_at=timezone.now() if state == "approved" else None,
            )
        )
    notes = ExitNote.objects.bulk_create(notes, batch_size=BATCH)
    with translation.override("nl"):
        bodies = {key: f"{section_title(key)}: gegenereerd voor de benchmark." for key in SECTIONS}
    ExitNoteSection.objects.bulk_create(
        (
            ExitNoteSection(note=n, key=key, order=o, body=bodies[key], generated_body=bodies[key])
            for n in notes
            for o, key in enumerate(SECTIONS)
        ),
        batch_size=BATCH,
    )
    ExitNoteVersion.objects.bulk_create(
        (
            ExitNoteVersion(
                note=n, number=1, sections=bodies, lock_in=n.lock_in, reason="generated"
            )
            for n in notes
        ),
        batch_size=BATCH,
    )
    tests = [
        ExitTest(
            relationship_id=n.relationship_id,
            tested_on=seed.today - timedelta(days=(40, 200, 500)[i % 3]),
            kind=("tabletop", "technical")[i % 2],
            participants="CISO, functioneel beheer, leverancier",
            outcome=("passed", "partly", "failed")[i % 3],
            recorded_by=seed.security,
        )
        for i, n in enumerate(notes)
        if n.status == "approved"
    ]
    ExitTest.objects.bulk_create(tests, batch_size=BATCH)
    seed.counts.update(exit_notes=len(notes), exit_tests=len(tests))


def history(seed: BenchSeed) -> None:
    """A point when the relationship was registered and one per completed assessment."""
    points = []
    for rel, plan in zip(seed.rels, seed.plans, strict=True):
        points.append(
            RiskHistory(
                relationship=rel,
                cause="created",
                inherent_score=rel.inherent_score,
                inherent_tier=rel.inherent_tier,
                residual_risk=rel.inherent_tier,
            )
        )
        for r in plan:
            if r["status"] == "completed":
                points.append(
                    RiskHistory(
                        relationship=rel,
                        cause="assessment",
                        inherent_score=rel.inherent_score,
                        inherent_tier=rel.inherent_tier,
                        control_score=Decimal(str(r["score"])),
                        control_band=r["band"],
                        residual_risk=r["residual"],
                        assessed=True,
                        assessment_id=r["assessment"].pk,
                    )
                )
    RiskHistory.objects.bulk_create(points, batch_size=BATCH)
    # auto_now_add ignores a given time: date the points afterwards, in two statements.
    mine = RiskHistory.objects.filter(relationship__care_org=seed.care)
    completed = Assessment.objects.filter(pk=OuterRef("assessment_id")).values("completed_at")
    mine.filter(cause="assessment").update(recorded_at=Subquery(completed[:1]))
    first_sent = (
        Assessment.objects.filter(relationship=OuterRef("relationship_id"), sent_at__isnull=False)
        .order_by("sent_at")
        .values("sent_at")
    )
    mine.filter(cause="created").update(
        recorded_at=Coalesce(Subquery(first_sent[:1], output_field=DateTimeField()), Now())
        - timedelta(days=30)
    )
    seed.counts["risk_history"] = len(points)


STEPS = (findings, decisions, contracts, certificates, exit_notes, history)
