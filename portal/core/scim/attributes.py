"""Reading a User or Group body, and applying PATCH operations (RFC 7644 §3.5.2), to plain
field dictionaries. Attributes the portal does not keep (title, department, …) are ignored."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .protocol import MAX_OPERATIONS, ScimError, as_bool, as_text

USER_FIELDS = (
    "user_name",
    "external_id",
    "display_name",
    "given_name",
    "family_name",
    "email",
    "active",
)
URN_PREFIX = re.compile(r"^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):", re.IGNORECASE)
PATH_RE = re.compile(
    r"^(?P<attr>[A-Za-z][\w$-]*)(?:\[(?P<filter>[^\]]*)\])?(?:\.(?P<sub>[A-Za-z][\w$-]*))?$"
)
VALUE_FILTER = re.compile(r'^\s*value\s+eq\s+"([^"]*)"\s*$', re.IGNORECASE)


def _email(value) -> str:
    email = as_text(value, "emails.value", required=True).lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ScimError(
            400, _("%(value)s is not a valid e-mail address.") % {"value": email}, "invalidValue"
        ) from exc
    return email


def _primary_email(emails) -> str:
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise ScimError(400, _("emails must be a list of objects."), "invalidValue")
    chosen = next((e for e in emails if e.get("primary") in (True, "true", "True")), None)
    chosen = chosen or next((e for e in emails if e.get("type") == "work"), None)
    chosen = chosen or (emails[0] if emails else None)
    return _email(chosen.get("value")) if chosen else ""


def _set_user_attr(fields: dict, attr: str, value, sub: str | None = None) -> None:
    """Set one attribute (lower-case name, optional sub-attribute) of a user's fields."""
    if attr == "username":
        fields["user_name"] = as_text(value, "userName", required=True)
    elif attr == "externalid":
        fields["external_id"] = as_text(value, "externalId")
    elif attr == "displayname":
        fields["display_name"] = as_text(value, "displayName")
    elif attr == "active":
        fields["active"] = as_bool(value, "active")
    elif attr == "name" and sub:
        if sub.lower() == "givenname":
            fields["given_name"] = as_text(value, "name.givenName", 150)
        elif sub.lower() == "familyname":
            fields["family_name"] = as_text(value, "name.familyName", 150)
    elif attr == "name":
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ScimError(400, _("name must be an object."), "invalidValue")
        for key, sub_value in value.items():
            _set_user_attr(fields, "name", sub_value, key)
    elif attr == "emails":
        if sub:  # emails[type eq "work"].value
            fields["email"] = _email(value)
        else:
            email = _primary_email(value if value is not None else [])
            if email:
                fields["email"] = email


def user_fields(body: dict, active: bool = True) -> dict:
    """The fields of a User body (POST or PUT); userName is required. Without `active` the user
    is `active` (a PUT passes the current state: leaving it out never revives a membership)."""
    fields = {"active": active, "external_id": "", "display_name": "", "given_name": ""}
    fields["family_name"] = ""
    for key, value in body.items():
        if not isinstance(key, str) or key in ("schemas", "id", "meta", "groups"):
            continue
        _set_user_attr(fields, key.lower(), value)
    if "user_name" not in fields:
        raise ScimError(400, _("userName is required."), "invalidValue")
    if not fields.get("email"):
        fields["email"] = _email(fields["user_name"])
    return fields


def _operations(body: dict) -> list[tuple[str, str, dict, object]]:
    """(op, attribute, parsed path, value) of each operation of a PatchOp body."""
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations or len(operations) > MAX_OPERATIONS:
        raise ScimError(400, _("Operations must be a non-empty list."), "invalidSyntax")
    out = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, _("Each operation must be an object."), "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, _("op must be add, replace or remove."), "invalidSyntax")
        path = operation.get("path")
        if path is None or path == "":
            if op == "remove":
                raise ScimError(400, _("A remove operation needs a path."), "noTarget")
            if not isinstance(operation.get("value"), dict):
                raise ScimError(
                    400, _("An operation without a path needs an object value."), "invalidValue"
                )
            out.append((op, "", {}, operation["value"]))
            continue
        if not isinstance(path, str):
            raise ScimError(400, _("path must be text."), "invalidPath")
        path = URN_PREFIX.sub("", path.strip())
        if path.lower().startswith("urn:"):
            continue  # an extension's attribute (enterprise user): not kept
        match = PATH_RE.match(path)
        if match is None:
            raise ScimError(400, _("%(path)s is not a valid path.") % {"path": path}, "invalidPath")
        parsed = match.groupdict()
        out.append((op, parsed["attr"].lower(), parsed, operation.get("value")))
    return out


def patch_user(fields: dict, body: dict) -> dict:
    fields = dict(fields)
    for op, attr, parsed, value in _operations(body):
        if not attr:
            for key, sub_value in value.items():
                if isinstance(key, str):
                    name, sub = _split(key)
                    _set_user_attr(fields, name, sub_value, sub or None)
            continue
        if op == "remove":
            if attr in ("username", "active"):
                raise ScimError(
                    400, _("%(path)s cannot be removed.") % {"path": attr}, "mutability"
                )
            if attr == "emails":
                continue  # the e-mail address is kept: the membership needs one
            value = None
        _set_user_attr(fields, attr, value, parsed.get("sub"))
    return fields


def _split(key: str) -> tuple[str, str]:
    attr, _dot, sub = URN_PREFIX.sub("", key).partition(".")
    return attr.lower(), sub


# -- groups -----------------------------------------------------------------------------------


def _member_ids(value) -> list[str]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(m, dict) and isinstance(m.get("value"), str) for m in value
    ):
        raise ScimError(400, _("members must be a list of objects with a value."), "invalidValue")
    return [m["value"] for m in value]


def group_fields(body: dict) -> dict:
    """The fields of a Group body (POST or PUT); displayName is required."""
    fields = {
        "display_name": as_text(body.get("displayName"), "displayName", required=True),
        "external_id": as_text(body.get("externalId"), "externalId"),
        "members": _member_ids(body.get("members") or []),
    }
    return fields


def patch_group(fields: dict, body: dict) -> dict:
    fields = dict(fields, members=list(fields["members"]))
    for op, attr, parsed, value in _operations(body):
        if not attr:
            for key, sub_value in value.items():
                key = URN_PREFIX.sub("", str(key)).lower()
                if key == "displayname":
                    fields["display_name"] = as_text(sub_value, "displayName", required=True)
                elif key == "externalid":
                    fields["external_id"] = as_text(sub_value, "externalId")
                elif key == "members":
                    _patch_members(fields, op, None, sub_value)
            continue
        if attr == "displayname":
            if op == "remove":
                raise ScimError(400, _("displayName cannot be removed."), "mutability")
            fields["display_name"] = as_text(value, "displayName", required=True)
        elif attr == "externalid":
            fields["external_id"] = "" if op == "remove" else as_text(value, "externalId")
        elif attr == "members":
            _patch_members(fields, op, parsed.get("filter"), value)
    return fields


def _patch_members(fields: dict, op: str, member_filter: str | None, value) -> None:
    members = fields["members"]
    if member_filter:
        match = VALUE_FILTER.match(member_filter)
        if match is None or op != "remove":
            raise ScimError(400, _('Use members[value eq "id"] with remove only.'), "invalidFilter")
        fields["members"] = [m for m in members if m != match.group(1)]
    elif op == "remove":
        drop = set(_member_ids(value)) if value is not None else set(members)
        fields["members"] = [m for m in members if m not in drop]
    elif op == "replace":
        fields["members"] = _member_ids(value)
    else:
        fields["members"] = members + [m for m in _member_ids(value) if m not in members]
