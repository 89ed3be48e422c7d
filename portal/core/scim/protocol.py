"""The SCIM 2.0 wire format (RFC 7643/7644): schema URNs, errors, filters, paging, the JSON of
a User and a Group, and the discovery documents. No database writes here."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

CONTENT_TYPE = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SPC = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

DEFAULT_COUNT = 100
MAX_COUNT = 200
MAX_OPERATIONS = 1000


class ScimError(Exception):
    """An error answered with a SCIM error body (RFC 7644 §3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str = ""):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def scim_response(data: dict | None, status: int = 200, location: str = "") -> JsonResponse:
    response = JsonResponse(data or {}, status=status, content_type=CONTENT_TYPE)
    if data is None:
        response.content = b""
        del response["Content-Type"]
    if location:
        response["Location"] = location
    return response


def error_response(error: ScimError) -> JsonResponse:
    body = {"schemas": [ERROR], "status": str(error.status), "detail": error.detail}
    if error.scim_type:
        body["scimType"] = error.scim_type
    response = scim_response(body, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def parse_body(request) -> dict:
    """The request's JSON object, or a 400 invalidSyntax."""
    content_type = request.content_type or ""
    if content_type not in (CONTENT_TYPE, "application/json"):
        raise ScimError(
            415, _("Send the body as application/scim+json or application/json."), "invalidSyntax"
        )
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ScimError(400, _("The body is not valid JSON."), "invalidSyntax") from exc
    if not isinstance(data, dict):
        raise ScimError(400, _("The body must be a JSON object."), "invalidSyntax")
    return data


# -- filters and paging ------------------------------------------------------------------------

FILTER_RE = re.compile(r'^\s*([A-Za-z][\w.:$-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


@dataclass(frozen=True)
class Filter:
    attribute: str  # lower case, without a schema URN
    value: str


def parse_filter(text: str | None, allowed: tuple[str, ...]) -> Filter | None:
    """`attribute eq "value"` on one of `allowed` (lower case names); anything else is 400."""
    if not text:
        return None
    match = FILTER_RE.match(text)
    if match is None:
        raise ScimError(
            400, _('Only filters of the form attribute eq "value" are supported.'), "invalidFilter"
        )
    attribute = match.group(1).rsplit(":", 1)[-1].lower()
    if attribute not in allowed:
        raise ScimError(
            400,
            _("Filtering on %(attribute)s is not supported; use one of: %(allowed)s.")
            % {"attribute": match.group(1), "allowed": ", ".join(allowed)},
            "invalidFilter",
        )
    value = re.sub(r"\\(.)", r"\1", match.group(2))
    return Filter(attribute, value)


def _int_param(request, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    raw = raw.strip()
    sign = -1 if raw.startswith("-") else 1
    digits = raw.lstrip("+-")
    if not digits.isdecimal() or not digits.isascii() or len(digits) > 9:
        raise ScimError(400, _("%(name)s must be a whole number.") % {"name": name}, "invalidValue")
    return sign * int(digits)


def paging(request) -> tuple[int, int]:
    """(startIndex, count) per RFC 7644 §3.4.2.4: startIndex below 1 is 1, count below 0 is 0."""
    start = max(1, _int_param(request, "startIndex", 1))
    count = min(MAX_COUNT, max(0, _int_param(request, "count", DEFAULT_COUNT)))
    return start, count


def list_response(resources: list[dict], total: int, start: int) -> dict:
    return {
        "schemas": [LIST],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def as_bool(value, attribute: str) -> bool:
    """A boolean; Entra ID sends "True"/"False" as text in some operations."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(
        400, _("%(attribute)s must be true or false.") % {"attribute": attribute}, "invalidValue"
    )


def as_text(value, attribute: str, max_length: int = 254, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ScimError(
            400,
            _("%(attribute)s must be a non-empty text.") % {"attribute": attribute},
            "invalidValue",
        )
    value = value.strip()
    if len(value) > max_length or any(ord(c) < 32 for c in value):
        raise ScimError(
            400,
            _("%(attribute)s is too long or holds control characters.") % {"attribute": attribute},
            "invalidValue",
        )
    return value


# -- representations ---------------------------------------------------------------------------


def _meta(request, resource_type: str, url_name: str, obj) -> dict:
    return {
        "resourceType": resource_type,
        "created": obj.created_at.isoformat(),
        "lastModified": obj.updated_at.isoformat(),
        "location": request.build_absolute_uri(reverse(url_name, args=[obj.scim_id])),
    }


def user_json(request, scim_user, groups=None) -> dict:
    data = {
        "schemas": [USER],
        "id": str(scim_user.scim_id),
        "userName": scim_user.user_name,
        "name": {
            "givenName": scim_user.given_name,
            "familyName": scim_user.family_name,
            "formatted": " ".join(p for p in (scim_user.given_name, scim_user.family_name) if p),
        },
        "displayName": scim_user.display_name,
        "active": scim_user.active,
        "emails": [{"value": scim_user.email, "type": "work", "primary": True}],
        "groups": [
            {"value": str(g.scim_id), "display": g.display_name, "type": "direct"}
            for g in (groups if groups is not None else scim_user.groups.all())
        ],
        "meta": _meta(request, "User", "scim_user", scim_user),
    }
    if scim_user.external_id:
        data["externalId"] = scim_user.external_id
    return data


def group_json(request, group, members: bool = True) -> dict:
    data = {
        "schemas": [GROUP],
        "id": str(group.scim_id),
        "displayName": group.display_name,
        "meta": _meta(request, "Group", "scim_group", group),
    }
    if members:
        data["members"] = [
            {"value": str(u.scim_id), "display": u.user_name, "type": "User"}
            for u in group.members.all()
        ]
    if group.external_id:
        data["externalId"] = group.external_id
    return data
