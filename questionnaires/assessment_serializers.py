"""The assessment API's request and response shapes (API.md): what a supplier gets never holds
weights, scores or knock-out flags."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers

from . import assessments as svc
from .models import Assessment


class AssignIn(serializers.Serializer):
    assignee = serializers.EmailField(allow_null=True, max_length=254)
    section = serializers.CharField(max_length=20, required=False, allow_blank=True)
    question = serializers.CharField(max_length=20, required=False, allow_blank=True)


class AssignmentSerializer(serializers.Serializer):
    section = serializers.CharField(source="section_code")
    question = serializers.CharField(source="question_code")
    assignee = serializers.EmailField(source="assignee.email")


class ProgressSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    required_open = serializers.IntegerField()
    total = serializers.IntegerField()


class AssessmentSerializer(serializers.ModelSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    template = serializers.IntegerField(source="template_id")
    due_date = serializers.DateField(required=False)
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    progress = serializers.SerializerMethodField()
    care_organisation = serializers.CharField(source="relationship.care_org.name", read_only=True)
    title = serializers.CharField(source="template.title", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "relationship",
            "template",
            "title",
            "care_organisation",
            "status",
            "due_date",
            "message",
            "sent_at",
            "submitted_at",
            "completed_at",
            "progress",
            "from_profile",
            "profile_copied_at",
        ]
        read_only_fields = [
            "status",
            "sent_at",
            "submitted_at",
            "completed_at",
            "from_profile",
            "profile_copied_at",
        ]

    @extend_schema(responses=ProgressSerializer)
    def get_progress(self, obj) -> dict:
        p = svc.progress(obj)
        return {k: p[k] for k in ("answered", "required_open", "total")}


class ChoiceOut(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class QuestionOut(serializers.Serializer):
    code = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    answer_type = serializers.CharField()
    choices = ChoiceOut(many=True)
    required = serializers.BooleanField()
    evidence = serializers.CharField()
    visible = serializers.BooleanField()


class AnswerIn(serializers.Serializer):
    value = serializers.JSONField(allow_null=True)
    explanation = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=0)


AnswerOut = inline_serializer(
    "AnswerSaved",
    {
        "code": serializers.CharField(),
        "value": serializers.JSONField(),
        "explanation": serializers.CharField(),
        "version": serializers.IntegerField(),
    },
)


class ReviewIn(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["accepted", "clarification", "rejected"])
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    score_override = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=1
    )
    motivation = serializers.CharField(max_length=4000, required=False, allow_blank=True)


ReviewOut = inline_serializer(
    "AnswerReviewed",
    {
        "code": serializers.CharField(),
        "verdict": serializers.CharField(),
        "score_override": serializers.FloatField(allow_null=True),
    },
)


def _questions_refused(name: str, key: str):
    """The 400 that names questions (submission: `missing`; completion: `unscored`)."""
    return inline_serializer(
        name,
        {
            "detail": serializers.CharField(),
            "errors": inline_serializer(
                f"{name}Errors", {key: serializers.ListField(child=serializers.CharField())}
            ),
            f"{key}_questions": inline_serializer(
                f"{name}Question",
                {
                    "code": serializers.CharField(),
                    "section": inline_serializer(
                        f"{name}Section",
                        {"code": serializers.CharField(), "title": serializers.CharField()},
                    ),
                    "text": serializers.CharField(),
                },
                many=True,
            ),
        },
    )
