"""API (care side): the risk appetite, the reassessments that are due and the fourth parties
behind the portfolio — the pages of the same names, through the same selectors and services."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission

from . import selectors
from .rescoring import risk_appetite_change
from .risk import appetite_for

APPETITE_CHANGED = inline_serializer(
    "RiskAppetiteChanged",
    {
        "appetite": serializers.DictField(),
        "changed": serializers.ListField(child=serializers.CharField()),
        "job": serializers.IntegerField(allow_null=True),
        "job_url": serializers.CharField(allow_null=True),
    },
)


class RiskAppetiteView(APIView):
    """GET: the organisation's risk appetite (tier thresholds, bands, the tier × band matrix,
    reassessment cadence, finding deadlines). PUT (security officer): change it; every
    relationship is then re-scored as a background job (`job`, progress at `job_url`)."""

    def get_permissions(self):
        return [RolePermission("appetite.edit" if self.request.method == "PUT" else "care.read")()]

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="The risk appetite")
    def get(self, request):
        return Response(appetite_for(request.membership.organisation))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: APPETITE_CHANGED, 202: APPETITE_CHANGED},
        summary="Change the risk appetite and re-score",
    )
    def put(self, request):
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"detail": ["Send the appetite as a JSON object."]})
        changed, job = risk_appetite_change(
            membership=request.membership, data=dict(request.data), actor=request.user,
            request=request,
        )  # fmt: skip
        body = {
            "appetite": appetite_for(request.membership.organisation),
            "changed": changed,
            "job": job.pk if job else None,
            "job_url": reverse("api-job", args=[job.pk]) if job else None,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED if job else status.HTTP_200_OK)


class ReassessmentsView(APIView):
    """Relationships whose next assessment is overdue or due within `within` days (0–730,
    default 90), and those never assessed."""

    permission_classes = [RolePermission("care.read")]

    @extend_schema(
        parameters=[OpenApiParameter("within", int, description="days ahead, 0–730")],
        responses=inline_serializer(
            "ReassessmentDue",
            {
                "relationship": serializers.IntegerField(),
                "name": serializers.CharField(),
                "supplier": serializers.CharField(),
                "inherent_tier": serializers.CharField(),
                "next_assessment_due": serializers.DateField(allow_null=True),
                "overdue": serializers.BooleanField(),
                "reason": serializers.CharField(),
            },
            many=True,
        ),
        summary="Reassessments due",
    )
    def get(self, request):
        try:
            within = min(max(int(request.query_params.get("within", 90)), 0), 730)
        except ValueError as exc:
            raise serializers.ValidationError({"within": ["Give a number of days."]}) from exc
        rels = selectors.reassessments_due(
            membership=request.membership, today=timezone.localdate(), within_days=within
        )
        return Response(
            [
                {
                    "relationship": r.pk,
                    "name": r.name,
                    "supplier": r.supplier.name,
                    "inherent_tier": r.inherent_tier,
                    "next_assessment_due": r.next_assessment_due,
                    "overdue": bool(r.overdue),
                    "reason": str(r.due_reason),
                }
                for r in rels
            ]
        )


class FourthPartiesView(APIView):
    """The fourth parties behind the portfolio: parties behind two or more suppliers
    (`concentration`) and uses of parties located, or with a parent, outside the EU/EEA."""

    permission_classes = [RolePermission("care.read")]

    @extend_schema(
        responses=inline_serializer(
            "FourthPartyPortfolio",
            {
                "concentration": serializers.ListField(child=serializers.DictField()),
                "outside_eu": serializers.ListField(child=serializers.DictField()),
                "parties": serializers.IntegerField(),
            },
        ),
        summary="Fourth-party portfolio",
    )
    def get(self, request):
        p = selectors.fourth_party_portfolio(membership=request.membership)
        return Response(
            {
                "concentration": [
                    {
                        "name": c["name"],
                        "suppliers": [s.name for s in c["suppliers"]],
                        "relationships": [r.pk for r in c["relationships"]],
                    }
                    for c in p["concentration"]
                ],
                "outside_eu": [
                    {
                        "name": o["sub"].name,
                        "countries": o["countries"],
                        "supplier": o["sub"].product.supplier.name,
                        "product": o["sub"].product.name,
                        "relationships": [r.pk for r in o["relationships"]],
                    }
                    for o in p["outside_eu"]
                ],
                "parties": p["parties"],
            }
        )
