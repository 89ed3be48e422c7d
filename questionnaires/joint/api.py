"""API "Joint assessments" (DESIGN §14; API.md leaves the endpoints to us, the schema documents
them): make an assessment joint and invite, accept with one's own relationship or decline, the
lead's overview, and adopting the lead's verdicts in one action."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission
from portal.core.exceptions import Conflict
from portal.core.permissions import has_perm
from suppliers.models import Product, Relationship

from ..models import Assessment
from . import review, selectors, services
from .models import ParticipantStatus

_ORG = inline_serializer(
    "JointOrganisation", {"id": serializers.IntegerField(), "name": serializers.CharField()}
)
JOINT = inline_serializer(
    "JointAssessment",
    {
        "id": serializers.IntegerField(),
        "role": serializers.ChoiceField(choices=["lead", "participant", "supplier"]),
        "lead": _ORG,
        "supplier": _ORG,
        "product": inline_serializer(
            "JointProduct",
            {"id": serializers.IntegerField(), "name": serializers.CharField()},
            allow_null=True,
        ),
        "template": serializers.CharField(),
        "due_date": serializers.DateField(),
        "status": serializers.CharField(help_text="the state of the lead's assessment"),
        "assessment": serializers.IntegerField(
            allow_null=True,
            help_text="the caller's own assessment: the lead's for the lead and the supplier, "
            "the participant's copy (null until the supplier has submitted)",
        ),
        "invitation": serializers.CharField(
            allow_null=True, help_text="a participant's own seat: invited, joined or declined"
        ),
        "participants": serializers.ListField(
            child=serializers.DictField(),
            help_text="the lead sees every invited organisation with its review progress "
            "(review: waiting, not_started, reviewing, completed; reviewed; completed_at); "
            "participants and the supplier see the organisations that joined",
        ),
        "shared_comments": serializers.ListField(child=serializers.DictField()),
        "not_asked": serializers.ListField(
            child=serializers.CharField(),
            help_text="a participant's copy: codes of questions that apply to its own "
            "relationship but were not asked of the supplier (it joined after the supplier "
            "had submitted)",
        ),
    },
)


class _CreateIn(serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1)
    organisations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200
    )
    product = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class _InviteIn(serializers.Serializer):
    organisations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class _AcceptIn(serializers.Serializer):
    relationship = serializers.IntegerField(min_value=1)


def joint_out(joint, org, *, full: bool = True) -> dict:
    """One joint assessment as `org` may see it; `full=False` (lists) leaves out the review
    progress, the shared notes and the questions not asked, in a constant number of queries."""
    role = selectors.role_of(joint, org)
    lead, seat = joint.lead, None
    rel = lead.relationship
    if role == "participant":
        seat = selectors.seat_of(joint, org)
    seats = selectors.seats_overview(joint, with_progress=full and role == "lead")
    if role != "lead":  # who takes part; never who declined or has not answered yet
        seats = [
            {"organisation": s["organisation"], "status": s["status"]}
            for s in seats
            if s["status"] == ParticipantStatus.JOINED
        ]
    joined = role != "participant" or (seat and seat.status == ParticipantStatus.JOINED)
    return {
        "id": joint.pk,
        "role": role,
        "lead": {"id": rel.care_org_id, "name": rel.care_org.name},
        "supplier": {"id": rel.supplier_id, "name": rel.supplier.name},
        "product": {"id": joint.product_id, "name": joint.product.name} if joint.product else None,
        "template": lead.template.title,
        "due_date": lead.due_date,
        "status": lead.status,
        "assessment": seat.assessment_id if seat else lead.pk,
        "invitation": seat.status if seat else None,
        "participants": seats,
        "shared_comments": selectors.shared_comments(joint)
        if full and joined and role != "supplier"
        else [],
        "not_asked": review.not_asked(seat) if full and seat else [],
    }


class JointAssessmentViewSet(viewsets.ViewSet):
    """Care: the joint assessments it leads or is invited to; supplier: those it answers."""

    permission_classes = [RolePermission("joint.read")]

    def _get(self, request, pk):
        return get_object_or_404(selectors.joints_for(request.membership), pk=pk)

    def _need(self, request, perm):
        if not has_perm(request.membership, perm):
            raise PermissionDenied()

    def _seat(self, request, joint):
        seat = selectors.seat_of(joint, request.membership.organisation)
        if seat is None:  # the lead or the supplier: not invited
            raise PermissionDenied()
        return seat

    @extend_schema(responses={200: JOINT})
    def list(self, request):
        org = request.membership.organisation
        joints = selectors.joints_for(request.membership)
        return Response([joint_out(j, org, full=False) for j in joints])

    @extend_schema(responses={200: JOINT})
    def retrieve(self, request, pk=None):
        return Response(joint_out(self._get(request, pk), request.membership.organisation))

    @extend_schema(request=_CreateIn, responses={201: JOINT})
    def create(self, request):
        """Make one of your assessments joint and invite other care organisations."""
        self._need(request, "joint.manage")
        body = _CreateIn(data=request.data)
        body.is_valid(raise_exception=True)
        data, org = body.validated_data, request.membership.organisation
        lead = get_object_or_404(
            Assessment.objects.visible_to(request.membership), pk=data["assessment"]
        )
        product = None
        if data.get("product"):
            product = get_object_or_404(Product, pk=data["product"])
        joint = services.joint_create(
            assessment=lead,
            organisations=services.joint_organisations(data["organisations"]),
            actor=request.user,
            message=data.get("message", ""),
            product=product,
            request=request,
        )
        joint = selectors.joints_for(request.membership).get(pk=joint.pk)
        return Response(joint_out(joint, org), status=status.HTTP_201_CREATED)

    @extend_schema(request=_InviteIn, responses={200: JOINT})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """The lead invites more care organisations."""
        self._need(request, "joint.manage")
        joint, org = self._get(request, pk), request.membership.organisation
        if selectors.role_of(joint, org) != "lead":
            raise PermissionDenied()
        body = _InviteIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.joint_invite(
            joint=joint,
            organisations=services.joint_organisations(body.validated_data["organisations"]),
            actor=request.user,
            message=body.validated_data.get("message", ""),
            request=request,
        )
        return Response(joint_out(self._get(request, pk), org))

    @extend_schema(request=_AcceptIn, responses={200: JOINT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """An invited organisation joins with one of its own relationships with the supplier."""
        self._need(request, "joint.manage")
        joint = self._get(request, pk)
        seat = self._seat(request, joint)
        body = _AcceptIn(data=request.data)
        body.is_valid(raise_exception=True)
        org = request.membership.organisation
        relationship = get_object_or_404(
            Relationship.objects.filter(care_org=org), pk=body.validated_data["relationship"]
        )
        services.joint_accept(
            seat=seat, relationship=relationship, actor=request.user, request=request
        )
        return Response(joint_out(self._get(request, pk), org))

    @extend_schema(request=None, responses={200: JOINT})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        self._need(request, "joint.manage")
        joint = self._get(request, pk)
        services.joint_decline(seat=self._seat(request, joint), actor=request.user, request=request)
        return Response(joint_out(self._get(request, pk), request.membership.organisation))

    @extend_schema(
        request=None,
        responses={200: inline_serializer("JointAdopted", {"adopted": serializers.IntegerField()})},
    )
    @action(detail=True, methods=["post"], url_path="adopt-lead-verdicts")
    def adopt_lead_verdicts(self, request, pk=None):
        """A participant takes the lead's accepted and rejected verdicts for every answer it has
        not reviewed itself (its own verdicts stay)."""
        self._need(request, "assessment.review")
        joint = self._get(request, pk)
        seat = self._seat(request, joint)
        if seat.assessment_id is None:
            raise Conflict(_("Your copy arrives when the supplier has submitted its answers."))
        adopted = review.adopt_lead_verdicts(
            assessment=seat.assessment, actor=request.user, request=request
        )
        return Response({"adopted": adopted})

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "JointShortQuestionnaire",
                {"assessment": serializers.IntegerField(), "codes": serializers.ListField()},
            )
        },
    )
    @action(detail=True, methods=["post"], url_path="ask-not-asked")
    def ask_not_asked(self, request, pk=None):
        """A late participant sends the questions `not_asked` lists to the supplier as a short
        questionnaire of its own (once)."""
        self._need(request, "assessment.send")
        joint = self._get(request, pk)
        seat = self._seat(request, joint)
        if seat.assessment_id is None:
            raise Conflict(_("Your copy arrives when the supplier has submitted its answers."))
        short = review.ask_not_asked(seat=seat, actor=request.user, request=request)
        return Response({"assessment": short.pk, "codes": short.only_codes}, status=201)

    @extend_schema(
        responses={
            200: inline_serializer(
                "JointInvitable",
                {"id": serializers.IntegerField(), "name": serializers.CharField()},
                many=True,
            )
        }
    )
    @action(detail=False, methods=["get"])
    def invitable(self, request):
        """The care organisations one may invite (every other care organisation)."""
        org = request.membership.organisation
        if not org.is_care:
            return Response([])
        return Response([{"id": o.pk, "name": o.name} for o in selectors.invitable(org)])
