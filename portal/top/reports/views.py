"""The downloads list (per user), requesting a report, and the private download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required

from .models import Report, ReportKind
from .services import report_request


@membership_required("reports.request")
def report_list(request):
    reports = Report.objects.visible_to(request.membership)[:50]
    running = any(not r.is_finished for r in reports)
    template = "reports/_list.html" if request.htmx else "reports/list.html"
    return render(request, template, {"reports": reports, "running": running})


@require_POST
@membership_required("reports.request")
def report_new(request):
    kind = request.POST.get("kind", "")
    params = {}
    for key in ("assessment", "relationship"):
        value = request.POST.get(key, "")
        if value.isdecimal():
            params[key] = int(value)
    try:
        if kind not in ReportKind.values:
            raise ValidationError("unknown kind")
        report_request(
            membership=request.membership,
            kind=kind,
            params=params,
            language=request.LANGUAGE_CODE,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("report_list")


@membership_required("reports.request")
def report_download(request, pk: int):
    report = get_object_or_404(Report.objects.downloadable_by(request.membership), pk=pk)
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"ketenwacht-{report.kind}-{report.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
