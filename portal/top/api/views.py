"""API endpoints of the portal shell."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

MeSerializer = inline_serializer(
    "Me",
    {
        "user": inline_serializer(
            "MeUser",
            {
                "id": serializers.IntegerField(),
                "email": serializers.EmailField(),
                "name": serializers.CharField(),
                "language": serializers.CharField(),
            },
        ),
        "organisation": inline_serializer(
            "MeOrganisation",
            {
                "id": serializers.IntegerField(),
                "slug": serializers.CharField(),
                "name": serializers.CharField(),
                "kind": serializers.ChoiceField(choices=["care", "supplier"]),
            },
        ),
        "role": serializers.CharField(),
    },
)


@extend_schema(responses=MeSerializer, summary="The authenticated user, organisation and role")
@api_view(["GET"])
def me(request):
    membership = request.membership
    user = request.user
    org = membership.organisation
    return Response(
        {
            "user": {
                "id": user.pk,
                "email": user.email,
                "name": user.name,
                "language": user.language,
            },
            "organisation": {"id": org.pk, "slug": org.slug, "name": org.name, "kind": org.kind},
            "role": membership.role,
        }
    )
