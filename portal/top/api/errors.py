"""One error shape for the whole API: {"detail": "...", "errors": {field: [messages]}}."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.core.exceptions import Conflict, TooLarge
from portal.core.uploads import UploadRefused


def _as_lists(data) -> dict[str, list[str]]:
    if isinstance(data, dict):
        out: dict[str, list[str]] = {}
        for key, value in data.items():
            if isinstance(value, dict):
                for sub, msgs in _as_lists(value).items():
                    out[f"{key}.{sub}"] = msgs
            else:
                out[str(key)] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(data, list):
        return {"non_field_errors": [str(v) for v in data]}
    return {"non_field_errors": [str(data)]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(errors)
    if isinstance(exc, UploadRefused):
        # A disguised, corrupt or dangerous file: refused before anything is stored.
        exc = exceptions.ValidationError({"file": [str(exc)]})
    if isinstance(exc, Conflict):
        body = {"detail": exc.message, "errors": {}}
        if exc.current:
            body["current"] = exc.current
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TooLarge):
        return Response(
            {"detail": str(exc) or _("The upload is too large."), "errors": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("Invalid input."), "errors": _as_lists(exc.detail)}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "errors": {}}
    return response


def page_not_found(request, exception):
    """handler404: a path under /api/ that no route matches (`/api/v1/reports/%C3%AF/`,
    `/api/v1/relationships/abc/`) answers in the API's error shape, not with the HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": str(exceptions.NotFound.default_detail), "errors": {}}, status=404
        )
    return defaults.page_not_found(request, exception)
