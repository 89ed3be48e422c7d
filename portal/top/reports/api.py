"""API: `POST /api/v1/reports/{kind}/` → 202 with the queued report; `GET /api/v1/reports/{id}/`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission

from .models import Report, ReportKind
from .services import report_request

ReportOut = inline_serializer(
    "Report",
    {
        "id": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "status": serializers.CharField(),
        "progress": serializers.IntegerField(),
        "download_url": serializers.CharField(allow_null=True),
    },
)


class ReportIn(serializers.Serializer):
    assessment = serializers.IntegerField(required=False)
    relationship = serializers.IntegerField(required=False)


def _out(report: Report) -> dict:
    report.refresh_from_db()
    return {
        "id": report.pk,
        "kind": report.kind,
        "status": report.status,
        "progress": report.progress,
        "download_url": reverse("report_download", args=[report.pk])
        if report.status == "done"
        else None,
    }


class ReportRequestView(APIView):
    permission_classes = [RolePermission("reports.request")]

    @extend_schema(request=ReportIn, responses={202: ReportOut})
    def post(self, request, kind: str):
        if kind not in ReportKind.values:
            return Response(
                {"detail": "Unknown kind of report.", "errors": {"kind": [kind]}}, status=404
            )
        ser = ReportIn(data=request.data)
        ser.is_valid(raise_exception=True)
        report = report_request(
            membership=request.membership,
            kind=kind,
            params=ser.validated_data,
            language=request.LANGUAGE_CODE,
        )
        return Response(_out(report), status=status.HTTP_202_ACCEPTED)


class ReportDetailView(APIView):
    permission_classes = [RolePermission("reports.request")]

    @extend_schema(responses=ReportOut)
    def get(self, request, pk: int):
        report = get_object_or_404(Report.objects.visible_to(request.membership), pk=pk)
        return Response(_out(report))
