"""API: a supplier's products and the fourth parties behind them (API.md "Supplier products and
fourth parties"), and its shared documents and certificates — what the pages of the same names
do, through the same services."""

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

from portal.core.api_permissions import RolePermission
from portal.core.exceptions import TooLarge
from portal.core.tenancy import visible_to

from . import selectors, services
from .documents import document_delete, document_save
from .models import DocumentKind, Product, SubProcessor, SupplierDocument, SupplierType

WRITE = ("POST", "PUT", "PATCH", "DELETE")


class ProductOut(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "description", "supplier_types"]


class ProductIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    supplier_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SupplierType.choices),
        required=False,
        max_length=len(SupplierType.choices),
    )


class FourthPartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=200)
    service = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2)
    parent_country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    data_access = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = SubProcessor
        fields = ["id", "name", "service", "country", "parent_country", "data_access"]


class ProductViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """(supplier) Its products; every member reads them, the owner keeps them."""

    serializer_class = ProductOut
    queryset = Product.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        write = self.request.method in WRITE
        return [RolePermission("supplier.manage_profile" if write else "supplier.answer")()]

    def get_queryset(self):
        return selectors.products_for(membership=self.request.membership).order_by("name", "pk")

    @extend_schema(request=ProductIn, responses={201: ProductOut})
    def create(self, request, *args, **kwargs):
        data = _valid(ProductIn, request.data)
        product = services.product_save(
            supplier=request.membership.organisation, actor=request.user, request=request, **data
        )
        return Response(ProductOut(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProductIn, responses=ProductOut)
    def partial_update(self, request, *args, **kwargs):
        product = self.get_object()
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"detail": ["Send the changes as a JSON object."]})
        current = ProductOut(product).data
        data = _valid(ProductIn, {**current, **request.data})
        product = services.product_save(
            supplier=request.membership.organisation,
            actor=request.user,
            product=product,
            request=request,
            **{k: data.get(k, current[k]) for k in ("name", "description", "supplier_types")},
        )
        return Response(ProductOut(product).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        methods=["get"], responses=FourthPartySerializer(many=True), summary="Fourth parties"
    )
    @extend_schema(
        methods=["post"],
        request=FourthPartySerializer,
        responses={201: FourthPartySerializer},
        summary="Declare a fourth party behind the product",
    )
    @action(detail=True, methods=["get", "post"], url_path="fourth-parties", pagination_class=None)
    def fourth_parties(self, request, pk=None):
        product = self.get_object()
        if request.method == "GET":
            parties = product.subprocessors.order_by("name", "pk")
            return Response(FourthPartySerializer(parties, many=True).data)
        data = _valid(FourthPartySerializer, request.data)
        party = services.subprocessor_add(
            product=product, actor=request.user, request=request, **data
        )
        return Response(FourthPartySerializer(party).data, status=status.HTTP_201_CREATED)


class DocumentOut(serializers.ModelSerializer):
    products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SupplierDocument
        fields = [
            "id", "title", "kind", "name", "size", "sha256", "valid_from", "valid_until",
            "issuer", "accredited", "scope", "products", "offered", "version", "download_url",
        ]  # fmt: skip

    def get_download_url(self, obj) -> str:
        return f"/api/v1/documents/{obj.pk}/download/"


class DocumentIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    accredited = serializers.BooleanField(required=False, default=False)
    scope = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647),
        required=False,
        max_length=200,
    )
    offered = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, min_value=0)


# What a PATCH that leaves a field out keeps of the document.
KEPT = ("title", "kind", "valid_from", "valid_until", "issuer", "accredited", "scope", "offered")


class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """(supplier) Certificates, reports and policies uploaded once and offered to customers."""

    serializer_class = DocumentOut
    queryset = SupplierDocument.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_parsers(self):
        return [MultiPartParser(), *super().get_parsers()]

    def get_permissions(self):
        write = self.request.method in WRITE
        return [RolePermission("supplier.manage_profile" if write else "supplier.answer")()]

    def get_queryset(self):
        return (
            visible_to(SupplierDocument, self.request.membership)
            .prefetch_related("products")
            .order_by("-pk")
        )

    def _save(self, request, document=None):
        data = _valid(DocumentIn, request.data, partial=document is not None)
        upload = data.pop("file", None)
        if upload is not None and upload.size > settings.MAX_UPLOAD_BYTES:
            raise TooLarge()
        wanted = set(data.pop("products", []))
        products = list(
            Product.objects.filter(supplier=request.membership.organisation, pk__in=wanted)
        )
        if len(products) != len(wanted):
            raise serializers.ValidationError({"products": ["Pick only your own products."]})
        if document is not None:
            current = {f: getattr(document, f) for f in KEPT}
            data = {**current, **data}
            if "products" not in request.data:
                products = list(document.products.all())
        return document_save(
            supplier=request.membership.organisation,
            actor=request.user,
            name=upload.name if upload else "",
            data=upload.read() if upload else None,
            products=products,
            document=document,
            request=request,
            **data,
        )

    @extend_schema(request={"multipart/form-data": DocumentIn}, responses={201: DocumentOut})
    def create(self, request, *args, **kwargs):
        doc = self._save(request)
        return Response(DocumentOut(doc).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": DocumentIn}, responses=DocumentOut)
    def partial_update(self, request, *args, **kwargs):
        return Response(DocumentOut(self._save(request, self.get_object())).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        document_delete(document=self.get_object(), actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        doc = get_object_or_404(self.get_queryset(), pk=pk)
        return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


def _valid(serializer_class, data, *, partial: bool = False) -> dict:
    ser = serializer_class(data=data, partial=partial)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)
