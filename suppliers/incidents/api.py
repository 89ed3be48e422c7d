"""API: incidents in the chain (API.md "Incidents in the chain")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission
from portal.core.permissions import has_perm
from suppliers.models import Product

from . import selectors, services
from .models import Affected, Incident, UpdateKind


class DeadlinesSerializer(serializers.Serializer):
    early_warning = serializers.DateTimeField()
    notification = serializers.DateTimeField()
    final_report = serializers.DateTimeField()


class ReportSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=8000)
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647),
        min_length=1,
        max_length=100,
    )
    detected_at = serializers.DateTimeField()
    health_data = serializers.BooleanField(default=False)
    availability = serializers.BooleanField(default=False)


class ReportedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField()
    deadlines = DeadlinesSerializer()
    recipients = serializers.IntegerField(help_text="care organisations it was delivered to")


class ImpactSerializer(serializers.Serializer):
    affected = serializers.ChoiceField(choices=Affected.choices)
    patient_care_impact = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=8000, required=False, allow_blank=True)


class UpdateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=UpdateKind.choices)
    text = serializers.CharField(max_length=8000)


class AcknowledgementSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)


class IncidentSerializer(serializers.Serializer):
    """Both sides see the notice; the care side its own acknowledgement, impact and affected
    relationships; the supplier side who acknowledged (nothing of the customers' assessment)."""

    id = serializers.IntegerField()
    supplier = serializers.IntegerField(source="supplier_id")
    title = serializers.CharField()
    description = serializers.CharField()
    products = serializers.SerializerMethodField()
    stage = serializers.CharField()
    detected_at = serializers.DateTimeField()
    health_data = serializers.BooleanField()
    availability = serializers.BooleanField()
    deadlines = DeadlinesSerializer()
    acknowledged_at = serializers.SerializerMethodField()
    impact = serializers.SerializerMethodField()
    relationships = serializers.SerializerMethodField()
    acknowledgements = serializers.SerializerMethodField()

    def _copy(self, obj):
        membership = self.context["request"].membership
        cache = self.context.setdefault("_copies", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.copy_of(membership=membership, incident=obj)
        return cache[obj.pk]

    def get_products(self, obj) -> list[int]:
        return sorted(p.pk for p in obj.products.all())

    def get_acknowledged_at(self, obj) -> str | None:
        copy = self._copy(obj)
        return copy.acknowledged_at.isoformat() if copy and copy.acknowledged_at else None

    @extend_schema_field(ImpactSerializer(allow_null=True))
    def get_impact(self, obj) -> dict | None:
        copy = self._copy(obj)
        if copy is None:
            return None
        return {
            "affected": copy.affected,
            "patient_care_impact": copy.patient_care_impact,
            "notes": copy.notes,
        }

    def get_relationships(self, obj) -> list[int]:
        copy = self._copy(obj)
        return sorted(r.pk for r in copy.relationships.all()) if copy else []

    @extend_schema_field(AcknowledgementSerializer(many=True, allow_null=True))
    def get_acknowledgements(self, obj) -> list[dict] | None:
        if self.context["request"].membership.organisation.kind != "supplier":
            return None
        return [
            {"organisation": r.care_org.name, "at": r.acknowledged_at}
            for r in selectors.acknowledgements(incident=obj)
        ]


PERMS = {
    "list": "incident.read",
    "retrieve": "incident.read",
    "create": "incident.report",
    "updates": "incident.report",
    "acknowledge": "incident.assess",
    "impact": "incident.assess",
}


class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IncidentSerializer
    queryset = Incident.objects.none()

    def get_permissions(self):
        return [RolePermission(PERMS.get(self.action, "incident.read"))()]

    def get_queryset(self):
        return selectors.incidents_for(membership=self.request.membership).order_by(
            "-detected_at", "-pk"
        )

    def _incident(self, pk) -> Incident:
        incident = self.get_queryset().filter(pk=pk).first()
        if incident is None:
            raise NotFound
        return incident

    @extend_schema(request=ReportSerializer, responses={201: ReportedSerializer})
    def create(self, request, *args, **kwargs):
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        org = request.membership.organisation
        products = list(Product.objects.filter(supplier=org, pk__in=d["products"]))
        if len(products) != len(set(d["products"])):
            raise serializers.ValidationError({"products": ["Unknown product."]})
        try:
            incident = services.incident_report(
                supplier=org,
                actor=request.user,
                title=d["title"],
                description=d["description"],
                products=products,
                detected_at=d["detected_at"],
                health_data=d["health_data"],
                availability=d["availability"],
                request=request,
            )
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        out = {
            "id": incident.pk,
            "stage": incident.stage,
            "deadlines": incident.deadlines,
            "recipients": incident.recipients.count(),
        }
        return Response(ReportedSerializer(out).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UpdateSerializer, responses={201: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        incident = self._incident(pk)
        data = UpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.incident_update(
                incident=incident,
                actor=request.user,
                kind=data.validated_data["stage"],
                text=data.validated_data["text"],
                request=request,
            )
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        incident.refresh_from_db()
        return Response(
            IncidentSerializer(incident, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def _own_copy(self, pk):
        incident = self._incident(pk)
        copy = selectors.copy_of(membership=self.request.membership, incident=incident)
        if copy is None:
            raise NotFound
        return incident, copy

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        incident, copy = self._own_copy(pk)
        services.incident_acknowledge(recipient=copy, actor=request.user, request=request)
        return Response(IncidentSerializer(incident, context=self.get_serializer_context()).data)

    @extend_schema(request=ImpactSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["patch"])
    def impact(self, request, pk=None):
        if not has_perm(request.membership, "incident.assess"):
            raise PermissionDenied
        incident, copy = self._own_copy(pk)
        data = ImpactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.impact_assess(
                recipient=copy, actor=request.user, request=request, **data.validated_data
            )
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(IncidentSerializer(incident, context=self.get_serializer_context()).data)
