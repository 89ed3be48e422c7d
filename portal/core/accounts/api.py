"""API: the organisation's members and invitations, and a person's own API tokens — what the
members page and the settings page do, through the same services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core.api_permissions import HasActiveMembership, RolePermission
from portal.core.exceptions import Conflict
from portal.core.tenancy import visible_to

from . import selectors, services
from .models import ApiToken, Invitation, Membership, Role


class MemberOut(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "is_active"]


class RoleIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Members of the token's organisation. Administrators (care) and owners (supplier) change a
    role or take access away."""

    serializer_class = MemberOut
    queryset = Membership.objects.none()

    def get_permissions(self):
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return [RolePermission("org.manage_members" if write else "org.view_members")()]

    def get_queryset(self):
        return selectors.members_of(membership=self.request.membership)

    @extend_schema(request=RoleIn, responses=MemberOut)
    def partial_update(self, request, *args, **kwargs):
        ser = RoleIn(data=request.data)
        ser.is_valid(raise_exception=True)
        member = services.membership_change_role(
            membership=self.get_object(),
            role=ser.validated_data["role"],
            actor=request.user,
            request=request,
        )
        return Response(MemberOut(member).data)

    @extend_schema(request=None, responses=MemberOut)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        member = self.get_object()
        if member.pk == request.membership.pk:
            raise Conflict(_("You cannot take away your own access."))
        member = services.membership_deactivate(
            membership=member, actor=request.user, request=request
        )
        return Response(MemberOut(member).data)


class InvitationSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, required=False)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at"]
        read_only_fields = ["created_at", "expires_at"]


LEAST_ROLE = {"care": Role.VIEWER, "supplier": Role.RESPONDENT}


class InvitationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Pending invitations; POST invites someone by e-mail (the invitation mail names the
    organisation and who invited) with a `role`, by default the least powerful one (viewer, or
    respondent at a supplier); `revoke` withdraws one."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()

    def get_permissions(self):
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return [RolePermission("org.manage_members" if write else "org.view_members")()]

    def get_queryset(self):
        pending = [i.pk for i in selectors.pending_invitations(membership=self.request.membership)]
        return visible_to(Invitation, self.request.membership).filter(pk__in=pending)

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        invitation, _token = services.invitation_create(
            organisation=request.membership.organisation,
            email=ser.validated_data["email"],
            role=ser.validated_data.get("role") or LEAST_ROLE[request.membership.organisation.kind],
            actor=request.user,
            request=request,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = services.invitation_revoke(
            invitation=self.get_object(), actor=request.user, request=request
        )
        return Response(InvitationSerializer(invitation).data)


class TokenOut(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = [
            "id", "name", "prefix", "read_only", "created_at", "last_used_at", "expires_at",
            "revoked_at",
        ]  # fmt: skip


class TokenIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    read_only = serializers.BooleanField(required=False, default=False)
    expires_on = serializers.DateField(required=False, allow_null=True)


TOKEN_CREATED = inline_serializer(
    "TokenCreated", {"token": TokenOut(), "key": serializers.CharField()}
)


class TokenViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """The person's own API tokens in this organisation, with their last use. POST creates one
    (read-only and with an expiry date if asked): the `key` is shown in that answer only.
    DELETE revokes one."""

    serializer_class = TokenOut
    queryset = ApiToken.objects.none()
    permission_classes = [HasActiveMembership]

    def get_queryset(self):
        return selectors.tokens_of(membership=self.request.membership)

    @extend_schema(request=TokenIn, responses={201: TOKEN_CREATED})
    def create(self, request, *args, **kwargs):
        ser = TokenIn(data=request.data)
        ser.is_valid(raise_exception=True)
        token, key = services.api_token_create(
            membership=request.membership, actor=request.user, request=request,
            **ser.validated_data,
        )  # fmt: skip
        return Response({"token": TokenOut(token).data, "key": key}, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        token = self.get_object()
        if token.pk == getattr(request.auth, "pk", None):
            raise Conflict(
                _("This is the token you are using. Revoke it with another token or on your "
                  "settings page.")
            )  # fmt: skip
        services.api_token_revoke(token=token, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
