"""API: published templates, and a template's sections and questions (care-org roles)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission

from . import selectors
from .matching import match_texts
from .matching.equivalents import question_equivalents_set
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


class MatchIn(serializers.Serializer):
    questions = serializers.ListField(
        child=serializers.CharField(max_length=2000), min_length=1, max_length=2000
    )


class EquivalentItem(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    bank_code = serializers.CharField(max_length=20, allow_blank=True)


class EquivalentsIn(serializers.Serializer):
    equivalents = serializers.ListField(child=EquivalentItem(), max_length=2000)


MATCHED = inline_serializer(
    "Matched",
    {
        "results": inline_serializer(
            "MatchResult",
            {
                "text": serializers.CharField(),
                "best": serializers.CharField(allow_null=True),
                "matches": inline_serializer(
                    "MatchCandidate",
                    {"code": serializers.CharField(), "score": serializers.FloatField()},
                    many=True,
                ),
            },
            many=True,
        )
    },
)


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

    def get_permissions(self):
        if self.action in ("match", "equivalents"):
            return [RolePermission("questionnaire.build")()]
        return super().get_permissions()

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

    @extend_schema(
        request=MatchIn,
        responses=MATCHED,
        summary="Match question texts to this template's questions",
        description="Per text the three closest questions of this template (score 0–1) and "
        "`best`, the match the portal would propose, or null when none is close enough. "
        "Local text similarity; nothing leaves the portal.",
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def match(self, request, pk=None):
        template = self.get_object()
        ser = MatchIn(data=request.data)
        ser.is_valid(raise_exception=True)
        results = match_texts(ser.validated_data["questions"], template=template)
        return Response({"results": [r.as_dict() for r in results]})

    @extend_schema(
        request=EquivalentsIn,
        responses=inline_serializer("EquivalentsSaved", {"changed": serializers.IntegerField()}),
        summary="Confirm which bank question each question asks the same as",
        description="For the organisation's own questionnaire: `{equivalents: [{code, "
        "bank_code}]}` (an empty bank_code clears a match); every code is checked first and "
        "nothing is stored when one is wrong. The supplier's answer library then prefills the "
        "matched questions, for it to confirm.",
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def equivalents(self, request, pk=None):
        template = get_object_or_404(
            QuestionnaireTemplate.objects.filter(owner=request.membership.organisation_id), pk=pk
        )
        ser = EquivalentsIn(data=request.data)
        ser.is_valid(raise_exception=True)
        changed = question_equivalents_set(
            template=template, actor=request.user, request=request,
            equivalents={e["code"]: e["bank_code"] for e in ser.validated_data["equivalents"]},
        )  # fmt: skip
        return Response({"changed": changed})
