"""API: CSAF advisories (API.md "Incidents in the chain"): `POST /api/v1/advisories/` with the
advisory itself as the JSON body, and reading, confirming and dismissing them."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission

from . import selectors, services
from .parsing import CsafInvalid, max_bytes


class RawJSONParser(BaseParser):
    """Hands the body over unparsed (at most one byte over the limit): the advisory parser
    checks size and nesting depth before it decodes any JSON."""

    media_type = "*/*"  # any body is read as the document: not JSON is a clear 400, not a 415

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read(max_bytes() + 1) if stream is not None else b""


class AdvisoryProductSerializer(serializers.Serializer):
    vendor = serializers.CharField()
    name = serializers.CharField()
    version = serializers.CharField()


class AdvisoryMatchSerializer(serializers.Serializer):
    relationship = serializers.IntegerField()
    product = serializers.IntegerField(allow_null=True)
    fourth_party = serializers.CharField(allow_blank=True)
    reason = serializers.ChoiceField(choices=["product", "vendor", "fourth_party"])
    named = serializers.CharField(help_text="what the advisory named")
    confirmed = serializers.BooleanField()


class AdvisorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    tracking_id = serializers.CharField()
    publisher = serializers.CharField()
    source = serializers.ChoiceField(choices=["upload", "feed"])
    status = serializers.ChoiceField(choices=["proposed", "sent", "dismissed"])
    rapid_assessment = serializers.IntegerField(allow_null=True)
    products = AdvisoryProductSerializer(many=True)
    matches = AdvisoryMatchSerializer(many=True)


class AdvisorySendSerializer(serializers.Serializer):
    relationships = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647),
        min_length=1,
        max_length=5000,
        help_text="the matched relationships the person confirms",
    )
    due_date = serializers.DateField(required=False)

    def validate_due_date(self, due):
        if not timezone.localdate() <= due <= timezone.localdate() + timedelta(days=366):
            raise serializers.ValidationError("Give a date within the next year.")
        return due


class AdvisorySentSerializer(serializers.Serializer):
    rapid_assessment = serializers.IntegerField()
    relationships = serializers.IntegerField()


def represent(advisory) -> dict:
    return {
        "id": advisory.pk,
        "title": advisory.title,
        "tracking_id": advisory.tracking_id,
        "publisher": advisory.publisher,
        "source": advisory.source,
        "status": advisory.status,
        "rapid_assessment": advisory.rapid_id,
        "products": [
            {
                "vendor": p.get("vendor", ""),
                "name": p.get("name", ""),
                "version": p.get("version", ""),
            }
            for p in advisory.products
        ],
        "matches": [
            {
                "relationship": m.relationship_id,
                "product": m.product_id,
                "fourth_party": m.fourth_party,
                "reason": m.reason,
                "named": m.named,
                "confirmed": m.confirmed,
            }
            for m in advisory.matches.all()
        ],
    }


class AdvisoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AdvisorySerializer

    def get_permissions(self):
        perm = "care.read" if self.action in ("list", "retrieve") else "incident.assess"
        return [RolePermission(perm)()]

    def get_parsers(self):
        # called before `action` is set: the route's method map tells the create route
        creating = getattr(self, "action", None) == "create"
        if creating or getattr(self, "action_map", {}).get("post") == "create":
            return [RawJSONParser()]
        return super().get_parsers()

    def get_queryset(self):
        return selectors.advisories_for(membership=self.request.membership).prefetch_related(
            "matches"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([represent(a) for a in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(AdvisorySerializer(represent(self.get_object())).data)

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        responses={201: AdvisorySerializer},
        description=(
            "The body is a CSAF 2.0 advisory (JSON, at most CSAF_MAX_BYTES bytes and "
            "CSAF_MAX_DEPTH levels deep), validated against the published CSAF 2.0 schema; "
            "an invalid document is a 400 listing what is wrong under `errors.document`. "
            "Nothing is sent: confirm the matches with `send`."
        ),
    )
    def create(self, request, *args, **kwargs):
        raw = request.data if isinstance(request.data, bytes) else b""
        try:
            advisory = services.advisory_upload(
                care_org=request.membership.organisation,
                actor=request.user,
                raw=raw,
                request=request,
            )
        except CsafInvalid as exc:
            raise serializers.ValidationError({"document": exc.errors}) from exc
        advisory = self.get_queryset().get(pk=advisory.pk)
        return Response(
            AdvisorySerializer(represent(advisory)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AdvisorySendSerializer, responses={202: AdvisorySentSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Confirm the matched relationships concerned and send them the rapid questionnaire."""
        advisory = self.get_object()
        data = AdvisorySendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            rapid = services.advisory_send(
                advisory=advisory,
                actor=request.user,
                relationships=data.validated_data["relationships"],
                due_date=data.validated_data.get("due_date"),
                request=request,
            )
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        out = {"rapid_assessment": rapid.pk, "relationships": rapid.relationships.count()}
        return Response(AdvisorySentSerializer(out).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: AdvisorySerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Nothing in the advisory concerns the organisation: close it, send nothing."""
        advisory = services.advisory_dismiss(
            advisory=self.get_object(), actor=request.user, request=request
        )
        advisory = self.get_queryset().get(pk=advisory.pk)
        return Response(AdvisorySerializer(represent(advisory)).data)
