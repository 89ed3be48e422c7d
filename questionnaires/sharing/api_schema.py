"""The OpenAPI shapes of the trust-profile API (questionnaires/sharing/api.py)."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from .models import Visibility

CERTIFICATE = inline_serializer(
    "ProfileCertificate",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "standard": serializers.CharField(help_text="the document kind, e.g. iso27001"),
        "issuer": serializers.CharField(),
        "valid_until": serializers.DateField(allow_null=True),
    },
)
PROFILE_FIELDS = {
    "id": serializers.IntegerField(),
    "supplier": inline_serializer(
        "ProfileSupplier", {"id": serializers.IntegerField(), "name": serializers.CharField()}
    ),
    "product": inline_serializer(
        "ProfileProduct", {"id": serializers.IntegerField(), "name": serializers.CharField()}
    ),
    "visibility": serializers.CharField(help_text="the default of every item"),
    "certificates": serializers.ListField(
        child=CERTIFICATE, help_text="the certificates shown to every care organisation"
    ),
    "updated_at": serializers.DateTimeField(),
    "access": serializers.CharField(),
}
PROFILE = inline_serializer("TrustProfile", PROFILE_FIELDS)
ITEM_ANSWER = inline_serializer(
    "ProfileItemAnswer",
    {
        "code": serializers.CharField(),
        "value": serializers.JSONField(),
        "explanation": serializers.CharField(),
        "confirmed_at": serializers.DateTimeField(),
        "visibility": serializers.CharField(),
    },
)
ITEM_DOCUMENT = inline_serializer(
    "ProfileItemDocument",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "kind": serializers.CharField(),
        "issuer": serializers.CharField(),
        "valid_until": serializers.DateField(allow_null=True),
        "visibility": serializers.CharField(),
        "download_url": serializers.CharField(allow_null=True),
    },
)
PROFILE_DETAIL = inline_serializer(
    "TrustProfileDetail",
    {
        **PROFILE_FIELDS,
        "answers": serializers.ListField(child=ITEM_ANSWER),
        "documents": serializers.ListField(child=ITEM_DOCUMENT),
    },
)
PUBLISH = inline_serializer(
    "TrustProfilePublish",
    {
        "product": serializers.IntegerField(),
        "visibility": serializers.ChoiceField(choices=["summary", "on_request"]),
        "terms": serializers.CharField(required=False, allow_blank=True, max_length=8000),
    },
)
LEVELS = [*Visibility.values, ""]


class ItemsIn(serializers.Serializer):
    """(owner) The visibility per item; items not named keep theirs."""

    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=LEVELS, allow_blank=True),
        required=False,
        help_text='question code → summary, on_request, private or "" (as the profile)',
    )
    documents = serializers.DictField(
        child=serializers.ChoiceField(choices=[*LEVELS, "excluded"], allow_blank=True),
        required=False,
        help_text='document id → summary, on_request, private, "" (as the profile) or excluded',
    )

    def validate_answers(self, value):
        if len(value) > 2000 or any(len(k) > 50 for k in value):
            raise serializers.ValidationError("Too many or too long question codes.")
        return value

    def validate_documents(self, value):
        if len(value) > 500 or not all(str(k).isdecimal() and len(k) < 10 for k in value):
            raise serializers.ValidationError("Name at most 500 documents by their id.")
        return value


REQUEST = inline_serializer(
    "AccessRequestIn",
    {
        "message": serializers.CharField(required=False, allow_blank=True, max_length=4000),
        "accept_terms": serializers.BooleanField(required=False),
    },
)
ACCESS = inline_serializer(
    "AccessRequest",
    {
        "id": serializers.IntegerField(),
        "profile": serializers.IntegerField(),
        "care_org": serializers.CharField(),
        "status": serializers.CharField(),
        "message": serializers.CharField(),
        "requested_at": serializers.DateTimeField(),
    },
)
ANSWERS = inline_serializer(
    "ProfileAnswer",
    {
        "code": serializers.CharField(),
        "value": serializers.JSONField(),
        "explanation": serializers.CharField(),
        "confirmed_at": serializers.DateTimeField(),
        "stale": serializers.BooleanField(),
    },
    many=True,
)
