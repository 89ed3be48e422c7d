"""API: the findings of a relationship (API.md)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, viewsets

from portal.core.api_permissions import RolePermission
from portal.core.tenancy import visible_to
from suppliers.models import Relationship

from .models import Finding


class FindingSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question_code")
    title = serializers.CharField()

    class Meta:
        model = Finding
        fields = ["id", "question", "severity", "title", "status", "due_date"]


class RelationshipFindingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Findings raised on a relationship's answers, earliest deadline first."""

    serializer_class = FindingSerializer
    queryset = Finding.objects.none()
    permission_classes = [RolePermission("care.read")]

    def get_queryset(self):
        rel = get_object_or_404(
            visible_to(Relationship, self.request.membership), pk=self.kwargs["relationship_pk"]
        )
        return visible_to(Finding, self.request.membership).filter(relationship=rel)
