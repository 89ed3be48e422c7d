"""API: a relationship's clause checklist (API.md) — list, and PATCH one clause's status."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission
from portal.core.i18n import stored_text
from portal.core.tenancy import visible_to
from suppliers.models import Relationship

from . import checklist as cl
from .exitnote import section_title
from .models import ChecklistItem, ClauseStatus, Contract, ExitNote


class ChecklistItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="clause.code")
    title = serializers.CharField(source="clause.title")
    priority = serializers.CharField(source="clause.priority")
    category = serializers.CharField(source="clause.category")
    basis = serializers.ListField(source="clause.basis", child=serializers.CharField())
    reasons = serializers.SerializerMethodField()
    contract_reference = serializers.CharField()
    contract = serializers.IntegerField(source="contract_id", allow_null=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "code",
            "title",
            "priority",
            "category",
            "basis",
            "status",
            "reasons",
            "contract_reference",
            "contract",
            "article",
            "motivation",
            "triggered",
            "version",
        ]
        read_only_fields = fields

    def get_reasons(self, obj) -> list[str]:
        return [stored_text(r) for r in obj.reasons]


class ChecklistPatch(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClauseStatus.choices)
    contract = serializers.IntegerField(required=False, allow_null=True)
    contract_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="the article"
    )
    article = serializers.CharField(max_length=100, required=False, allow_blank=True)
    motivation = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class RelationshipClauseViewSet(
    mixins.ListModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The clauses the contract must contain, why, and where they are (DESIGN §9)."""

    serializer_class = ChecklistItemSerializer
    queryset = ChecklistItem.objects.none()
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9\-]+"
    http_method_names = ["get", "patch", "head", "options"]

    def get_permissions(self):
        perm = "contracts.edit" if self.action == "partial_update" else "care.read"
        return [RolePermission(perm)()]

    def _relationship(self) -> Relationship:
        return get_object_or_404(
            visible_to(Relationship, self.request.membership), pk=self.kwargs["relationship_pk"]
        )

    def get_queryset(self):
        return (
            ChecklistItem.objects.filter(relationship=self._relationship())
            .select_related("clause", "contract")
            .order_by("-triggered", "clause__order", "clause__code")
        )

    @extend_schema(request=ChecklistPatch, responses=ChecklistItemSerializer)
    def partial_update(self, request, *args, **kwargs):
        rel = self._relationship()
        item = get_object_or_404(
            ChecklistItem.objects.filter(relationship=rel), clause__code=kwargs["code"]
        )
        ser = ChecklistPatch(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        contract = None
        if d.get("contract") is not None:
            contract = Contract.objects.filter(relationship=rel, pk=d["contract"]).first()
            if contract is None:
                return Response(
                    {"detail": "Invalid input.", "errors": {"contract": ["Unknown contract."]}},
                    status=400,
                )
        updated = cl.checklist_item_update(
            item=item,
            actor=request.user,
            status=d["status"],
            contract=contract,
            article=d.get("article", d.get("contract_reference", "")),
            motivation=d.get("motivation", ""),
            version=d.get("version"),
            request=request,
        )
        return Response(ChecklistItemSerializer(updated, context={"request": request}).data)

    def update(self, request, *args, **kwargs):  # PUT is not offered; PATCH only
        return self.partial_update(request, *args, **kwargs)


class ExitNoteSerializer(serializers.Serializer):
    lock_in = serializers.CharField()
    lock_in_score = serializers.IntegerField()
    lock_in_reasons = serializers.ListField(child=serializers.DictField())
    sections = serializers.ListField(child=serializers.DictField())
    status = serializers.CharField()
    version = serializers.IntegerField()
    security_approved_at = serializers.DateTimeField(allow_null=True)
    board_approved_at = serializers.DateTimeField(allow_null=True)


class RelationshipExitNoteView(APIView):
    """The relationship's exit note (API.md); 404 until it has been drawn up."""

    permission_classes = [RolePermission("care.read")]

    @extend_schema(responses=ExitNoteSerializer)
    def get(self, request, pk: int):

        rel = get_object_or_404(visible_to(Relationship, request.membership), pk=pk)
        note = get_object_or_404(ExitNote, relationship=rel)
        return Response(
            {
                "lock_in": note.lock_in,
                "lock_in_score": note.lock_in_score,
                "lock_in_reasons": [
                    {"factor": r["factor"], "points": r["points"], "text": stored_text(r)}
                    for r in note.lock_in_reasons
                ],
                "sections": [
                    {
                        "key": s.key,
                        "title": section_title(s.key),
                        "body": s.body,
                        "edited": s.edited,
                        "proposal": s.proposal or None,
                    }
                    for s in note.sections.all()
                ],
                "status": note.status,
                "version": note.version,
                "security_approved_at": note.security_approved_at,
                "board_approved_at": note.board_approved_at,
            }
        )
