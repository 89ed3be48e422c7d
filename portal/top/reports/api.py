"""API (API.md): `POST /api/v1/reports/{kind}/` → 202 with the queued report;
`GET /api/v1/reports/{kind}/` lists the user's reports of that kind and
`GET /api/v1/reports/{kind}/{id}/` answers one report's status (poll until `done`);
`GET /api/v1/reports/{kind}/{id}/download/` (its `download_url`) answers the PDF."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.api_permissions import RolePermission

from .models import Report, ReportKind, ReportStatus
from .services import report_request

KIND = OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=ReportKind.values)


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, report) -> str | None:
        """The PDF, for this API token (or a signed-in browser) of the same organisation."""
        if report.status != ReportStatus.DONE:
            return None
        return reverse("report-file", kwargs={"kind": report.kind, "pk": report.pk})


class ReportIn(serializers.Serializer):
    assessment = serializers.IntegerField(required=False)
    relationship = serializers.IntegerField(required=False)


def _known(kind: str) -> str:
    if kind not in ReportKind.values:
        raise exceptions.NotFound(_("Unknown kind of report."))
    return kind


def _out(report: Report) -> dict:
    report.refresh_from_db()
    return ReportSerializer(report).data


class ReportRequestView(GenericAPIView):
    permission_classes = [RolePermission("reports.request")]
    serializer_class = ReportSerializer
    queryset = Report.objects.none()

    @extend_schema(parameters=[KIND], responses=ReportSerializer(many=True))
    def get(self, request, kind: str):
        reports = Report.objects.visible_to(request.membership).filter(kind=_known(kind))
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(parameters=[KIND], request=ReportIn, responses={202: ReportSerializer})
    def post(self, request, kind: str):
        kind = _known(kind)
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

    @extend_schema(parameters=[KIND], responses=ReportSerializer)
    def get(self, request, kind: str, pk: int):
        reports = Report.objects.visible_to(request.membership).filter(kind=_known(kind))
        return Response(_out(get_object_or_404(reports, pk=pk)))


class _AnyAccept(BaseContentNegotiation):
    """A file answers whatever the client said it accepts (a PDF is what it asked for)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportFileView(APIView):
    """`download_url`: the report's PDF with a token or a session, to the organisation's
    members (the requester and colleagues); another organisation's report, or one not
    finished, is a 404."""

    permission_classes = [RolePermission("reports.request")]
    content_negotiation_class = _AnyAccept

    @extend_schema(
        summary="A finished report's PDF (its `download_url`)",
        description="Answers the PDF to the token that requested the report and to other "
        "members of the same organisation (token or signed-in browser); 404 to any other "
        "organisation and while the report is not `done`.",
        parameters=[KIND],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, kind: str, pk: int):
        reports = Report.objects.downloadable_by(request.membership).filter(kind=_known(kind))
        report = get_object_or_404(reports, pk=pk)
        response = FileResponse(
            report.file.open("rb"),
            as_attachment=True,
            filename=f"ketenwacht-{report.kind}-{report.pk}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
