"""API: findings for both sides (API.md) — the supplier plans and reports progress, the care
organisation resolves, withdraws or proposes a risk decision."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission
from portal.core.tenancy import visible_to
from suppliers.models import Relationship

from . import decisions
from . import findings as svc
from .decision_api import DecisionSerializer, ProposeIn
from .models import Finding, FindingStatus, FindingUpdate


class FindingSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question_code")
    title = serializers.CharField()

    class Meta:
        model = Finding
        fields = ["id", "question", "severity", "title", "status", "due_date"]


class FindingUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.email", default=None, read_only=True)

    class Meta:
        model = FindingUpdate
        fields = ["kind", "text", "planned_date", "from_supplier", "author", "created_at"]
        read_only_fields = fields


class FindingDetailSerializer(FindingSerializer):
    relationship = serializers.IntegerField(source="relationship_id", read_only=True)
    advice = serializers.CharField()
    knockout = serializers.SerializerMethodField(
        help_text="whether the question is a knock-out question (knockout_fired says whether "
        "it failed); null for a supplier (the care organisation's own weighting, DESIGN §12)"
    )
    knockout_fired = serializers.SerializerMethodField(
        help_text="whether this finding's answer fired the knock-out (q < 0.5, DESIGN §6.5), "
        "raising the residual risk to at least high; null for a supplier"
    )
    updates = FindingUpdateSerializer(many=True, read_only=True)

    class Meta(FindingSerializer.Meta):
        fields = [
            *FindingSerializer.Meta.fields,
            "relationship",
            "advice",
            "knockout",
            "knockout_fired",
            "plan",
            "planned_date",
            "closed_at",
            "updates",
        ]
        read_only_fields = fields

    def get_knockout(self, obj) -> bool | None:
        """A supplier never learns which questions the care organisation weighs as knock-out."""
        request = self.context.get("request")
        membership = getattr(request, "membership", None) if request else None
        if membership is None or membership.organisation.kind != "care":
            return None
        return obj.knockout

    def get_knockout_fired(self, obj) -> bool | None:
        """Whether the knock-out fired is the care organisation's own too."""
        return obj.knockout_fired if self.get_knockout(obj) is not None else None


class PlanIn(serializers.Serializer):
    plan = serializers.CharField(max_length=4000)
    planned_date = serializers.DateField()


class TextIn(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


PERMS = {
    "list": "finding.read",
    "retrieve": "finding.read",
    "decision": "decision.propose",
    "plan": "finding.respond",
    "progress": "finding.respond",
    "resolve": "finding.manage",
    "withdraw": "finding.manage",
    "comment": "finding.manage",
}


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("status", str, enum=FindingStatus.values, required=False)]
    )
)
class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings: a care organisation sees its own, a supplier those raised on its answers."""

    queryset = Finding.objects.none()

    def get_permissions(self):
        return [RolePermission(PERMS.get(self.action, "finding.read"))()]

    def get_serializer_class(self):
        return FindingSerializer if self.action == "list" else FindingDetailSerializer

    def get_queryset(self):
        qs = visible_to(Finding, self.request.membership)
        if self.action == "retrieve":
            qs = qs.prefetch_related("updates__author")
        status_filter = self.request.query_params.get("status")
        if not status_filter:
            return qs
        if status_filter not in FindingStatus.values:  # also keeps NUL bytes out of the query
            choices = ", ".join(FindingStatus.values)
            raise exceptions.ValidationError(
                {"status": [_("Choose one of: %(v)s") % {"v": choices}]}
            )
        return qs.filter(status=status_filter)

    def _finding(self, pk) -> Finding:
        return get_object_or_404(visible_to(Finding, self.request.membership), pk=pk)

    def _out(self, finding, code=status.HTTP_200_OK):
        finding = Finding.objects.prefetch_related("updates__author").get(pk=finding.pk)
        return Response(
            FindingDetailSerializer(finding, context={"request": self.request}).data, status=code
        )

    @extend_schema(request=ProposeIn, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Propose to accept this finding's risk; a board member decides."""
        finding = self._finding(pk)
        ser = ProposeIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = decisions.decision_propose(
            relationship=finding.relationship,
            finding=finding,
            actor=request.user,
            request=request,
            **ser.validated_data,
        )
        return Response(DecisionSerializer(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanIn, responses=FindingDetailSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """Supplier: the remediation plan and its planned date (open → remediation_planned)."""
        ser = PlanIn(data=request.data)
        ser.is_valid(raise_exception=True)
        f = svc.finding_plan(
            finding=self._finding(pk),
            actor=request.user,
            plan=ser.validated_data["plan"],
            planned_date=ser.validated_data["planned_date"],
            request=request,
        )
        return self._out(f)

    @extend_schema(request=TextIn, responses=FindingDetailSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Supplier: a progress update."""
        ser = TextIn(data=request.data)
        ser.is_valid(raise_exception=True)
        f = svc.finding_progress(
            finding=self._finding(pk), actor=request.user, text=ser.validated_data["text"]
        )
        return self._out(f)

    def _close(self, request, pk, resolve: bool):
        ser = TextIn(data=request.data)
        ser.is_valid(raise_exception=True)
        f = svc.finding_close(
            finding=self._finding(pk),
            actor=request.user,
            resolve=resolve,
            text=ser.validated_data["text"],
            request=request,
        )
        return self._out(f)

    @extend_schema(request=TextIn, responses=FindingDetailSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Care organisation: verified and resolved, with how it was verified."""
        return self._close(request, pk, True)

    @extend_schema(request=TextIn, responses=FindingDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Care organisation: withdrawn, with the reason."""
        return self._close(request, pk, False)

    @extend_schema(request=TextIn, responses=FindingDetailSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """Care organisation: a message to the supplier in the finding's thread."""
        ser = TextIn(data=request.data)
        ser.is_valid(raise_exception=True)
        f = svc.finding_comment(
            finding=self._finding(pk), actor=request.user, text=ser.validated_data["text"]
        )
        return self._out(f)


class RelationshipFindingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Findings raised on a relationship's answers, earliest deadline first."""

    serializer_class = FindingSerializer
    queryset = Finding.objects.none()
    permission_classes = [RolePermission("care.read")]

    def get_queryset(self):
        rel = get_object_or_404(
            visible_to(Relationship, self.request.membership), pk=self.kwargs["relationship_pk"]
        )
        return visible_to(Finding, self.request.membership).filter(relationship=rel)
