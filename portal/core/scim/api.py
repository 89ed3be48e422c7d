"""API: a care organisation's SCIM tokens and group-to-role table (the administrator's page).
The SCIM protocol itself is served at /scim/v2/ with the SCIM token (see README)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission
from portal.core.tenancy import get_visible_or_404

from . import selectors, services
from .models import CARE_ROLE_CHOICES, GroupRoleMapping, ScimToken


def _raise(exc: DjangoValidationError):
    raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class ScimTokenSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = ScimToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class ScimTokenCreatedSerializer(ScimTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="the secret token for the identity provider, shown once"
    )

    class Meta(ScimTokenSerializer.Meta):
        fields = [*ScimTokenSerializer.Meta.fields, "token"]


class ScimTokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """SCIM tokens of the care organisation (care administrator). DELETE revokes a token; the
    identity provider then gets 401 from /scim/v2/."""

    serializer_class = ScimTokenSerializer
    permission_classes = [RolePermission("scim.manage")]
    queryset = ScimToken.objects.none()

    def get_queryset(self):
        return selectors.tokens_for(membership=self.request.membership)

    @extend_schema(request=ScimTokenSerializer, responses={201: ScimTokenCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ScimTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token, key = services.scim_token_create(
                organisation=request.membership.organisation,
                name=serializer.validated_data.get("name", ""),
                actor=request.user,
                request=request,
            )
        except DjangoValidationError as exc:
            _raise(exc)
        body = ScimTokenSerializer(token).data
        return Response({**body, "token": key}, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        token = get_visible_or_404(
            ScimToken, request.membership, pk=self.kwargs["pk"], revoked_at__isnull=True
        )
        services.scim_token_revoke(token=token, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupRoleSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(max_length=254)
    role = serializers.ChoiceField(choices=CARE_ROLE_CHOICES)

    class Meta:
        model = GroupRoleMapping
        fields = ["id", "group_name", "role", "created_at"]
        read_only_fields = ["created_at"]


class GroupRoleViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The table of identity-provider groups and the roles their members get (care
    administrator). Every change recalculates the provisioned people's roles at once."""

    serializer_class = GroupRoleSerializer
    permission_classes = [RolePermission("scim.manage")]
    queryset = GroupRoleMapping.objects.none()

    def get_queryset(self):
        return selectors.mappings_for(membership=self.request.membership)

    def create(self, request, *args, **kwargs):
        serializer = GroupRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            mapping = services.mapping_add(
                organisation=request.membership.organisation,
                actor=request.user,
                request=request,
                group_name=serializer.validated_data["group_name"],
                role=serializer.validated_data["role"],
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(GroupRoleSerializer(mapping).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        mapping = get_visible_or_404(GroupRoleMapping, request.membership, pk=self.kwargs["pk"])
        try:
            services.mapping_delete(mapping=mapping, actor=request.user, request=request)
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)
