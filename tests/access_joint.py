"""The access-control matrix's joint-assessment routes (DESIGN §14), appended to ROUTES.

The cast's hospital is the lead (or, for the routes an invited organisation uses, the invited
one); a third care organisation plays the other party, so the cast's other care organisation
stays an outsider that must get 404 everywhere.
"""

from __future__ import annotations

SUPPLIER_MEMBERS = ("supplier_owner", "respondent")
REVIEWERS = ("care_admin", "ciso")
INTAKE = {"data": 3, "volume": 3, "continuity": 3, "access": 2, "substitutability": 3}


def _third(cast):
    """A third care organisation with its own relationship with the cast's supplier."""
    from portal.core.accounts.services import member_add, organisation_create
    from suppliers.services import relationship_create, supplier_register
    from tests.conftest import PASSWORD

    org = organisation_create(slug="derde-zorg", name="Derde Zorg", kind="care")
    admin = member_add(organisation=org, email="admin@derde.test", role="admin", password=PASSWORD)
    link = supplier_register(
        care_org=org, name="Leverancier B.V.", kvk_number="12345678", actor=admin.user
    )
    rel = relationship_create(
        care_org=org,
        supplier=link.supplier,
        name="EPD derde",
        supplier_types=["epd"],
        intake=INTAKE,
        actor=admin.user,
    )
    return org, admin, rel


def joint_led_by_hospital(cast, stage: str = "sent", join: bool = True) -> dict:
    """The hospital's assessment at `stage`, joint; the third organisation invited (joined)."""
    from questionnaires.joint.services import joint_accept, joint_create
    from tests.access import assessment_at

    world = assessment_at(cast, stage)
    org, admin, rel = _third(cast)
    joint = joint_create(assessment=world["assessment"], organisations=[org], actor=cast.ciso.user)
    seat = joint.seats.get()
    if join:
        joint_accept(seat=seat, relationship=rel, actor=admin.user)
    return {**world, "joint": joint, "seat": seat, "third": org, "third_admin": admin}


def joint_inviting_hospital(cast, stage: str = "sent", join: bool = False) -> dict:
    """The third organisation leads (at `stage`) and invited the hospital (joined if `join`,
    with its own relationship with the supplier)."""
    from questionnaires import assessments as svc
    from questionnaires.joint.services import joint_accept, joint_create
    from questionnaires.services import template_import
    from tests.access import MINI_TEMPLATE, _relationship

    own = _relationship(cast)["relationship"]
    org, admin, rel = _third(cast)
    template = template_import(data=MINI_TEMPLATE, publish=True)
    lead = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=admin.user
    )
    svc.assessment_send(assessment=lead, actor=admin.user)
    joint = joint_create(assessment=lead, organisations=[cast.hospital], actor=admin.user)
    seat = joint.seats.get()
    if join:
        joint_accept(seat=seat, relationship=own, actor=cast.ciso.user)
    if stage in ("submitted", "in_review"):
        svc.answer_save(assessment=lead, code="A-01", value="yes", actor=cast.supplier_owner.user)
        svc.assessment_submit(assessment=lead, actor=cast.supplier_owner.user)
    if stage == "in_review":
        svc.answer_review(assessment=lead, code="A-01", verdict="accepted", actor=admin.user)
    seat.refresh_from_db()
    return {"joint": joint, "seat": seat, "relationship": own, "lead": lead, "third": org}


def joint_late_hospital(cast) -> dict:
    """The hospital joined after the supplier submitted: one question that applies to its
    relationship (EPD) was not asked (the lead's relationship is cloud only)."""
    from questionnaires.joint.services import joint_accept
    from questionnaires.models import Question

    world = joint_inviting_hospital(cast, "submitted", join=False)
    template, lead = world["lead"].template, world["lead"]
    first = template.questions.get()
    Question.objects.create(
        template=template, section=first.section, code="A-02", order=2, text_nl="EPD?",
        text_en="EPD?", answer_type="yes_no", weight=1, required=True, applies_to=["epd"],
    )  # fmt: skip
    lead.relationship.supplier_types = ["cloud"]
    lead.relationship.save(update_fields=["supplier_types"])
    joint_accept(seat=world["seat"], relationship=world["relationship"], actor=cast.ciso.user)
    world["seat"].refresh_from_db()
    return world


def _pk(cast, world):
    return {"pk": world["joint"].pk}


def joint_routes() -> list:
    """Called at the end of tests/access.py (which defines Route), so either module may be
    imported first."""
    from tests.access import CARE_READERS, MANAGERS, Route, assessment_at

    return [
        Route("joint_list", allowed=(*CARE_READERS, *SUPPLIER_MEMBERS)),
        Route(
            "joint_detail",
            allowed=(*CARE_READERS, *SUPPLIER_MEMBERS),
            setup=joint_led_by_hospital,
            kwargs=_pk,
        ),
        Route(
            "joint_start",
            allowed=MANAGERS,
            setup=lambda cast: assessment_at(cast, "sent"),
            kwargs=lambda cast, world: {"pk": world["assessment"].pk},
        ),
        Route(
            "joint_start",
            method="post",
            allowed=MANAGERS,
            setup=lambda cast: {**assessment_at(cast, "sent"), "third": _third(cast)[0]},
            kwargs=lambda cast, world: {"pk": world["assessment"].pk},
            data=lambda cast, world: {"organisations": [world["third"].pk]},
        ),
        *[
            Route(
                "joint_respond",
                method="post",
                allowed=MANAGERS,
                setup=joint_inviting_hospital,
                kwargs=lambda cast, world, d=decision: {"pk": world["joint"].pk, "decision": d},
                data=lambda cast, world: {"relationship": world["relationship"].pk},
            )
            for decision in ("accept", "decline")
        ],
        Route(
            "joint_adopt",
            method="post",
            allowed=REVIEWERS,
            setup=lambda cast: joint_inviting_hospital(cast, "in_review", join=True),
            kwargs=_pk,
        ),
        Route("joint-assessment-list", allowed=(*CARE_READERS, *SUPPLIER_MEMBERS), api=True),
        Route(
            "joint-assessment-list",
            method="post",
            allowed=MANAGERS,
            api=True,
            setup=lambda cast: {**assessment_at(cast, "sent"), "third": _third(cast)[0]},
            data=lambda cast, world: {
                "assessment": world["assessment"].pk,
                "organisations": [world["third"].pk],
            },
        ),
        Route(
            "joint-assessment-detail",
            allowed=(*CARE_READERS, *SUPPLIER_MEMBERS),
            api=True,
            setup=joint_led_by_hospital,
            kwargs=_pk,
        ),
        Route(
            "joint-assessment-invite",
            method="post",
            allowed=MANAGERS,
            api=True,
            setup=lambda cast: joint_led_by_hospital(cast, join=False),
            kwargs=_pk,
            data=lambda cast, world: {"organisations": [world["third"].pk]},
        ),
        *[
            Route(
                f"joint-assessment-{name}",
                method="post",
                allowed=MANAGERS,
                api=True,
                setup=joint_inviting_hospital,
                kwargs=_pk,
                data=lambda cast, world: {"relationship": world["relationship"].pk},
            )
            for name in ("accept", "decline")
        ],
        Route(
            "joint-assessment-adopt-lead-verdicts",
            method="post",
            allowed=REVIEWERS,
            api=True,
            setup=lambda cast: joint_inviting_hospital(cast, "in_review", join=True),
            kwargs=_pk,
        ),
        Route(
            "joint_ask",
            method="post",
            allowed=MANAGERS,
            setup=joint_late_hospital,
            kwargs=_pk,
        ),
        Route(
            "joint-assessment-ask-not-asked",
            method="post",
            allowed=MANAGERS,
            api=True,
            setup=joint_late_hospital,
            kwargs=_pk,
        ),
        Route("joint-assessment-invitable", allowed=(*CARE_READERS, *SUPPLIER_MEMBERS), api=True),
    ]
