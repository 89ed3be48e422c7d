"""API: suppliers and relationships of a care organisation (API.md)."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.accounts.models import User
from portal.core.api_permissions import RolePermission

from . import selectors, services
from .models import Product, Relationship, RelationshipStatus, SupplierLink, SupplierType


class SupplierSerializer(serializers.ModelSerializer):
    """A supplier as this care organisation sees it. `id` is the supplier organisation's id:
    the id `relationships` takes as `supplier` (API.md); `supplier` repeats it for clients
    written before that was fixed."""

    id = serializers.IntegerField(source="supplier.pk", read_only=True)
    supplier = serializers.IntegerField(
        source="supplier.pk", read_only=True, help_text="the same as id (deprecated)"
    )
    name = serializers.CharField(source="supplier.name", max_length=200)
    slug = serializers.CharField(source="supplier.slug", read_only=True)
    kvk_number = serializers.CharField(
        source="supplier.kvk_number", max_length=8, required=False, allow_blank=True
    )
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)

    class Meta:
        model = SupplierLink
        fields = ["id", "supplier", "name", "slug", "kvk_number", "contact_email"]


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    supplier_types = serializers.ListField(child=serializers.CharField())


class IntakeSerializer(serializers.Serializer):
    data = serializers.IntegerField(min_value=0, max_value=3)
    volume = serializers.IntegerField(min_value=0, max_value=3)
    continuity = serializers.IntegerField(min_value=0, max_value=3)
    access = serializers.IntegerField(min_value=0, max_value=3)
    substitutability = serializers.IntegerField(min_value=0, max_value=3)


class RelationshipSerializer(serializers.ModelSerializer):
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SupplierType.choices),
        min_length=1,
        max_length=len(SupplierType.choices),
    )
    intake = IntakeSerializer()
    owner = serializers.IntegerField(source="owner_id", required=False, allow_null=True)
    status = serializers.ChoiceField(choices=RelationshipStatus.choices, required=False)
    name = serializers.CharField(max_length=200)
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647),
        source="product_ids",
        required=False,
        max_length=200,
        help_text="ids of the supplier's products this relationship covers",
    )

    class Meta:
        model = Relationship
        fields = [
            "id",
            "supplier",
            "name",
            "supplier_types",
            "intake",
            "inherent_tier",
            "residual_risk",
            "assessed",
            "status",
            "owner",
            "products",
            "version",
        ]
        read_only_fields = ["inherent_tier", "residual_risk", "assessed", "version"]


class IntakePatchSerializer(IntakeSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False


class RelationshipPatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    supplier_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SupplierType.choices),
        min_length=1,
        max_length=len(SupplierType.choices),
        required=False,
    )
    intake = IntakePatchSerializer(required=False)
    status = serializers.ChoiceField(choices=RelationshipStatus.choices, required=False)
    owner = serializers.IntegerField(required=False, allow_null=True)
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647),
        required=False,
        max_length=200,
    )
    version = serializers.IntegerField(required=False)


RiskSerializer = inline_serializer(
    "Risk",
    {
        "inherent_score": serializers.IntegerField(),
        "inherent_tier": serializers.CharField(),
        "tier_reasons": serializers.ListField(child=serializers.DictField()),
        "control_score": serializers.FloatField(allow_null=True),
        "control_band": serializers.CharField(allow_null=True),
        "section_scores": serializers.DictField(child=serializers.FloatField()),
        "knockouts": serializers.ListField(child=serializers.CharField()),
        "residual_risk": serializers.CharField(),
        "assessed": serializers.BooleanField(),
        "explanation": serializers.ListField(child=serializers.DictField()),
        "next_assessment_due": serializers.DateField(allow_null=True),
        "history": serializers.ListField(child=serializers.DictField()),
    },
)


SUPPLIER_ID = OpenApiParameter(
    "id",
    int,
    OpenApiParameter.PATH,
    description="The supplier organisation's id (the `id` of a supplier, what `relationships` "
    "takes as `supplier`).",
)


@extend_schema_view(
    list=extend_schema(summary="The suppliers this care organisation works with"),
    create=extend_schema(
        summary="Register a supplier, or link an existing one with the same KvK number",
        description="Answers the supplier with `id` = the supplier organisation's id; when "
        "`contact_email` is new, the supplier's owner is invited.",
    ),
    retrieve=extend_schema(
        summary="One supplier",
        description="404 when this care organisation has no link with that supplier.",
        parameters=[SUPPLIER_ID],
    ),
)
class SupplierViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Suppliers this care organisation works with, addressed by the supplier organisation's
    id. POST registers or links one (by KvK)."""

    serializer_class = SupplierSerializer
    queryset = SupplierLink.objects.none()

    def get_permissions(self):
        return [
            RolePermission("suppliers.manage" if self.request.method == "POST" else "care.read")()
        ]

    def get_queryset(self):
        return selectors.supplier_links_for(membership=self.request.membership)

    def get_object(self):
        """`{id}` is the supplier organisation's id; a supplier this care organisation has no
        link with is a 404."""
        return get_object_or_404(self.get_queryset(), supplier_id=self.kwargs["pk"])

    @extend_schema(
        summary="The products a supplier offers",
        description="To pick a relationship's `products`; 404 when this care organisation has "
        "no link with that supplier.",
        parameters=[SUPPLIER_ID],
        responses=ProductSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def products(self, request, pk=None):
        link = self.get_object()
        products = selectors.products_for(membership=request.membership, supplier=link.supplier)
        return Response(ProductSerializer(products.order_by("name", "pk"), many=True).data)

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        supplier = ser.validated_data.get("supplier", {})
        link = services.supplier_register(
            care_org=request.membership.organisation,
            name=supplier.get("name", ""),
            kvk_number=supplier.get("kvk_number", ""),
            contact_email=ser.validated_data.get("contact_email", ""),
            actor=request.user,
            request=request,
        )
        return Response(SupplierSerializer(link).data, status=status.HTTP_201_CREATED)


def _products_of(supplier, ids) -> list[Product] | None:
    """The supplier's own products with these ids, or None when one is not the supplier's."""
    wanted = set(ids)
    products = list(Product.objects.filter(supplier=supplier, pk__in=wanted))
    return products if len(products) == len(wanted) else None


class RelationshipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RelationshipSerializer
    queryset = Relationship.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        perm = {"POST": "suppliers.manage", "PATCH": "intake.edit"}.get(
            self.request.method, "care.read"
        )
        return [RolePermission(perm)()]

    def get_queryset(self):
        return selectors.relationships_for(membership=self.request.membership).prefetch_related(
            "products"
        )

    def create(self, request, *args, **kwargs):
        ser = RelationshipSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        link = (
            selectors.supplier_links_for(membership=request.membership)
            .filter(supplier_id=d["supplier_id"])
            .first()
        )
        if link is None:
            return Response(
                {"detail": "Invalid input.", "errors": {"supplier": ["Unknown supplier."]}},
                status=400,
            )
        products = _products_of(link.supplier, d.get("product_ids", []))
        if products is None:
            return Response(
                {"detail": "Invalid input.", "errors": {"products": ["Unknown product."]}},
                status=400,
            )
        rel = services.relationship_create(
            care_org=request.membership.organisation,
            supplier=link.supplier,
            name=d["name"],
            supplier_types=d["supplier_types"],
            intake=dict(d["intake"]),
            actor=request.user,
            status=d.get("status", "prospect"),
            products=products,
            request=request,
        )
        return Response(RelationshipSerializer(rel).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RelationshipPatchSerializer, responses=RelationshipSerializer)
    def partial_update(self, request, *args, **kwargs):
        rel = self.get_object()
        ser = RelationshipPatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        version = changes.pop("version", None)
        if "intake" in changes:
            changes["intake"] = dict(changes["intake"])
        if "owner" in changes and changes["owner"] is not None:
            changes["owner"] = User.objects.filter(pk=changes["owner"]).first()
            if changes["owner"] is None:
                return Response(
                    {"detail": "Invalid input.", "errors": {"owner": ["Unknown user."]}}, status=400
                )
        product_ids = changes.pop("products", None)
        products = _products_of(rel.supplier, product_ids) if product_ids is not None else []
        if products is None:
            return Response(
                {"detail": "Invalid input.", "errors": {"products": ["Unknown product."]}},
                status=400,
            )
        with transaction.atomic():
            rel = services.relationship_update(
                relationship=rel, actor=request.user, version=version, request=request, **changes
            )
            if product_ids is not None:
                services.relationship_set_products(
                    relationship=rel, products=products, actor=request.user, request=request
                )
        return Response(RelationshipSerializer(rel).data)

    @extend_schema(
        responses=RiskSerializer, summary="Tier, scores and residual risk with their explanation"
    )
    @action(detail=True, methods=["get"])
    def risk(self, request, pk=None):
        rel = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            {
                **selectors.risk_summary(rel),
                "next_assessment_due": rel.next_assessment_due,
                "history": selectors.risk_history(rel),
            }
        )
