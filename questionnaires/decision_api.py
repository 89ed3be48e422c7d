"""API: risk decisions — proposed on a finding or a residual risk, decided by the board."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission
from portal.core.tenancy import visible_to
from suppliers.models import Relationship

from . import decisions
from .models import RiskDecision


class DecisionSerializer(serializers.ModelSerializer):
    finding = serializers.IntegerField(source="finding_id", allow_null=True, read_only=True)
    relationship = serializers.IntegerField(source="relationship_id", read_only=True)

    class Meta:
        model = RiskDecision
        fields = [
            "id",
            "relationship",
            "finding",
            "status",
            "motivation",
            "expires_on",
            "accepted_level",
            "proposed_at",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class ProposeIn(serializers.Serializer):
    motivation = serializers.CharField(max_length=4000)
    expires_on = serializers.DateField()


class DecideIn(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RelationshipDecisionView(APIView):
    """Propose to accept a relationship's residual risk as it stands; the board decides."""

    permission_classes = [RolePermission("decision.propose")]

    @extend_schema(request=ProposeIn, responses={201: DecisionSerializer})
    def post(self, request, pk: int):

        rel = get_object_or_404(visible_to(Relationship, request.membership), pk=pk)
        ser = ProposeIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = decisions.decision_propose(
            relationship=rel, actor=request.user, request=request, **ser.validated_data
        )
        return Response(DecisionSerializer(d).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The decisions register of the care organisation."""

    serializer_class = DecisionSerializer
    queryset = RiskDecision.objects.none()

    def get_permissions(self):
        perm = "decision.approve" if self.action in ("approve", "reject") else "care.read"
        return [RolePermission(perm)()]

    def get_queryset(self):
        return visible_to(RiskDecision, self.request.membership)

    def _decide(self, request, pk, approve: bool):
        decision = get_object_or_404(self.get_queryset(), pk=pk)
        ser = DecideIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = decisions.decision_decide(
            decision=decision,
            actor=request.user,
            approve=approve,
            comment=ser.validated_data.get("comment", ""),
            request=request,
        )
        return Response(DecisionSerializer(d).data)

    @extend_schema(request=DecideIn, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=DecideIn, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, False)
