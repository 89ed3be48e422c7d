"""API: rapid questionnaires (API.md "Incidents in the chain")."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission
from suppliers import reach

from . import selectors, services


class StartSerializer(serializers.Serializer):
    """Exactly one of fourth_party, product or relationships — or fourth_party together with
    relationships: the relationships confirmed from `preview/` (each must be among its
    matches). fourth_party alone reaches every live relationship whose products declare a
    fourth party of that name, compared case-insensitively (accents, punctuation and a
    trailing legal form such as B.V. do not count)."""

    fourth_party = serializers.CharField(max_length=200, required=False, allow_blank=True)
    product = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False)
    relationships = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647),
        required=False,
        max_length=5000,
    )
    due_date = serializers.DateField(required=False)

    def validate(self, attrs):
        picked = [k for k in ("fourth_party", "product", "relationships") if attrs.get(k)]
        if len(picked) != 1 and picked != ["fourth_party", "relationships"]:
            raise serializers.ValidationError(
                "Give exactly one of fourth_party, product or relationships "
                "(or fourth_party with the relationships confirmed from its preview)."
            )
        due = attrs.get("due_date")
        if due and not timezone.localdate() <= due <= timezone.localdate() + timedelta(days=366):
            raise serializers.ValidationError({"due_date": ["Give a date within the next year."]})
        return attrs


class StartedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    relationships = serializers.IntegerField(help_text="live relationships it is sent to")


class RapidPreviewMatchSerializer(serializers.Serializer):
    relationship = serializers.IntegerField()
    supplier = serializers.CharField()
    product = serializers.CharField()
    fourth_party = serializers.CharField(help_text="the fourth party's name as declared")
    reason = serializers.ChoiceField(choices=reach.NameMatch.choices)


class RapidPreviewSerializer(serializers.Serializer):
    fourth_party = serializers.CharField()
    matches = RapidPreviewMatchSerializer(many=True)


class RapidSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    target = serializers.CharField()
    status = serializers.CharField()
    due_date = serializers.DateField()
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    affected = serializers.IntegerField()
    not_affected = serializers.IntegerField()
    no_answer = serializers.IntegerField()
    assessments = serializers.ListField(child=serializers.IntegerField())


def represent(rapid) -> dict:
    data = selectors.board(rapid)
    return {
        "id": rapid.pk,
        "label": rapid.label,
        "target": rapid.target,
        "status": rapid.status,
        "due_date": rapid.due_date,
        "total": data["total"],
        "answered": data["answered"],
        **data["counts"],
        "assessments": data["assessment_ids"],
    }


class RapidAssessmentViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = RapidSerializer

    def get_permissions(self):
        perm = "incident.assess" if self.action in ("create", "preview") else "care.read"
        return [RolePermission(perm)()]

    def get_queryset(self):
        return selectors.rapid_for(membership=self.request.membership)

    def retrieve(self, request, *args, **kwargs):
        return Response(RapidSerializer(represent(self.get_object())).data)

    @extend_schema(request=StartSerializer, responses={202: StartedSerializer})
    def create(self, request, *args, **kwargs):
        data = StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            common = {
                "care_org": request.membership.organisation,
                "actor": request.user,
                "relationships": d.get("relationships", ()),
                "due_date": d.get("due_date"),
                "request": request,
            }
            if d.get("fourth_party") and d.get("relationships"):
                rapid = services.rapid_assessment_confirm(**common, fourth_party=d["fourth_party"])
            else:
                rapid = services.rapid_assessment_start(
                    **common, fourth_party=d.get("fourth_party", ""), product=d.get("product")
                )
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        out = {
            "id": rapid.pk,
            "status": rapid.status,
            "relationships": len(rapid.job.params["relationships"]),
        }
        return Response(StartedSerializer(out).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            OpenApiParameter("fourth_party", str, required=True, description="a name as typed")
        ],
        responses={200: RapidPreviewSerializer},
        description="What a rapid questionnaire about a fourth party would reach, matched "
        "loosely: case, accents, punctuation, parentheses, legal forms (B.V., Inc., Ltd.) and "
        "word order do not count, and a name whose words all appear in the other matches "
        "(reason `within` or `around`); whole words only. Sends nothing: post the confirmed "
        "relationships with the same fourth_party to create.",
    )
    @action(detail=False, methods=["get"])
    def preview(self, request):
        name = (request.query_params.get("fourth_party") or "").strip()
        if not name or len(name) > 200:
            raise serializers.ValidationError(
                {"fourth_party": ["Give a name (200 characters at most)."]}
            )
        found = reach.fourth_party_candidates(care_org=request.membership.organisation, name=name)
        matches = [
            {
                "relationship": b.relationship_id,
                "supplier": b.supplier,
                "product": b.product,
                "fourth_party": b.declared,
                "reason": b.reason.value,
            }
            for b in found
        ]
        return Response(RapidPreviewSerializer({"fourth_party": name, "matches": matches}).data)
