"""Files on an assessment (supplier side): evidence uploaded or picked from the shared
documents, its download, and the offline spreadsheet of the answers."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.exceptions import Conflict, TooLarge, error_text
from portal.core.uploads import UploadRefused
from suppliers.models import SupplierDocument

from . import assessments as svc
from . import selectors
from .assessment_views import _assessment
from .assessment_xlsx import RoundTripError, assessment_to_xlsx, xlsx_to_answers
from .models import Evidence

_error_text = error_text


@require_POST
@membership_required("supplier.answer")
def evidence_upload(request, pk: int, code: str):
    a = _assessment(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file first."))
    else:
        try:
            if upload.size > settings.MAX_UPLOAD_BYTES:
                raise TooLarge(
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
            svc.evidence_add(
                assessment=a,
                code=code,
                name=upload.name,
                data=upload.read(),
                actor=request.user,
                request=request,
            )
        except (UploadRefused, TooLarge) as exc:
            messages.error(request, f"{code}: {exc}")
        except (ValidationError, Conflict) as exc:
            messages.error(request, f"{code}: {_error_text(exc)}")
        else:
            messages.success(
                request,
                _("%(name)s was attached to %(code)s.") % {"name": upload.name[:120], "code": code},
            )
    return redirect(_question_url(a, code))


@require_POST
@membership_required("supplier.answer")
def evidence_pick(request, pk: int, code: str):
    """Attach a copy of one of the supplier's shared documents."""

    a = _assessment(request, pk)
    raw = request.POST.get("document", "")
    doc = (
        SupplierDocument.objects.visible_to(request.membership).filter(pk=int(raw)).first()
        if raw.isdecimal()
        else None
    )
    if doc is None:
        messages.error(request, _("Choose one of your documents first."))
    else:
        try:
            svc.evidence_from_document(
                assessment=a, code=code, document=doc, actor=request.user, request=request
            )
        except (UploadRefused, TooLarge) as exc:
            messages.error(request, f"{code}: {exc}")
        except (ValidationError, Conflict) as exc:
            messages.error(request, f"{code}: {_error_text(exc)}")
        else:
            messages.success(
                request, _("%(name)s was attached to %(code)s.") % {"name": doc.title, "code": code}
            )
    return redirect(_question_url(a, code))


@membership_required()
def evidence_download(request, pk: int):
    """Serve a file only to members of the two organisations involved, always as a download."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("answer__assessment"),
        pk=pk,
        answer__assessment__in=selectors.assessments_for(membership=request.membership),
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@membership_required("supplier.answer")
def assessment_xlsx_download(request, pk: int):
    a = _assessment(request, pk)
    lang = "en" if request.LANGUAGE_CODE.startswith("en") else "nl"
    response = HttpResponse(
        assessment_to_xlsx(a, lang=lang),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ketenwacht-{a.pk}.xlsx"'
    return response


@require_POST
@membership_required("supplier.answer")
def assessment_xlsx_upload(request, pk: int):
    a = _assessment(request, pk)
    upload = request.FILES.get("file")
    if upload is None or not upload.name.lower().endswith(".xlsx"):
        messages.error(request, _("Choose the .xlsx file you downloaded."))
    elif upload.size > 5 * 1024 * 1024:
        messages.error(request, _("The file is larger than 5 MB."))
    else:
        try:
            count = xlsx_to_answers(a, upload.read(), actor=request.user)
        except RoundTripError as exc:
            messages.error(
                request,
                _("Nothing was saved. Fix these rows and upload again: %(e)s")
                % {"e": " · ".join(exc.errors[:30])},
            )
        except (ValidationError, Conflict) as exc:
            messages.error(request, _("Nothing was saved: %(e)s") % {"e": _error_text(exc)})
        else:
            messages.success(
                request, _("%(n)s answers were saved from the spreadsheet.") % {"n": count}
            )
    return redirect("assessment_detail", pk=a.pk)


def _question_url(a, code: str) -> str:
    """The questionnaire page opened at the section of this question, scrolled to it."""
    return reverse("assessment_detail", kwargs={"pk": a.pk}) + f"?q={quote(code)}#q-{code}"
