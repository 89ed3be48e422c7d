"""The SCIM 2.0 endpoints (/scim/v2/…). The bearer token decides the organisation: every
lookup is filtered by it, so another organisation's resources are simply not found (404)."""

from __future__ import annotations

import uuid
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import attributes, discovery, protocol, selectors, services
from .protocol import ScimError, error_response, scim_response

USER_FILTERS = ("username", "externalid", "id")
GROUP_FILTERS = ("displayname", "externalid", "id")


def scim_endpoint(*methods: str):
    """Authenticates the SCIM token, allows `methods`, turns ScimError into a SCIM error body."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                token = services.scim_authenticate(request)
                if request.method not in methods:
                    raise ScimError(405, _("Method not allowed."))
                return view(request, token.organisation, *args, **kwargs)
            except ScimError as error:
                return error_response(error)
            except RequestDataTooBig:
                return error_response(ScimError(413, _("The body is too large.")))
            except IntegrityError:  # two requests creating the same name at once
                return error_response(
                    ScimError(409, _("This resource already exists."), "uniqueness")
                )

        return wrapped

    return decorator


def _not_found() -> ScimError:
    return ScimError(404, _("Resource not found."))


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise _not_found() from exc


def _page(request, queryset, render) -> dict:
    start, count = protocol.paging(request)
    total = queryset.count()
    rows = list(queryset[start - 1 : start - 1 + count]) if count else []
    return protocol.list_response([render(r) for r in rows], total, start)


@scim_endpoint("GET", "POST")
def users(request, organisation):
    if request.method == "POST":
        fields = attributes.user_fields(protocol.parse_body(request))
        user = services.user_create(organisation=organisation, fields=fields, request=request)
        data = protocol.user_json(request, user)
        return scim_response(data, 201, location=data["meta"]["location"])
    filter_ = protocol.parse_filter(request.GET.get("filter"), USER_FILTERS)
    qs = selectors.users_of(organisation, filter_)
    return scim_response(_page(request, qs, lambda u: protocol.user_json(request, u)))


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request, organisation, scim_id: str):
    found = selectors.user_get(organisation, _uuid(scim_id))
    if found is None:
        raise _not_found()
    if request.method == "DELETE":
        services.user_delete(scim_user=found, request=request)
        return scim_response(None, 204)
    if request.method == "PUT":
        fields = attributes.user_fields(protocol.parse_body(request), active=found.active)
        found = services.user_update(scim_user=found, fields=fields, request=request)
    elif request.method == "PATCH":
        current = {name: getattr(found, name) for name in attributes.USER_FIELDS}
        fields = attributes.patch_user(current, protocol.parse_body(request))
        found = services.user_update(scim_user=found, fields=fields, request=request)
    return scim_response(protocol.user_json(request, found, found.groups.all()))


def _with_members(request) -> bool:
    excluded = request.GET.get("excludedAttributes", "")
    return "members" not in {a.strip().lower() for a in excluded.split(",")}


@scim_endpoint("GET", "POST")
def groups(request, organisation):
    if request.method == "POST":
        fields = attributes.group_fields(protocol.parse_body(request))
        group = services.group_create(organisation=organisation, fields=fields, request=request)
        data = protocol.group_json(request, group)
        return scim_response(data, 201, location=data["meta"]["location"])
    filter_ = protocol.parse_filter(request.GET.get("filter"), GROUP_FILTERS)
    members = _with_members(request)
    qs = selectors.groups_of(organisation, filter_, members=members)
    return scim_response(_page(request, qs, lambda g: protocol.group_json(request, g, members)))


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def group(request, organisation, scim_id: str):
    found = selectors.group_get(organisation, _uuid(scim_id))
    if found is None:
        raise _not_found()
    if request.method == "DELETE":
        services.group_delete(group=found, request=request)
        return scim_response(None, 204)
    if request.method == "PUT":
        fields = attributes.group_fields(protocol.parse_body(request))
        found = services.group_update(group=found, fields=fields, request=request)
    elif request.method == "PATCH":
        current = {
            "display_name": found.display_name,
            "external_id": found.external_id,
            "members": [str(u.scim_id) for u in found.members.all()],
        }
        fields = attributes.patch_group(current, protocol.parse_body(request))
        services.group_update(group=found, fields=fields, request=request)
        # RFC 7644 §3.5.2: 204 without a body is allowed; Entra ID expects it for groups.
        return scim_response(None, 204)
    return scim_response(protocol.group_json(request, found, _with_members(request)))


@scim_endpoint("GET")
def service_provider_config(request, organisation):
    return scim_response(discovery.service_provider_config(request))


@scim_endpoint("GET")
def resource_types(request, organisation):
    items = [discovery.resource_type(request, name) for name in discovery.RESOURCE_TYPES]
    return scim_response(protocol.list_response(items, len(items), 1))


@scim_endpoint("GET")
def resource_type(request, organisation, name: str):
    if name not in discovery.RESOURCE_TYPES:
        raise _not_found()
    return scim_response(discovery.resource_type(request, name))


@scim_endpoint("GET")
def schemas(request, organisation):
    items = [discovery.schema(request, urn) for urn in discovery.SCHEMAS]
    return scim_response(protocol.list_response(items, len(items), 1))


@scim_endpoint("GET")
def schema(request, organisation, urn: str):
    if urn not in discovery.SCHEMAS:
        raise _not_found()
    return scim_response(discovery.schema(request, urn))
