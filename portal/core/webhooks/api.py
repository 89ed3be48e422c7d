"""API: webhook endpoints, their delivery log, redelivery and ping (API.md "Integrations")."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission
from portal.core.events import event_types

from . import audience, selectors, services
from .models import Delivery, Endpoint


def _event_catalogue() -> str:
    """Every event an endpoint can subscribe to, who may receive it and its `data` fields."""
    lines = [
        'Deliveries are POSTs of `{"type", "timestamp", "data"}` signed per Standard '
        "Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 "
        'HMAC-SHA256 of "id.timestamp.body">` with the base64-decoded `whsec_` secret). '
        "Supplier endpoints receive only these `data` keys: "
        + ", ".join(f"`{k}`" for k in sorted(audience.SUPPLIER_KEYS))
        + ". A test event `webhook.ping` has `data` `{endpoint, organisation}`.",
        "",
    ]
    for event in event_types():
        who = audience.parties(event.name)
        if not who:
            continue
        fields = "; ".join(f"`{k}`: {v}" for k, v in event.data.items())
        lines.append(f"- `{event.name}` ({', '.join(sorted(who))}): {event.summary} Data: {fields}")
    return "\n".join(lines)


_EVENT_NAMES = sorted(name for name, who in audience.AUDIENCE.items() if who)


@extend_schema_field(
    {
        "type": "array",
        "maxItems": len(_EVENT_NAMES),
        "items": {"type": "string", "enum": _EVENT_NAMES},
    }
)
class EventNamesField(serializers.ListField):
    child = serializers.CharField(max_length=80)

    def __init__(self, **kwargs):
        super().__init__(max_length=len(_EVENT_NAMES), **kwargs)


class EndpointSerializer(serializers.ModelSerializer):
    events = EventNamesField(help_text="domain event names (see the endpoint's description)")

    class Meta:
        model = Endpoint
        fields = ["id", "url", "events", "description", "is_active", "disabled_at", "created_at"]
        read_only_fields = ["disabled_at", "created_at"]


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="the signing secret, shown once")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event_type", read_only=True)
    webhook_id = serializers.CharField(source="message_id", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "webhook_id",
            "attempt",
            "state",
            "status_code",
            "response_excerpt",
            "error",
            "attempted_at",
            "delivered_at",
            "next_attempt_at",
        ]


def _raise(exc: DjangoValidationError):
    raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


@extend_schema(description=_event_catalogue())
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's webhook endpoints (care admin, supplier owner)."""

    serializer_class = EndpointSerializer
    permission_classes = [RolePermission("webhooks.manage")]
    queryset = Endpoint.objects.none()
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self):
        return selectors.endpoints_for(membership=self.request.membership)

    def get_object(self):
        return selectors.endpoint_get(membership=self.request.membership, pk=self.kwargs["pk"])

    @extend_schema(request=EndpointSerializer, responses={201: EndpointCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = EndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            endpoint, secret = services.webhook_create(
                organisation=request.membership.organisation,
                url=data["url"],
                events=data["events"],
                description=data.get("description", ""),
                actor=request.user,
                request=request,
            )
        except DjangoValidationError as exc:
            _raise(exc)
        body = EndpointSerializer(endpoint).data
        return Response({**body, "secret": secret}, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        serializer = EndpointSerializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.webhook_update(
                endpoint=endpoint, actor=request.user, request=request, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(EndpointSerializer(endpoint).data)

    def destroy(self, request, *args, **kwargs):
        services.webhook_delete(endpoint=self.get_object(), actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """Every attempt, newest first (`next_attempt_at` set when a retry follows)."""
        qs = selectors.deliveries_of(endpoint=self.get_object())
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        """Send a `webhook.ping` test event to this endpoint (one attempt)."""
        delivery = services.webhook_ping(
            endpoint=self.get_object(), actor=request.user, request=request
        )
        delivery.refresh_from_db()
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_pk>[0-9]+)/redeliver",
        url_name="redeliver",
    )
    def redeliver(self, request, pk=None, delivery_pk=None):
        """Send a message again: the same `webhook-id` and body (one attempt)."""
        endpoint = self.get_object()
        delivery = selectors.delivery_get(endpoint=endpoint, pk=delivery_pk)
        again = services.delivery_redeliver(delivery=delivery, actor=request.user, request=request)
        again.refresh_from_db()
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
