"""API (supplier): the answer library — the answers it confirmed, per product and question
code, in words — and removing an entry, as on the library page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from portal.core.api_permissions import RolePermission
from portal.core.audit.services import audit_record
from portal.core.i18n import active_language

from . import selectors
from .models import LibraryAnswer

ENTRIES = inline_serializer(
    "LibraryEntry",
    {
        "id": serializers.IntegerField(),
        "code": serializers.CharField(),
        "product": serializers.IntegerField(allow_null=True),
        "question": serializers.CharField(),
        "value": serializers.JSONField(),
        "answer": serializers.CharField(),
        "explanation": serializers.CharField(),
        "updated_at": serializers.DateTimeField(),
    },
    many=True,
)


class LibraryViewSet(viewsets.ViewSet):
    """Answers confirmed in submitted questionnaires; a new questionnaire from any customer
    starts with them filled in, for the supplier to confirm."""

    permission_classes = [RolePermission("supplier.manage_profile")]  # as the library page

    @extend_schema(responses=ENTRIES)
    def list(self, request):
        entries = selectors.library_entries(membership=request.membership, lang=active_language())
        return Response(
            [
                {
                    "id": e.pk,
                    "code": e.code,
                    "product": e.product_id,
                    "question": e.question_text,
                    "value": e.value,
                    "answer": str(e.answer_shown),
                    "explanation": e.explanation,
                    "updated_at": e.updated_at,
                }
                for e in entries
            ]
        )

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        entry = get_object_or_404(LibraryAnswer.objects.visible_to(request.membership), pk=pk)
        audit_record(
            action="library.entry_removed",
            organisation=request.membership.organisation,
            actor=request.user,
            obj=entry,
            before={"code": entry.code, "product": entry.product_id},
            request=request,
        )
        entry.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
