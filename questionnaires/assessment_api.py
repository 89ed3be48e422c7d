"""API: assessments for both sides (API.md). The supplier view never shows weights or scores."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from portal.core.accounts.models import User
from portal.core.api_permissions import HasActiveMembership
from portal.core.exceptions import TooLarge
from portal.core.permissions import has_perm
from portal.core.tenancy import visible_to
from portal.core.uploads import UploadRefused
from suppliers.models import Relationship

from . import assessments as svc
from . import selectors
from .answer_text import choice_label
from .assessment_serializers import (
    AnswerIn,
    AnswerOut,
    AssessmentSerializer,
    AssignIn,
    AssignmentSerializer,
    QuestionOut,
    ReviewIn,
    ReviewOut,
    _questions_refused,
)
from .assignments import assignment_set
from .models import Assessment, QuestionnaireTemplate


class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    permission_classes = [HasActiveMembership]

    def get_queryset(self):
        return visible_to(Assessment, self.request.membership).select_related(
            "relationship__care_org", "relationship__supplier", "template"
        )

    def _need(self, perm: str):
        if not has_perm(self.request.membership, perm):
            self.permission_denied(self.request)

    def _object(self, pk) -> Assessment:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def create(self, request, *args, **kwargs):
        self._need("assessment.send")
        ser = AssessmentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        rel = visible_to(Relationship, request.membership).filter(pk=d["relationship_id"]).first()
        template = (
            visible_to(QuestionnaireTemplate, request.membership)
            .filter(pk=d["template_id"])
            .first()
        )
        if rel is None or template is None:
            errors = {
                k: ["Unknown."]
                for k, v in (("relationship", rel), ("template", template))
                if v is None
            }
            return Response({"detail": "Invalid input.", "errors": errors}, status=400)
        a = svc.assessment_create(
            relationship=rel,
            template=template,
            due_date=d.get("due_date"),
            message=d.get("message", ""),
            actor=request.user,
            request=request,
        )
        return Response(AssessmentSerializer(a).data, status=status.HTTP_201_CREATED)

    def _respond(self, assessment):
        assessment.refresh_from_db()
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        a = self._object(pk)
        self._need("assessment.send")
        return self._respond(svc.assessment_send(assessment=a, actor=request.user, request=request))

    @extend_schema(responses=QuestionOut(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def questions(self, request, pk=None):
        a = self._object(pk)
        lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
        out = []
        for q, visible in svc.visible_questions(a):
            choices = svc.choices_for(q)
            out.append(
                {
                    "code": q.code,
                    "section": q.section.code,
                    "text": q.text,
                    "help": q.help,
                    "answer_type": q.answer_type,
                    "choices": [
                        {"value": c["value"], "label": choice_label(c, lang)} for c in choices
                    ],
                    "required": q.required,
                    "evidence": q.evidence,
                    "visible": visible,
                }
            )
        return Response(out)

    @extend_schema(request=AnswerIn, responses=AnswerOut)
    @action(detail=True, methods=["put"], url_path=r"answers/(?P<code>[A-Za-z0-9_.\-]+)")
    def answer(self, request, pk=None, code=None):
        a = self._object(pk)
        self._need("supplier.answer")
        ser = AnswerIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        ans = svc.answer_save(
            assessment=a,
            code=code,
            value=d["value"],
            explanation=d.get("explanation", ""),
            version=d.get("version"),
            actor=request.user,
            request=request,
        )
        return Response(
            {
                "code": code,
                "value": ans.value,
                "explanation": ans.explanation,
                "version": ans.version,
            }
        )

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "EvidenceUpload", {"file": serializers.FileField()}
            )
        },
        responses={
            201: inline_serializer(
                "Evidence",
                {
                    "id": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "content_type": serializers.CharField(),
                    "size": serializers.IntegerField(),
                },
            )
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"answers/(?P<code>[A-Za-z0-9_.\-]+)/evidence",
        parser_classes=[MultiPartParser],
    )
    def evidence(self, request, pk=None, code=None):
        a = self._object(pk)
        self._need("supplier.answer")
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"detail": "Invalid input.", "errors": {"file": ["Send the file as 'file'."]}},
                status=400,
            )
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise TooLarge(
                f"The file is larger than {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        try:
            ev = svc.evidence_add(
                assessment=a,
                code=code,
                name=upload.name,
                data=upload.read(),
                actor=request.user,
                request=request,
            )
        except UploadRefused as exc:
            return Response({"detail": str(exc), "errors": {"file": [str(exc)]}}, status=400)
        return Response(
            {"id": ev.pk, "name": ev.name, "content_type": ev.content_type, "size": ev.size},
            status=201,
        )

    @extend_schema(methods=["GET"], request=None, responses=AssignmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=AssignIn, responses=AssignmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def assignments(self, request, pk=None):
        """Supplier: who answers which section or question. POST assigns (or, with
        `assignee: null`, clears) one section or one question; the answer is the full list."""

        a = self._object(pk)
        self._need("supplier.answer")
        if request.method == "POST":
            ser = AssignIn(data=request.data)
            ser.is_valid(raise_exception=True)
            email = ser.validated_data.get("assignee")
            assignee = User.objects.filter(email__iexact=email).first() if email else None
            if email and assignee is None:
                return Response(
                    {"detail": "Invalid input.", "errors": {"assignee": ["Unknown person."]}},
                    status=400,
                )
            assignment_set(
                assessment=a,
                actor=request.user,
                assignee=assignee,
                section=ser.validated_data.get("section", ""),
                question=ser.validated_data.get("question", ""),
                request=request,
            )
        return Response(
            AssignmentSerializer(a.assignments.select_related("assignee"), many=True).data
        )

    @extend_schema(
        request=None,
        responses={200: AssessmentSerializer, 400: _questions_refused("SubmitRefused", "missing")},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        a = self._object(pk)
        self._need("supplier.submit")
        try:
            svc.assessment_submit(assessment=a, actor=request.user, request=request)
        except ValidationError as exc:
            return self._listing_questions(
                a,
                exc,
                "missing",
                _("Answer these required questions (or attach their required files) first."),
            )
        return self._respond(a)

    def _listing_questions(self, a, exc, key: str, detail: str):
        """A refusal that names questions: 400 with their codes under `errors[key]` (the
        contract) and, next to it, `{key}_questions` with each question's section and text."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        codes = errors.get(key)
        if not codes:
            raise exc
        return Response(
            {
                "detail": detail,
                "errors": {key: codes},
                f"{key}_questions": [
                    {
                        "code": q.code,
                        "section": {"code": q.section.code, "title": q.section.title},
                        "text": q.text,
                    }
                    for q in selectors.questions_by_code(assessment=a, codes=codes)
                ],
            },
            status=400,
        )

    @extend_schema(request=ReviewIn, responses=ReviewOut)
    @action(detail=True, methods=["post"], url_path=r"answers/(?P<code>[A-Za-z0-9_.\-]+)/review")
    def review(self, request, pk=None, code=None):
        a = self._object(pk)
        self._need("assessment.review")
        ser = ReviewIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        ans = svc.answer_review(
            assessment=a,
            code=code,
            verdict=d["verdict"],
            message=d.get("message", ""),
            score_override=d.get("score_override"),
            motivation=d.get("motivation", ""),
            actor=request.user,
            request=request,
        )
        return Response(
            {
                "code": code,
                "verdict": ans.verdict,
                "score_override": float(ans.score_override)
                if ans.score_override is not None
                else None,
            }
        )

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="request-clarification")
    def request_clarification(self, request, pk=None):
        a = self._object(pk)
        self._need("assessment.review")
        return self._respond(
            svc.assessment_request_clarification(assessment=a, actor=request.user, request=request)
        )

    @extend_schema(
        request=None,
        responses={
            200: AssessmentSerializer,
            400: _questions_refused("CompleteRefused", "unscored"),
        },
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        a = self._object(pk)
        self._need("assessment.review")
        try:
            svc.assessment_complete(assessment=a, actor=request.user, request=request)
        except ValidationError as exc:
            return self._listing_questions(
                a,
                exc,
                "unscored",
                _(
                    "These answers still need your score (accept or reject them, or give a "
                    "score override) before the assessment can be completed."
                ),
            )
        return self._respond(a)
