"""OpenAPI description of the API: the token authentication and the error answers (API.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.top.api.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personal API token: `Token <key>`. A token acts for one organisation.",
        }


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (portal.top.api.errors)."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ConflictSerializer(ErrorSerializer):
    """A version conflict also returns the current state where the service knows it."""

    current = serializers.DictField(required=False)


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DIGITS = "^[0-9]+$"


class PortalAutoSchema(AutoSchema):
    """Documents the error answers every operation can give next to its success answer, so a
    client (and the schemathesis run in ops/api-fuzz.sh) knows them from the schema alone:
    401 and 403 on every secured operation, 404 where a path names an object, a list takes a
    page or a write names objects in its body, 400 on every write and on a read with filters,
    409 on every write. An operation's own `responses` for a code win. Path parameters that the
    URL restricts to digits (ids, see IntegerIdRouter) are integers."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["schema"].get("pattern") == DIGITS:
                parameter["schema"] = {"type": "integer"}  # the URL takes digits only: an id
        responses = operation["responses"]
        for code, description, serializer in self._error_responses(operation):
            if str(code) not in responses:
                ref = self.resolve_serializer(serializer, "response").ref
                responses[str(code)] = {
                    "description": description,
                    "content": {"application/json": {"schema": ref}},
                }
        return operation

    def _error_responses(self, operation) -> list[tuple[int, str, type]]:
        parameters = operation.get("parameters", [])
        security = operation.get("security", [])
        names_object = any(p["in"] == "path" for p in parameters)
        takes_page = any(p["in"] == "query" and p["name"] == "page" for p in parameters)
        filters = any(p["in"] == "query" and p["name"] != "page" for p in parameters)
        out = []
        if self.method in WRITE_METHODS or filters:
            out.append(
                (400, _("Invalid input; `errors` lists the problems per field."), ErrorSerializer)
            )
        if security and {} not in security:
            out.append((401, _("No valid API token or session."), ErrorSerializer))
            out.append((403, _("The role of this membership may not do this."), ErrorSerializer))
        # A write names objects in its body too (a relationship, a profile): one of another
        # organisation, or none, is a 404 like an id in the path.
        if names_object or takes_page or self.method in WRITE_METHODS:
            out.append(
                (404, _("No such object in this organisation, or no such page."), ErrorSerializer)
            )
        if self.method in WRITE_METHODS:
            out.append(
                (409, _("A version conflict or a wrong state transition."), ConflictSerializer)
            )
        return out
