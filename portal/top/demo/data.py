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

    for care, name, stage in ASSESSMENTS:
        care_org = orgs[care]
        rel = Relationship.objects.filter(care_org=care_org, name=name).first()
        if rel is None or rel.assessments.exists():
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
        svc.assessment_complete(assessment=a, actor=ciso.user)


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
    _load_assessments(orgs)
    return [(email, ", ".join(roles)) for email, roles in logins.items()]
