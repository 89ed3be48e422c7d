"""API: the contract register of a relationship (contracts, renewal, signed documents) and the
supplier's certificates with this care organisation's scope review — what the contracts page
does, through the same services."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from portal.core.accounts.models import User
from portal.core.api_permissions import RolePermission
from portal.core.exceptions import TooLarge
from portal.core.tenancy import visible_to
from suppliers.models import Relationship, SupplierDocument

from .models import (
    CertificateReview,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    ScopeVerdict,
)
from .services import (
    certificate_review_set,
    contract_document_add,
    contract_renew,
    contract_save,
    offered_certificates,
)

READ = ("GET", "HEAD", "OPTIONS")


class ContractSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    notice_months = serializers.IntegerField(min_value=0, max_value=60, required=False)
    auto_renewal = serializers.BooleanField(required=False)
    renewal_months = serializers.IntegerField(min_value=1, max_value=120, required=False)
    owner = serializers.IntegerField(source="owner_id", required=False, allow_null=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    notice_deadline = serializers.DateField(read_only=True, allow_null=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id", "relationship", "reference", "title", "start_date", "end_date",
            "notice_months", "auto_renewal", "renewal_months", "owner", "notes",
            "notice_deadline", "version", "documents",
        ]  # fmt: skip
        read_only_fields = ["relationship", "version"]

    def get_documents(self, obj) -> list[dict]:
        return [
            {"id": d.pk, "kind": d.kind, "name": d.name, "download_url": _doc_url(d)}
            for d in obj.documents.all()
        ]


def _doc_url(doc: ContractDocument) -> str:
    return f"/api/v1/contracts/{doc.contract_id}/documents/{doc.pk}/download/"


def _fields(data: dict, request) -> dict:
    """Service arguments from validated serializer data (the owner as a user of this org)."""
    out = {k: v for k, v in data.items() if k != "owner_id"}
    if "owner_id" in data:
        out["owner"] = (
            User.objects.filter(
                pk=data["owner_id"], memberships__organisation=request.membership.organisation
            ).first()
            if data["owner_id"]
            else None
        )
        if data["owner_id"] and out["owner"] is None:
            raise serializers.ValidationError(
                {"owner": ["The owner must be a member of your organisation."]}
            )
    return out


class RelationshipContractViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The contracts of one relationship; procurement registers one with POST."""

    serializer_class = ContractSerializer
    queryset = Contract.objects.none()

    def get_permissions(self):
        return [RolePermission("care.read" if self.request.method in READ else "contracts.edit")()]

    def _relationship(self) -> Relationship:
        return get_object_or_404(
            visible_to(Relationship, self.request.membership), pk=self.kwargs["relationship_pk"]
        )

    def get_queryset(self):
        return (
            Contract.objects.filter(relationship=self._relationship())
            .prefetch_related("documents")
            .order_by("-start_date", "-pk")
        )

    def create(self, request, *args, **kwargs):
        rel = self._relationship()
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        contract = contract_save(
            relationship=rel, actor=request.user, request=request,
            **_fields(ser.validated_data, request),
        )  # fmt: skip
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)


class RenewIn(serializers.Serializer):
    end_date = serializers.DateField(required=False, allow_null=True)


class ContractDocumentIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContractDocumentKind.choices)
    file = serializers.FileField()


class ContractViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """One contract: read, change (with `version` against stale edits), renew, attach the signed
    contract or an annex, download it."""

    serializer_class = ContractSerializer
    queryset = Contract.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_parsers(self):
        return [MultiPartParser(), *super().get_parsers()]

    def get_permissions(self):
        return [RolePermission("care.read" if self.request.method in READ else "contracts.edit")()]

    def get_queryset(self):
        return visible_to(Contract, self.request.membership).prefetch_related("documents")

    def partial_update(self, request, *args, **kwargs):
        contract = self.get_object()
        ser = self.get_serializer(contract, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        current = {
            f: getattr(contract, f)
            for f in ("reference", "title", "start_date", "end_date", "notice_months",
                      "auto_renewal", "renewal_months", "owner", "notes")
        }  # fmt: skip
        version = request.data.get("version")
        contract = contract_save(
            relationship=contract.relationship, actor=request.user, contract=contract,
            version=int(version) if str(version or "").isdecimal() else None, request=request,
            **{**current, **_fields(ser.validated_data, request)},
        )  # fmt: skip
        return Response(ContractSerializer(contract).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=RenewIn, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        ser = RenewIn(data=request.data)
        ser.is_valid(raise_exception=True)
        contract = contract_renew(
            contract=self.get_object(), actor=request.user,
            new_end_date=ser.validated_data.get("end_date"), request=request,
        )  # fmt: skip
        return Response(ContractSerializer(contract).data)

    @extend_schema(
        request={"multipart/form-data": ContractDocumentIn}, responses={201: ContractSerializer}
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        contract = self.get_object()
        ser = ContractDocumentIn(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise TooLarge()
        contract_document_add(
            contract=contract, kind=ser.validated_data["kind"], name=upload.name,
            data=upload.read(), actor=request.user, request=request,
        )  # fmt: skip
        contract.refresh_from_db()
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_pk>[0-9]+)/download")
    def document_download(self, request, pk=None, document_pk=None):
        doc = get_object_or_404(ContractDocument, contract=self.get_object(), pk=document_pk)
        return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


class CertificateOut(serializers.ModelSerializer):
    products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = SupplierDocument
        fields = ["id", "title", "kind", "issuer", "valid_from", "valid_until", "scope",
                  "products", "review"]  # fmt: skip

    def get_review(self, obj) -> dict | None:
        review = self.context["reviews"].get(obj.pk)
        return {"verdict": review.verdict, "note": review.note} if review else None


class CertificateReviewIn(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=ScopeVerdict.choices)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RelationshipCertificateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The certificates and reports the supplier offers, with this care organisation's review
    of whether their scope covers what the relationship buys."""

    serializer_class = CertificateOut
    queryset = SupplierDocument.objects.none()
    pagination_class = None

    def get_permissions(self):
        return [RolePermission("care.read" if self.request.method in READ else "contracts.edit")()]

    def _relationship(self) -> Relationship:
        return get_object_or_404(
            visible_to(Relationship, self.request.membership), pk=self.kwargs["relationship_pk"]
        )

    def get_queryset(self):
        return offered_certificates(self._relationship()).order_by("-valid_until", "pk")

    def get_serializer_context(self):
        rel = self._relationship()
        reviews = CertificateReview.objects.filter(relationship=rel)
        return {**super().get_serializer_context(), "reviews": {r.document_id: r for r in reviews}}

    @extend_schema(request=CertificateReviewIn, responses=CertificateOut)
    @action(detail=True, methods=["post"])
    def review(self, request, relationship_pk=None, pk=None):
        rel = self._relationship()
        document = get_object_or_404(offered_certificates(rel), pk=pk)
        ser = CertificateReviewIn(data=request.data)
        ser.is_valid(raise_exception=True)
        certificate_review_set(
            relationship=rel, document=document, actor=request.user, request=request,
            verdict=ser.validated_data["verdict"], note=ser.validated_data.get("note", ""),
        )  # fmt: skip
        return Response(CertificateOut(document, context=self.get_serializer_context()).data)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, relationship_pk=None, pk=None):
        document = get_object_or_404(offered_certificates(self._relationship()), pk=pk)
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
