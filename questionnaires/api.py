"""API: published templates, and a template's sections and questions (care-org roles)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission

from . import selectors
from .models import Question, QuestionnaireTemplate, Section
from .yaml_io import QUESTION_FIELDS


class TemplateSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuestionnaireTemplate
        fields = ["id", "key", "version", "title", "status", "question_count"]


class SectionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Section
        fields = ["id", "code", "title", "title_nl", "title_en", "order"]


class QuestionSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section.code", read_only=True)
    text = serializers.CharField(read_only=True)
    type = serializers.CharField(source="answer_type", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "code",
            "section",
            "text",
            "text_nl",
            "text_en",
            "help_nl",
            "help_en",
            "type",
            *QUESTION_FIELDS,
            "advice_nl",
            "advice_en",
        ]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=["all"], required=False, description="`all`: every version"
            )
        ]
    )
)
class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Questionnaire templates. The list shows published versions; `?status=all` shows all."""

    serializer_class = TemplateSerializer
    queryset = QuestionnaireTemplate.objects.none()  # typed path parameter in the schema
    permission_classes = [RolePermission("care.read")]

    def get_queryset(self):
        show_all = self.request.query_params.get("status") == "all"
        return selectors.templates_for(
            membership=self.request.membership, published_only=not show_all
        )

    def get_object(self):
        qs = selectors.templates_for(membership=self.request.membership)
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    @extend_schema(responses=SectionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def sections(self, request, pk=None):
        template = self.get_object()
        return Response(SectionSerializer(selectors.sections_of(template=template), many=True).data)

    @extend_schema(responses=QuestionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def questions(self, request, pk=None):
        template = self.get_object()
        page = self.paginate_queryset(selectors.questions_of(template=template))
        return self.get_paginated_response(QuestionSerializer(page, many=True).data)
