"""API: the organisation's single sign-on configuration (care administrator)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission

from . import selectors, services
from .models import PROVIDER_PREFIX


class SsoConfigurationSerializer(serializers.Serializer):
    configured = serializers.BooleanField(read_only=True)
    issuer = serializers.URLField(max_length=300)
    client_id = serializers.CharField(max_length=255)
    secret = serializers.CharField(
        max_length=1000,
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="the client secret; never returned. Leave out to keep the stored one.",
    )
    has_secret = serializers.BooleanField(read_only=True)
    email_domains = serializers.ListField(
        child=serializers.CharField(max_length=253), min_length=1, max_length=50
    )
    create_on_first_sign_in = serializers.BooleanField(
        default=False, help_text="unknown people of these domains are added as viewers"
    )
    required = serializers.BooleanField(
        default=False, help_text="password and e-mail-code sign-in refused for these domains"
    )
    is_active = serializers.BooleanField(default=True)
    redirect_uri = serializers.CharField(
        read_only=True, help_text="to register at the identity provider"
    )


def _body(organisation) -> dict:
    config = selectors.configuration_of(organisation)
    path = reverse(
        "openid_connect_callback", kwargs={"provider_id": f"{PROVIDER_PREFIX}{organisation.slug}"}
    )
    body = {
        "configured": config is not None,
        "issuer": config.issuer if config else "",
        "client_id": config.client_id if config else "",
        "has_secret": bool(config and config.secret_encrypted),
        "email_domains": list(config.email_domains) if config else [],
        "create_on_first_sign_in": bool(config and config.create_on_first_sign_in),
        "required": bool(config and config.required),
        "is_active": bool(config and config.is_active),
        "redirect_uri": f"{settings.SITE_URL}{path}",
    }
    return SsoConfigurationSerializer(body).data


class SsoConfigurationView(APIView):
    """The care organisation's OpenID Connect single sign-on (care administrator). The client
    secret is write-only; every change is audited."""

    permission_classes = [RolePermission("sso.manage")]

    @extend_schema(responses=SsoConfigurationSerializer, summary="The SSO configuration")
    def get(self, request):
        return Response(_body(request.membership.organisation))

    @extend_schema(
        request=SsoConfigurationSerializer,
        responses=SsoConfigurationSerializer,
        summary="Set the SSO configuration",
    )
    def put(self, request):
        serializer = SsoConfigurationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = request.membership.organisation
        try:
            domains = services.parse_domains(" ".join(data["email_domains"]))
            services.configuration_save(
                organisation=organisation,
                actor=request.user,
                request=request,
                issuer=data["issuer"],
                client_id=data["client_id"],
                secret=data.get("secret", ""),
                email_domains=domains,
                create_on_first_sign_in=data["create_on_first_sign_in"],
                required=data["required"],
                is_active=data["is_active"],
            )
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return Response(_body(organisation))
