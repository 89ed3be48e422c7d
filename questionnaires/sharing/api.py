"""API "Sharing across the sector" (API.md): trust profiles and the care directory (with the
summary certificates), the owner's choice of items and their visibility, access requests
(grant, deny, revoke), a profile's answers and documents once granted, and assessing from one."""

from __future__ import annotations

from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission
from portal.core.permissions import has_perm
from suppliers.models import Product, Relationship

from ..assessment_serializers import AssessmentSerializer
from ..models import QuestionnaireTemplate
from . import selectors, services
from .api_schema import ACCESS, ANSWERS, PROFILE, PROFILE_DETAIL, PUBLISH, REQUEST, ItemsIn
from .models import SEEN_BY_ALL, TrustProfile


def _profile_out(profile, org):
    return {
        "id": profile.pk,
        "supplier": {"id": profile.supplier_id, "name": profile.supplier.name},
        "product": {"id": profile.product_id, "name": profile.product.name},
        "visibility": profile.visibility,
        "certificates": [
            {
                "id": d.pk,
                "title": d.title,
                "standard": d.kind,
                "issuer": d.issuer,
                "valid_until": d.valid_until,
            }
            for d in selectors.summary_certificates(profile)
        ],
        "updated_at": profile.updated_at,
        "access": "owner" if org.is_supplier else selectors.access_of(profile, org),
    }


def _access_out(a):
    return {
        "id": a.pk,
        "profile": a.profile_id,
        "care_org": a.care_org.name,
        "status": a.status,
        "message": a.message,
        "requested_at": a.requested_at,
    }


class _PublishIn(serializers.Serializer):
    product = serializers.IntegerField()
    visibility = serializers.ChoiceField(choices=["summary", "on_request"])
    terms = serializers.CharField(required=False, allow_blank=True, max_length=8000)


class TrustProfileViewSet(viewsets.ViewSet):
    """Supplier: its own profiles (POST publishes one); care: the directory of profiles."""

    permission_classes = [RolePermission("profile.read")]

    def _get(self, request, pk):
        return get_object_or_404(selectors.profiles_for(request.membership), pk=pk)

    @extend_schema(responses={200: PROFILE})
    def list(self, request):
        org = request.membership.organisation
        profiles = selectors.profiles_for(request.membership, request.query_params.get("q", ""))
        return Response([_profile_out(p, org) for p in profiles])

    @extend_schema(request=PUBLISH, responses={201: PROFILE})
    def create(self, request):
        if not has_perm(request.membership, "supplier.manage_profile"):
            raise PermissionDenied()
        data = _PublishIn(data=request.data)
        data.is_valid(raise_exception=True)
        org = request.membership.organisation
        product = get_object_or_404(Product, pk=data.validated_data["product"], supplier=org)
        profile = services.profile_publish(
            supplier=org,
            product=product,
            visibility=data.validated_data["visibility"],
            terms=data.validated_data.get("terms", ""),
            actor=request.user,
            request=request,
        )
        return Response(_profile_out(profile, org), status=status.HTTP_201_CREATED)

    @extend_schema(request=REQUEST, responses={200: ACCESS})
    @action(detail=True, methods=["post"], url_path="request-access")
    def request_access(self, request, pk=None):
        if not has_perm(request.membership, "profile.request"):
            raise PermissionDenied()
        profile = self._get(request, pk)
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"detail": ["Send a JSON object."]})
        access = services.profile_request_access(
            profile=profile,
            care_org=request.membership.organisation,
            actor=request.user,
            message=str(request.data.get("message", ""))[:4000],
            accept_terms=bool(request.data.get("accept_terms")),
            request=request,
        )
        return Response(_access_out(access))

    @extend_schema(responses={200: ANSWERS})
    @action(detail=True, methods=["get"])
    def answers(self, request, pk=None):
        profile = self._get(request, pk)
        org = request.membership.organisation
        if org.is_care:
            if not selectors.has_access(profile, org):
                raise PermissionDenied()
            services.profile_log_view(profile=profile, membership=request.membership)
        return Response(
            [
                {
                    "code": e.code,
                    "value": e.value,
                    "explanation": e.explanation,
                    "confirmed_at": e.updated_at,
                    "stale": services.is_stale(e.updated_at),
                }
                for e in selectors.profile_answers(profile)
            ]
        )

    @extend_schema(responses={200: PROFILE_DETAIL})
    def retrieve(self, request, pk=None):
        """The profile with the answers and documents this organisation may see: summary items
        for every care organisation, on-request items once granted, all for the owner."""
        profile = self._get(request, pk)
        org = request.membership.organisation
        levels = selectors.levels_for(profile, org)
        can_download = levels != SEEN_BY_ALL  # the owner, or a care organisation with access
        if org.is_care and can_download:
            services.profile_log_view(profile=profile, membership=request.membership)
        return Response(
            {
                **_profile_out(profile, org),
                "answers": [
                    _answer_out(e, profile.answer_level(e.code))
                    for e in selectors.profile_answers(profile, levels=levels)
                ],
                "documents": [
                    _document_out(request, profile, d, can_download=can_download)
                    for d in selectors.profile_documents(profile, levels=levels)
                ],
            }
        )

    @extend_schema(request=ItemsIn, responses={200: PROFILE_DETAIL})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """(owner) The visibility per item: `answers` {code: summary|on_request|private|""}
        ("" follows the profile), `documents` {id: the same or "excluded"}."""
        if not has_perm(request.membership, "supplier.manage_profile"):
            raise PermissionDenied()
        profile = self._get(request, pk)
        body = ItemsIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.profile_items_set(
            profile=profile,
            answers=body.validated_data.get("answers", {}),
            documents={int(k): v for k, v in body.validated_data.get("documents", {}).items()},
            actor=request.user,
            request=request,
        )
        return self.retrieve(request, pk)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document>[0-9]+)")
    def document(self, request, pk=None, document=None):
        """Download an included document: the owner, or a care organisation with access to a
        document that is not private (logged as downloaded); anyone else a 404."""
        profile = self._get(request, pk)
        org = request.membership.organisation
        doc = selectors.downloadable(profile, org, int(document))
        if doc is None:
            raise Http404
        if org.is_care:
            services.profile_log_view(
                profile=profile,
                membership=request.membership,
                action="downloaded",
                detail=doc.title,
            )
        return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


def _answer_out(e, level):
    return {
        "code": e.code,
        "value": e.value,
        "explanation": e.explanation,
        "confirmed_at": e.updated_at,
        "visibility": level,
    }


def _document_out(request, profile, item, *, can_download: bool):
    d = item.document
    url = request.build_absolute_uri(
        reverse("trust-profile-document", kwargs={"pk": profile.pk, "document": d.pk})
    )
    return {
        "id": d.pk,
        "title": d.title,
        "kind": d.kind,
        "issuer": d.issuer,
        "valid_until": d.valid_until,
        "visibility": item.level,
        "download_url": url if can_download else None,
    }


class AccessRequestViewSet(viewsets.ViewSet):
    """Supplier owner: the requests for its profiles; grant, deny, revoke."""

    permission_classes = [RolePermission("supplier.manage_profile")]

    @extend_schema(responses={200: ACCESS})
    def list(self, request):
        return Response([_access_out(a) for a in selectors.requests_for(request.membership)])

    def _act(self, request, pk, service):
        access = get_object_or_404(selectors.requests_for(request.membership), pk=pk)
        return Response(_access_out(service(access=access, actor=request.user, request=request)))

    @extend_schema(request=None, responses={200: ACCESS})
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        return self._act(request, pk, services.access_grant)

    @extend_schema(request=None, responses={200: ACCESS})
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        return self._act(request, pk, services.access_deny)

    @extend_schema(request=None, responses={200: ACCESS})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._act(request, pk, services.access_revoke)


class _FromProfileIn(serializers.Serializer):
    relationship = serializers.IntegerField(min_value=1)
    profile = serializers.IntegerField(min_value=1)
    template = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class FromProfileOut(AssessmentSerializer):
    follow_up = serializers.SerializerMethodField(
        help_text="the short questionnaire sent to the supplier with the template's questions "
        "the profile did not cover, or null when it covered them all"
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "follow_up"]

    def get_follow_up(self, obj) -> int | None:
        follow = getattr(obj, "follow_up", None)
        return follow.pk if follow is not None else None


class FromProfileView(APIView):
    """Care: start an assessment from a granted profile — in review at once."""

    permission_classes = [RolePermission("assessment.send")]

    @extend_schema(request=_FromProfileIn, responses={201: FromProfileOut})
    def post(self, request):
        org = request.membership.organisation
        body = _FromProfileIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        relationship = get_object_or_404(
            Relationship.objects.filter(care_org=org), pk=data["relationship"]
        )
        profile = get_object_or_404(TrustProfile, pk=data["profile"])
        if not selectors.has_access(profile, org):
            raise Http404
        template = _template(data.get("template"), org)
        assessment = services.assessment_from_profile(
            profile=profile,
            relationship=relationship,
            template=template,
            actor=request.user,
            request=request,
        )
        return Response(FromProfileOut(assessment).data, status=201)


def _template(pk, org):
    qs = QuestionnaireTemplate.objects.filter(status="published").filter(
        Q(owner__isnull=True) | Q(owner=org)
    )
    if pk is not None:
        return get_object_or_404(qs, pk=pk)
    template = qs.order_by("-pk").first()
    if template is None:
        raise Http404
    return template
