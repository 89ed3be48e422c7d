"""Joint assessments (DESIGN §14): invite, accept or decline, and the hand-offs between the
lead's assessment (the one the supplier answers) and each participant's own copy.

- The supplier answers the lead's assessment once. When it submits, every participant that
  joined gets (or, after a clarification round, refreshes) its own copy on its own
  relationship: answers, evidence and the supplier's messages (`copy_submitted_answers`).
- Each participant reviews, scores and completes its copy as its own assessment: its own
  intake, tier, verdicts, findings, checklist and exit note follow from the usual events.
- A participant's clarification request goes to the supplier once, on the lead's assessment,
  marked with who asked (`forward_clarification`); the supplier's resubmission answers it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.accounts.models import Organisation
from portal.core.audit.services import audit_record
from portal.core.events import emit
from portal.core.exceptions import Conflict
from suppliers.models import Relationship, RelationshipStatus

from ..assessments.state import S, _lock, _transition
from ..models import Answer, AnswerMessage, Assessment, Evidence, Verdict
from .models import JointAssessment, JointParticipant, JointQuestion, ParticipantStatus

# The lead's assessment holds submitted answers from here on: a participant gets its copy.
ANSWERED = (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.COMPLETED)


def _audit(action, organisation, actor, obj, request=None, **after):
    audit_record(
        action=action, organisation=organisation, actor=actor, obj=obj, after=after, request=request
    )


@transaction.atomic
def joint_create(*, assessment, organisations, actor, message="", product=None, request=None):
    """Make the lead's assessment joint and invite `organisations` (care organisations)."""
    lead = _lock(assessment)
    if lead.joint_source_id is not None:
        raise ValidationError(_("A copy in a joint assessment cannot lead another one."))
    if lead.from_profile_id is not None:
        raise ValidationError(
            _(
                "An assessment started from a trust profile is not answered by the supplier; "
                "the others can ask for access to the profile instead."
            )
        )
    if lead.only_codes:
        raise ValidationError(
            _("A short questionnaire cannot become joint: invite the others to a full one.")
        )
    if lead.status in (S.COMPLETED, S.CANCELLED):
        raise Conflict(_("A completed or cancelled assessment cannot become joint."))
    rel = lead.relationship
    if product is None:
        products = list(rel.products.all()[:2])
        product = products[0] if len(products) == 1 else None
    elif not rel.products.filter(pk=product.pk).exists():
        raise ValidationError({"product": _("This product is not part of the relationship.")})
    joint, made = JointAssessment.objects.get_or_create(
        lead=lead, defaults={"product": product, "created_by": actor}
    )
    if made:
        _audit(
            "joint.created",
            rel.care_org,
            actor,
            lead,
            request,
            product=getattr(product, "pk", None),
        )
    joint_invite(
        joint=joint, organisations=organisations, actor=actor, message=message, request=request
    )
    return joint


@transaction.atomic
def joint_invite(*, joint, organisations, actor, message="", request=None):
    lead_org = joint.lead.relationship.care_org
    organisations = list(organisations)
    if not organisations:
        raise ValidationError({"organisations": _("Choose at least one care organisation.")})
    for org in organisations:
        if not org.is_care or org.pk == lead_org.pk:
            raise ValidationError({"organisations": _("Invite other care organisations only.")})
    invited = []
    for org in organisations:
        seat, made = JointParticipant.objects.get_or_create(
            joint=joint,
            care_org=org,
            defaults={"invited_by": actor, "message": message[:4000]},
        )
        if not made and seat.status != ParticipantStatus.DECLINED:
            continue  # invited or joined already: nothing to do
        if not made:
            seat.status, seat.invited_by, seat.message = ParticipantStatus.INVITED, actor, message
            seat.invited_at, seat.responded_at, seat.responded_by = timezone.now(), None, None
            seat.save()
        invited.append(seat)
        _audit("joint.invited", lead_org, actor, joint.lead, request, invited=org.pk)
        emit("joint_assessment.invited", seat=seat, actor=actor)
    return invited


def eligible_relationships(seat):
    """The invited organisation's relationships it may join with: the same supplier, not ended,
    and covering the joint's product when one is set."""
    rels = Relationship.objects.filter(
        care_org_id=seat.care_org_id, supplier_id=seat.joint.lead.relationship.supplier_id
    ).exclude(status=RelationshipStatus.ENDED)
    if seat.joint.product_id:
        rels = rels.filter(products=seat.joint.product_id)
    return rels.order_by("name")


@transaction.atomic
def joint_accept(*, seat, relationship, actor, request=None):
    seat = (
        JointParticipant.objects.select_for_update().select_related("joint__lead").get(pk=seat.pk)
    )
    if seat.status != ParticipantStatus.INVITED:
        raise Conflict(_("This invitation has already been answered."))
    if not eligible_relationships(seat).filter(pk=relationship.pk).exists():
        raise ValidationError(
            {
                "relationship": _(
                    "Choose one of your relationships with this supplier (for the product of "
                    "the joint assessment, and not ended)."
                )
            }
        )
    lead = _lock(seat.joint.lead)
    if lead.status == S.CANCELLED:
        raise Conflict(_("The lead organisation cancelled this assessment."))
    seat.status, seat.relationship = ParticipantStatus.JOINED, relationship
    seat.responded_by, seat.responded_at = actor, timezone.now()
    seat.save()
    extra = set(relationship.supplier_types) - lead.answered_types
    if extra and lead.status not in ANSWERED:
        # The supplier answers once for all: the questions for the participant's supplier types.
        lead.joint_types = sorted(set(lead.joint_types) | extra)
        Assessment.objects.filter(pk=lead.pk).update(joint_types=lead.joint_types)
    if lead.status in ANSWERED:
        copy_submitted_answers(seat=seat, lead=lead)
    _audit(
        "joint.joined", seat.care_org, actor, seat.joint.lead, request, relationship=relationship.pk
    )
    emit("joint_assessment.responded", seat=seat, actor=actor)
    return seat


@transaction.atomic
def joint_decline(*, seat, actor, request=None):
    seat = JointParticipant.objects.select_for_update().get(pk=seat.pk)
    if seat.status != ParticipantStatus.INVITED:
        raise Conflict(_("This invitation has already been answered."))
    seat.status, seat.responded_by, seat.responded_at = (
        ParticipantStatus.DECLINED,
        actor,
        timezone.now(),
    )
    seat.save()
    _audit("joint.declined", seat.care_org, actor, seat.joint.lead, request)
    emit("joint_assessment.responded", seat=seat, actor=actor)
    return seat


def copy_submitted_answers(*, seat, lead) -> Assessment:
    """The participant's own copy of the lead's submitted answers (made, or refreshed after a
    clarification round). A changed answer loses the participant's verdict: it is reviewed
    again; so does every answer the participant asked about."""
    now = timezone.now()
    copy = seat.assessment
    if copy is None:
        copy = Assessment.objects.create(
            relationship=seat.relationship,
            template=lead.template,
            status=S.SUBMITTED,
            due_date=lead.due_date,
            sent_at=lead.sent_at,
            submitted_at=lead.submitted_at,
            joint_source=lead,
        )
        seat.assessment = copy
    asked = set(
        JointQuestion.objects.filter(
            joint=seat.joint, asked_by=seat.care_org_id, answered_at__isnull=True
        ).values_list("code", flat=True)
    )
    mine = {a.question_id: a for a in copy.answers.all()}
    for src in lead.answers.filter(prefilled=False).select_related("question"):
        dst = mine.get(src.question_id)
        if dst is None:
            dst = Answer(assessment=copy, question=src.question)
        elif dst.value == src.value and dst.explanation == src.explanation:
            if src.question.code in asked:
                _reset_verdict(dst)
                dst.save()
            _copy_evidence(src, dst)  # a file added in the round, the answer unchanged
            continue
        else:
            _reset_verdict(dst)
        dst.value, dst.explanation = src.value, src.explanation
        dst.answered_by, dst.answered_at = src.answered_by, src.answered_at
        dst.save()
        _copy_evidence(src, dst)
        mine[src.question_id] = dst
    _copy_supplier_messages(lead, copy, mine, since=seat.synced_at)
    if copy.status == S.CLARIFICATION_REQUESTED:
        _transition(copy, (S.CLARIFICATION_REQUESTED,), S.SUBMITTED, None, submitted_at=now)
    seat.synced_at = now
    seat.save(update_fields=["assessment", "synced_at"])
    return copy


def _reset_verdict(answer) -> None:
    answer.verdict, answer.verdict_message = Verdict.NONE, ""
    answer.score_override, answer.override_motivation = None, ""
    answer.reviewed_by, answer.reviewed_at = None, None


def _copy_evidence(src, dst) -> None:
    """Each copy keeps its own files, so a file the supplier later replaces stays in the record
    of a participant that already reviewed it."""
    have = set(dst.evidence.values_list("sha256", flat=True))
    for ev in src.evidence.all():
        if ev.sha256 in have:
            continue
        with ev.file.open("rb") as fh:
            content = fh.read()
        copy = Evidence(
            answer=dst,
            name=ev.name,
            content_type=ev.content_type,
            size=ev.size,
            sha256=ev.sha256,
            uploaded_by=ev.uploaded_by,
            source_document=ev.source_document,
        )
        copy.file.save(ev.name, ContentFile(content), save=False)
        copy.save()


def _copy_supplier_messages(lead, copy, answers: dict, *, since) -> None:
    """What the supplier wrote in the answers' threads (never the lead's messages or notes)."""
    supplier_id = lead.relationship.supplier_id
    messages = AnswerMessage.objects.filter(answer__assessment=lead, organisation_id=supplier_id)
    if since is not None:
        messages = messages.filter(created_at__gt=since)
    for m in messages.select_related("answer"):
        target = answers.get(m.answer.question_id)
        if target is not None and target.pk:
            AnswerMessage.objects.create(
                answer=target, author=m.author, organisation_id=supplier_id, body=m.body
            )


def sync_after_submission(*, assessment, **_event) -> int:
    """On the supplier's (re)submission of a joint assessment: every joined participant gets
    its copy, and the questions forwarded from participants count as answered."""
    joint = JointAssessment.objects.filter(lead=assessment).first()
    if joint is None:
        return 0
    now = timezone.now()
    seats = list(
        joint.seats.filter(status=ParticipantStatus.JOINED).select_related("assessment", "joint")
    )
    for seat in seats:
        copy_submitted_answers(seat=seat, lead=assessment)
    joint.questions.filter(answered_at__isnull=True).update(answered_at=now)
    return len(seats)


def forward_clarification(*, assessment, actor, **_event) -> int:
    """A participant's clarification request goes to the supplier once, on the lead's
    assessment: each question marked with who asked. The lead's assessment reopens for the
    supplier (its own verdicts unchanged); once the lead has completed, that is no longer
    possible and the request is refused."""
    if assessment.joint_source_id is None:
        return 0
    seat = JointParticipant.objects.select_related("joint").get(assessment=assessment)
    lead = _lock(assessment.joint_source)
    if lead.status not in (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED):
        raise Conflict(
            _(
                "The lead organisation has closed this joint assessment, so the supplier can no "
                "longer answer in it. Complete your review with these answers, or send your "
                "own questionnaire."
            )
        )
    asked = assessment.answers.filter(verdict=Verdict.CLARIFICATION).select_related("question")
    made = [
        JointQuestion.objects.create(
            joint=seat.joint,
            code=a.question.code,
            asked_by_id=seat.care_org_id,
            author=actor,
            text=a.verdict_message,
        )
        for a in asked
    ]
    if lead.status != S.CLARIFICATION_REQUESTED:
        _transition(lead, (S.SUBMITTED, S.IN_REVIEW), S.CLARIFICATION_REQUESTED, None)
    _audit(
        "joint.clarification_forwarded",
        seat.care_org,
        actor,
        lead,
        codes=[q.code for q in made],
    )
    return len(made)


def joint_organisations(pks) -> list[Organisation]:
    """The care organisations named by `pks` (unknown ids are an error, not silently skipped)."""
    pks = {int(p) for p in pks}
    found = list(Organisation.objects.filter(pk__in=pks, kind="care"))
    if len(found) != len(pks):
        raise ValidationError({"organisations": _("Unknown care organisation.")})
    return found
