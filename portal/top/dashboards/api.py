"""`GET /api/v1/dashboard/`: the CISO portfolio figures as JSON for integrations."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission
from suppliers.models import RelationshipStatus, SupplierType, Tier

from . import portfolio

DashboardOut = inline_serializer(
    "Dashboard",
    {
        "date": serializers.DateField(),
        "filters": inline_serializer(
            "DashboardFilters",
            {
                "type": serializers.CharField(allow_null=True),
                "tier": serializers.CharField(allow_null=True),
                "owner": serializers.IntegerField(allow_null=True),
                "status": serializers.CharField(allow_null=True),
            },
        ),
        "figures": serializers.DictField(child=serializers.IntegerField()),
        "labels": serializers.DictField(child=serializers.CharField()),
        "lists": serializers.DictField(child=serializers.CharField()),
    },
)


class DashboardView(APIView):
    permission_classes = [RolePermission("care.read")]

    @extend_schema(
        summary="Portfolio figures of the care organisation",
        description=(
            "Every figure of the CISO dashboard, keyed as on the page; `lists` gives the page "
            "that lists the rows behind each figure. Unknown filter values are ignored."
        ),
        parameters=[
            OpenApiParameter("type", OpenApiTypes.STR, enum=SupplierType.values),
            OpenApiParameter("tier", OpenApiTypes.STR, enum=Tier.values),
            OpenApiParameter("owner", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=RelationshipStatus.values),
        ],
        responses=DashboardOut,
    )
    def get(self, request):
        scope = portfolio.scope_for(request.membership, request.query_params)
        figures = portfolio.figures(scope)
        query = scope.filters.as_query()
        return Response(
            {
                "date": scope.today,
                "filters": scope.filters.as_dict(),
                "figures": figures,
                "labels": {k: str(m.label) for k, m in portfolio.METRICS.items()},
                "lists": {
                    k: reverse("portfolio_list", args=[k]) + (f"?{query}" if query else "")
                    for k in portfolio.METRICS
                },
            }
        )
