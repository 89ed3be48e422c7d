"""Demo joint assessment (DESIGN §14): Ziekenhuis Rivierenland's questionnaire to WolkZorg for
its Zorgportaal is joint; De Linde (under the same remote security officer) joined with its
own relationship for the same product and reviews its own copy of WolkZorg's one answer set."""

from __future__ import annotations

from portal.core.accounts.models import Organisation
from questionnaires import assessments as svc
from questionnaires.joint.models import JointAssessment
from questionnaires.joint.services import joint_accept, joint_create
from questionnaires.models import Assessment
from suppliers.models import Relationship


def load_joint(orgs: dict[str, Organisation]) -> None:
    lead_org, guest = orgs["rivierenland"], orgs["de-linde"]
    lead = (
        Assessment.objects.filter(
            relationship__care_org=lead_org,
            relationship__name="Zorgportaal (SaaS)",
            status="submitted",
        )
        .order_by("pk")
        .first()
    )
    own = Relationship.objects.filter(care_org=guest, name="Cliëntdossier in de cloud").first()
    if lead is None or own is None or JointAssessment.objects.filter(lead=lead).exists():
        return
    ciso = lead_org.memberships.filter(role="security").select_related("user").first().user
    joint = joint_create(
        assessment=lead,
        organisations=[guest],
        actor=ciso,
        message="Wij beoordelen WolkZorg samen: één set antwoorden, ieder een eigen oordeel.",
    )
    reviewer = guest.memberships.filter(role="security").select_related("user").first()
    seat = joint_accept(seat=joint.seats.get(), relationship=own, actor=reviewer.user)
    first = seat.assessment.answers.select_related("question").order_by("question__code").first()
    if first is not None:
        svc.answer_message_add(
            assessment=seat.assessment,
            code=first.question.code,
            body="Let op: de toelichting verwijst naar een beleidsdocument dat wij niet hebben.",
            shared=True,
            membership=reviewer,
        )
