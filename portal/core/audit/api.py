"""API: the audit log (read only), filtered as on the page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets

from portal.core.api_permissions import RolePermission

from .models import AuditEvent
from .selectors import audit_events_for


class AuditEventOut(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "object_type", "object_id", "object_label"]


class AuditFilter(serializers.Serializer):
    action = serializers.CharField(max_length=64, required=False, allow_blank=True)
    actor = serializers.CharField(max_length=254, required=False, allow_blank=True)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@extend_schema(
    parameters=[
        OpenApiParameter("action", str, description="actions starting with this"),
        OpenApiParameter("actor", str, description="who (part of the name or e-mail)"),
        OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
        OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
    ]
)
class AuditEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organisation's audit log, newest first (administrators, security officers,
    supplier owners). A bad filter is a 400."""

    serializer_class = AuditEventOut
    queryset = AuditEvent.objects.none()
    permission_classes = [RolePermission("audit.view")]

    def get_queryset(self):
        f = AuditFilter(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        filters = {k: v for k, v in f.validated_data.items() if v}
        return audit_events_for(membership=self.request.membership, **filters).order_by(
            "-at", "-pk"
        )
