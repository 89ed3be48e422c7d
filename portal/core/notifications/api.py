"""API: the user's notifications in the token's organisation (API.md "Both sides")."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.api_permissions import HasActiveMembership

from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="the domain event's name")
    text = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "text", "url", "read", "created_at"]

    def get_text(self, obj) -> str:
        return obj.body

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Newest first; `?unread=true` for the unread ones only."""

    serializer_class = NotificationSerializer
    permission_classes = [HasActiveMembership]
    queryset = Notification.objects.none()

    def get_queryset(self):
        qs = Notification.objects.visible_to(self.request.membership)
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = get_object_or_404(Notification.objects.visible_to(request.membership), pk=pk)
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        return Response(NotificationSerializer(note).data)
