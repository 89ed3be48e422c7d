"""Demo assessments at every stage, with findings and risk decisions."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.core.accounts.models import Organisation
from questionnaires import assessments as svc
from questionnaires import findings as fs
from questionnaires.decisions import decision_decide, decision_propose, decisions_expire
from questionnaires.models import RiskDecision
from questionnaires.selectors import propose_template
from suppliers.models import Relationship
from suppliers.risk import relationship_mark_due

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

DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF"


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
        progress = svc.progress(a)
        answered = {c for c, x in svc.answers_by_code(a).items() if x.value not in (None, "")}
        for code in progress["required_open_codes"]:  # hidden follow-ups, required evidence
            q = next(q for q in svc.applicable_questions(a) if q.code == code)
            if q.answer_type == "file":
                continue
            if code not in answered:
                svc.answer_save(assessment=a, code=code, value=_demo_value(q, 1), actor=owner.user)
            if code in progress["evidence_open_codes"]:
                svc.evidence_add(
                    assessment=a,
                    code=code,
                    name=f"{code.lower()}-bewijs.pdf",
                    data=DEMO_PDF,
                    actor=owner.user,
                )
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
        for code in svc.unscored_codes(a):  # the reviewer scores what only a reviewer can
            svc.answer_review(assessment=a, code=code, verdict="accepted", actor=ciso.user)
        svc.assessment_complete(assessment=a, actor=ciso.user)


def _load_findings_and_decisions(orgs: dict[str, Organisation]) -> None:
    """Findings in every state and decisions pending, approved and expired (DESIGN §7)."""

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
