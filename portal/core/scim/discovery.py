"""The discovery documents of RFC 7644 §4: ServiceProviderConfig, ResourceTypes, Schemas."""

from __future__ import annotations

from django.urls import reverse

from .protocol import GROUP, MAX_COUNT, RESOURCE_TYPE, SCHEMA, SPC, USER


def _attr(
    name,
    type_="string",
    *,
    required=False,
    multi=False,
    unique="none",
    sub=None,
    mutability="readWrite",
    case_exact=False,
):
    attr = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "required": required,
        "caseExact": case_exact,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": unique,
    }
    if sub:
        attr["subAttributes"] = sub
    return attr


SCHEMAS = {
    USER: {
        "id": USER,
        "name": "User",
        "description": "A person of the care organisation; one membership in Ketenwacht.",
        "attributes": [
            _attr("userName", required=True, unique="server"),
            _attr("externalId", case_exact=True),
            _attr("displayName"),
            _attr("name", "complex", sub=[_attr("givenName"), _attr("familyName")]),
            _attr("active", "boolean"),
            _attr(
                "emails",
                "complex",
                multi=True,
                sub=[_attr("value"), _attr("type"), _attr("primary", "boolean")],
            ),
            _attr(
                "groups",
                "complex",
                multi=True,
                mutability="readOnly",
                sub=[
                    _attr("value", mutability="readOnly"),
                    _attr("display", mutability="readOnly"),
                ],
            ),
        ],
    },
    GROUP: {
        "id": GROUP,
        "name": "Group",
        "description": "A group of the identity provider; mapped to a role by its name.",
        "attributes": [
            _attr("displayName", required=True, unique="server"),
            _attr("externalId", case_exact=True),
            _attr(
                "members",
                "complex",
                multi=True,
                sub=[
                    _attr("value", mutability="immutable"),
                    _attr("display", mutability="readOnly"),
                ],
            ),
        ],
    },
}

RESOURCE_TYPES = {
    "User": {"endpoint": "/Users", "schema": USER, "description": "People"},
    "Group": {"endpoint": "/Groups", "schema": GROUP, "description": "Groups, mapped to roles"},
}


def _location(request, name: str, *args) -> dict:
    return {"location": request.build_absolute_uri(reverse(name, args=args))}


def service_provider_config(request) -> dict:
    return {
        "schemas": [SPC],
        "documentationUri": request.build_absolute_uri("/api/docs/"),
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The organisation's SCIM token, created by its administrator.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            **_location(request, "scim_service_provider_config"),
        },
    }


def resource_type(request, name: str) -> dict:
    data = RESOURCE_TYPES[name]
    out = {
        "schemas": [RESOURCE_TYPE],
        "id": name,
        "name": name,
        **data,
        "meta": {"resourceType": "ResourceType", **_location(request, "scim_resource_type", name)},
    }
    if name == "User":
        out["schemaExtensions"] = []
    return out


def schema(request, urn: str) -> dict:
    return {
        "schemas": [SCHEMA],
        **SCHEMAS[urn],
        "meta": {"resourceType": "Schema", **_location(request, "scim_schema", urn)},
    }
