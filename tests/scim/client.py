"""A small SCIM 2.0 client written from RFC 7644, as an identity provider would use it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.test import Client

BASE = "/scim/v2"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
CT = "application/scim+json"


@dataclass
class Answer:
    status: int
    body: dict | None
    content_type: str


class ScimClient:
    def __init__(self, token: str):
        self.http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def _send(self, method: str, path: str, body=None, raw: str | None = None) -> Answer:
        call = getattr(self.http, method)
        if method in ("get", "delete"):
            response = call(BASE + path, HTTP_ACCEPT=CT)
        else:
            data = raw if raw is not None else json.dumps(body)
            response = call(BASE + path, data=data, content_type=CT, HTTP_ACCEPT=CT)
        content = response.content
        return Answer(
            response.status_code,
            json.loads(content) if content else None,
            response.get("Content-Type", ""),
        )

    # RFC 7644 §3.3 create, §3.4 query, §3.5 replace / patch, §3.6 delete
    def create_user(self, user_name: str, *, active=True, given="Anna", family="Jansen", **extra):
        body = {
            "schemas": [USER],
            "userName": user_name,
            "name": {"givenName": given, "familyName": family},
            "emails": [{"value": user_name, "type": "work", "primary": True}],
            "active": active,
            **extra,
        }
        return self._send("post", "/Users", body)

    def get_user(self, scim_id: str) -> Answer:
        return self._send("get", f"/Users/{scim_id}")

    def find_users(self, query: str) -> Answer:
        return self._send("get", f"/Users?{query}")

    def filter_user_name(self, user_name: str) -> Answer:
        return self.find_users(f'filter=userName eq "{user_name}"'.replace(" ", "%20"))

    def patch_user(self, scim_id: str, *operations: dict) -> Answer:
        return self._send(
            "patch", f"/Users/{scim_id}", {"schemas": [PATCH_OP], "Operations": list(operations)}
        )

    def put_user(self, scim_id: str, body: dict) -> Answer:
        return self._send("put", f"/Users/{scim_id}", body)

    def delete_user(self, scim_id: str) -> Answer:
        return self._send("delete", f"/Users/{scim_id}")

    def create_group(self, name: str, member_ids=()) -> Answer:
        body = {
            "schemas": [GROUP],
            "displayName": name,
            "members": [{"value": m} for m in member_ids],
        }
        return self._send("post", "/Groups", body)

    def get_group(self, scim_id: str, query: str = "") -> Answer:
        return self._send("get", f"/Groups/{scim_id}{query}")

    def patch_group(self, scim_id: str, *operations: dict) -> Answer:
        return self._send(
            "patch", f"/Groups/{scim_id}", {"schemas": [PATCH_OP], "Operations": list(operations)}
        )

    def delete_group(self, scim_id: str) -> Answer:
        return self._send("delete", f"/Groups/{scim_id}")

    def get(self, path: str) -> Answer:
        return self._send("get", path)

    def raw(self, method: str, path: str, raw: str) -> Answer:
        return self._send(method, path, raw=raw)
