"""SCIM 2.0 provisioning (issue 18 §2), driven by a SCIM client written from RFC 7644."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from portal.core.accounts.models import ApiToken, Membership
from portal.core.accounts.services import api_token_create, member_add
from portal.core.audit.models import AuditEvent
from portal.core.scim.models import ScimUser
from portal.core.scim.services import mapping_add, scim_token_create, scim_token_revoke
from tests.conftest import client_for as _client
from tests.scim.client import CT, ERROR, LIST, USER, ScimClient

pytestmark = pytest.mark.django_db


def _scim(organisation, actor=None) -> ScimClient:
    _token, key = scim_token_create(organisation=organisation, name="Entra ID", actor=actor)
    return ScimClient(key)


def _membership(scim_id: str) -> Membership:
    return Membership.objects.get(scim_user__scim_id=scim_id)


def _error(answer, status: int, scim_type: str | None = None) -> None:
    assert answer.status == status, answer.body
    assert answer.content_type.startswith(CT)
    assert answer.body["schemas"] == [ERROR]
    assert answer.body["status"] == str(status)
    assert answer.body["detail"]
    if scim_type:
        assert answer.body["scimType"] == scim_type


def test_create_get_and_filter_by_user_name(cast):
    scim = _scim(cast.hospital)
    created = scim.create_user("anna.jansen@zh.test", externalId="e-1")
    assert created.status == 201
    assert created.content_type.startswith(CT)
    body = created.body
    assert body["schemas"] == [USER]
    assert body["userName"] == "anna.jansen@zh.test"
    assert body["active"] is True
    assert body["externalId"] == "e-1"
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{body['id']}")
    membership = _membership(body["id"])
    assert membership.organisation == cast.hospital
    assert membership.role == "viewer" and membership.is_active
    assert membership.user.name == "Anna Jansen"

    got = scim.get_user(body["id"])
    assert got.status == 200
    assert got.body["name"] == {
        "givenName": "Anna",
        "familyName": "Jansen",
        "formatted": "Anna Jansen",
    }

    found = scim.filter_user_name("Anna.Jansen@zh.test")  # userName is not case-exact
    assert found.status == 200
    assert found.body["schemas"] == [LIST]
    assert found.body["totalResults"] == 1
    assert [r["id"] for r in found.body["Resources"]] == [body["id"]]
    assert scim.filter_user_name("niemand@zh.test").body["totalResults"] == 0

    _error(scim.create_user("anna.jansen@zh.test"), 409, "uniqueness")
    assert AuditEvent.objects.filter(
        action="scim.user_created", organisation=cast.hospital, actor_label="scim"
    ).exists()


def test_patch_active_false_ends_the_membership_and_its_tokens_at_once(cast):
    scim = _scim(cast.hospital)
    body = scim.create_user("piet@zh.test").body
    membership = _membership(body["id"])
    # The same person also works for another care organisation: that stays as it is.
    elsewhere = member_add(organisation=cast.other_care, email="piet@zh.test", role="security")
    _token, key = api_token_create(membership=membership, name="GRC")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200

    # Entra ID sends booleans as text in PATCH operations.
    answer = scim.patch_user(body["id"], {"op": "Replace", "path": "active", "value": "False"})

    assert answer.status == 200
    assert answer.body["active"] is False
    membership.refresh_from_db()
    assert membership.is_active is False
    assert ApiToken.objects.get(membership=membership).revoked_at is not None
    assert api.get("/api/v1/me/").status_code == 401
    elsewhere.refresh_from_db()
    assert elsewhere.is_active and elsewhere.user.is_active
    assert AuditEvent.objects.filter(
        action="member.deactivated", object_id=str(membership.pk), actor_label="scim"
    ).exists()
    assert AuditEvent.objects.filter(action="scim.user_updated", after={"active": False}).exists()

    # Reactivated in the IdP: the membership returns (with a role from its groups), the old
    # token stays dead.
    answer = scim.patch_user(body["id"], {"op": "replace", "value": {"active": True}})
    assert answer.status == 200 and answer.body["active"] is True
    membership.refresh_from_db()
    assert membership.is_active and membership.role == "viewer"
    assert api.get("/api/v1/me/").status_code == 401


def test_deactivating_the_last_administrator_is_obeyed(cast):
    """The IdP deprovisions someone who left, even the organisation's only administrator."""
    scim = _scim(cast.other_care)
    body = scim.create_user("admin@andere.test").body  # links the existing membership
    membership = _membership(body["id"])
    assert membership == cast.other_care_admin and membership.role == "admin"
    assert (
        scim.patch_user(body["id"], {"op": "replace", "path": "active", "value": False}).status
        == 200
    )
    membership.refresh_from_db()
    assert not membership.is_active


def test_patch_attributes_and_put(cast):
    scim = _scim(cast.hospital)
    body = scim.create_user("kees@zh.test").body
    answer = scim.patch_user(
        body["id"],
        {"op": "replace", "path": "name.givenName", "value": "Kees"},
        {"op": "add", "path": "displayName", "value": "Kees de Vries"},
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "k.devries@zh.test"},
        {
            "op": "add",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "value": "ICT",
        },
    )
    assert answer.status == 200
    assert answer.body["name"]["givenName"] == "Kees"
    assert answer.body["displayName"] == "Kees de Vries"
    assert answer.body["emails"][0]["value"] == "k.devries@zh.test"
    put = scim.put_user(
        body["id"], {"schemas": [USER], "userName": "kees@zh.test", "active": False}
    )
    assert put.status == 200 and put.body["active"] is False
    assert not _membership(body["id"]).is_active
    # A PUT that leaves `active` out does not bring the membership back.
    put = scim.put_user(body["id"], {"schemas": [USER], "userName": "kees@zh.test"})
    assert put.status == 200 and put.body["active"] is False
    assert not _membership(body["id"]).is_active
    # The account's own e-mail address is not changed by one organisation's IdP.
    assert _membership(body["id"]).user.email == "kees@zh.test"


def test_group_membership_changes_the_role(cast):
    mapping_add(organisation=cast.hospital, group_name="KW-Security", role="security", actor=None)
    mapping_add(organisation=cast.hospital, group_name="KW-Admins", role="admin", actor=None)
    scim = _scim(cast.hospital)
    user_id = scim.create_user("els@zh.test").body["id"]
    assert _membership(user_id).role == "viewer"

    group = scim.create_group("kw-security", [user_id])  # names match case-insensitively
    assert group.status == 201
    assert group.body["members"][0]["value"] == user_id
    assert _membership(user_id).role == "security"
    assert scim.get_user(user_id).body["groups"][0]["display"] == "kw-security"

    removed = scim.patch_group(
        group.body["id"], {"op": "Remove", "path": f'members[value eq "{user_id}"]'}
    )
    assert removed.status == 204
    assert _membership(user_id).role == "viewer"
    assert scim.get_group(group.body["id"]).body["members"] == []

    added = scim.patch_group(
        group.body["id"], {"op": "Add", "path": "members", "value": [{"value": user_id}]}
    )
    assert added.status == 204
    assert _membership(user_id).role == "security"

    admins = scim.create_group("KW-Admins", [user_id]).body
    assert _membership(user_id).role == "admin"  # the most powerful of the mapped roles
    assert scim.delete_group(admins["id"]).status == 204
    assert _membership(user_id).role == "security"

    # Without its members (Entra ID asks like this)
    slim = scim.get_group(group.body["id"], "?excludedAttributes=members")
    assert slim.status == 200 and "members" not in slim.body
    assert AuditEvent.objects.filter(
        action="member.role_changed", actor_label="scim", after={"role": "admin"}
    ).exists()
    assert AuditEvent.objects.filter(action="scim.group_updated").count() == 2


def test_delete_user_deactivates_the_membership(cast):
    scim = _scim(cast.hospital)
    user_id = scim.create_user("weg@zh.test").body["id"]
    membership = _membership(user_id)
    assert scim.delete_user(user_id).status == 204
    membership.refresh_from_db()
    assert not membership.is_active
    _error(scim.get_user(user_id), 404)
    assert AuditEvent.objects.filter(action="scim.user_deleted").exists()
    # Provisioned again later: the same membership comes back.
    again = scim.create_user("weg@zh.test")
    assert again.status == 201
    assert _membership(again.body["id"]).pk == membership.pk


def test_pagination(cast):
    scim = _scim(cast.hospital)
    ids = [scim.create_user(f"p{i}@zh.test").body["id"] for i in range(3)]
    page = scim.find_users("startIndex=2&count=1").body
    assert page["totalResults"] == 3
    assert page["startIndex"] == 2 and page["itemsPerPage"] == 1
    assert [r["id"] for r in page["Resources"]] == [ids[1]]
    assert scim.find_users("count=0").body["Resources"] == []
    assert len(scim.find_users("startIndex=-4").body["Resources"]) == 3
    _error(scim.find_users("count=veel"), 400, "invalidValue")


def test_an_existing_member_is_linked_and_keeps_their_role(cast):
    scim = _scim(cast.hospital)
    body = scim.create_user("ciso@zh.test").body
    assert _membership(body["id"]) == cast.ciso
    assert _membership(body["id"]).role == "security"


def test_a_supplier_person_gets_only_a_care_membership(cast):
    scim = _scim(cast.hospital)
    body = scim.create_user("eigenaar@lev.test").body
    membership = _membership(body["id"])
    assert membership.organisation == cast.hospital and membership.role == "viewer"
    cast.supplier_owner.refresh_from_db()
    assert cast.supplier_owner.role == "owner" and cast.supplier_owner.is_active
    assert (
        scim.patch_user(body["id"], {"op": "replace", "path": "active", "value": False}).status
        == 200
    )
    cast.supplier_owner.refresh_from_db()
    assert cast.supplier_owner.is_active


def test_a_token_of_one_organisation_cannot_reach_another(cast):
    a, b = _scim(cast.hospital), _scim(cast.other_care)
    user_id = a.create_user("alleen.a@zh.test").body["id"]
    group_id = a.create_group("A-groep", [user_id]).body["id"]

    _error(b.get_user(user_id), 404)
    _error(b.patch_user(user_id, {"op": "replace", "path": "active", "value": False}), 404)
    _error(b.put_user(user_id, {"userName": "x@andere.test"}), 404)
    _error(b.delete_user(user_id), 404)
    _error(b.get_group(group_id), 404)
    _error(b.patch_group(group_id, {"op": "add", "path": "members", "value": []}), 404)
    _error(b.delete_group(group_id), 404)
    assert b.filter_user_name("alleen.a@zh.test").body["totalResults"] == 0
    assert b.find_users("").body["totalResults"] == 0
    assert b.get("/Groups").body["totalResults"] == 0
    # Putting A's person into B's group is refused like an id that does not exist.
    _error(b.create_group("B-groep", [user_id]), 400, "invalidValue")
    # The same person provisioned by B is a separate membership of B.
    b_id = b.create_user("alleen.a@zh.test").body["id"]
    assert _membership(b_id).organisation == cast.other_care
    assert b.delete_user(b_id).status == 204

    membership = _membership(user_id)
    assert membership.is_active and membership.organisation == cast.hospital
    assert a.get_group(group_id).body["members"][0]["value"] == user_id


def test_authentication(cast):
    _error(ScimClient("").get("/Users"), 401)
    _error(ScimClient("scim_wrong").get("/Users"), 401)
    token, key = scim_token_create(organisation=cast.hospital, name="t", actor=None)
    assert ScimClient(key).get("/Users").status == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.key_hash != key and key not in token.prefix + token.key_hash
    scim_token_revoke(token=token, actor=None)
    _error(ScimClient(key).get("/Users"), 401)
    # A browser session is no SCIM credential.
    assert _client(cast.care_admin).get("/scim/v2/Users").status_code == 403


@pytest.mark.parametrize(
    ("raw", "scim_type"),
    [
        ("{", "invalidSyntax"),
        ("[]", "invalidSyntax"),
        ('"text"', "invalidSyntax"),
        ("null", "invalidSyntax"),
        ("{}", "invalidValue"),
        ('{"userName": 42}', "invalidValue"),
        ('{"userName": "geen-adres"}', "invalidValue"),
        ('{"userName": "a@zh.test", "active": "misschien"}', "invalidValue"),
        ('{"userName": "a@zh.test", "emails": "a@zh.test"}', "invalidValue"),
        ('{"userName": "a@zh.test", "name": []}', "invalidValue"),
    ],
)
def test_malformed_user_bodies_are_400(cast, raw, scim_type):
    _error(_scim(cast.hospital).raw("post", "/Users", raw), 400, scim_type)
    assert not ScimUser.objects.exists()


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({}, "invalidSyntax"),
        ({"Operations": []}, "invalidSyntax"),
        ({"Operations": {"op": "replace"}}, "invalidSyntax"),
        ({"Operations": ["replace"]}, "invalidSyntax"),
        ({"Operations": [{"op": "move", "path": "active", "value": False}]}, "invalidSyntax"),
        ({"Operations": [{"op": "replace", "path": "a b", "value": 1}]}, "invalidPath"),
        ({"Operations": [{"op": "replace", "path": 7, "value": 1}]}, "invalidPath"),
        ({"Operations": [{"op": "remove", "path": "userName"}]}, "mutability"),
        ({"Operations": [{"op": "remove"}]}, "noTarget"),
        ({"Operations": [{"op": "replace", "value": "x"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "active", "value": 3}]}, "invalidValue"),
    ],
)
def test_malformed_patches_are_400(cast, body, scim_type):
    scim = _scim(cast.hospital)
    user_id = scim.create_user("m@zh.test").body["id"]
    _error(scim._send("patch", f"/Users/{user_id}", body), 400, scim_type)
    assert _membership(user_id).is_active


def test_malformed_group_requests_and_filters(cast):
    scim = _scim(cast.hospital)
    _error(scim.raw("post", "/Groups", '{"members": []}'), 400, "invalidValue")
    _error(scim.raw("post", "/Groups", '{"displayName": "G", "members": [1]}'), 400)
    _error(scim.create_group("G", ["not-a-uuid"]), 400, "invalidValue")
    group_id = scim.create_group("G").body["id"]
    _error(
        scim.patch_group(group_id, {"op": "add", "path": 'members[value eq "x"]', "value": []}),
        400,
        "invalidFilter",
    )
    _error(scim.find_users("filter=userName%20co%20%22a%22"), 400, "invalidFilter")
    _error(scim.find_users("filter=title%20eq%20%22a%22"), 400, "invalidFilter")
    _error(scim.get_user("not-a-uuid"), 404)
    _error(scim._send("delete", "/Users"), 405)
    wrong_type = scim.http.post("/scim/v2/Users", data="userName=x", content_type="text/plain")
    assert wrong_type.status_code == 415


def test_discovery_documents(cast):
    scim = _scim(cast.hospital)
    config = scim.get("/ServiceProviderConfig")
    assert config.status == 200 and config.body["patch"]["supported"] is True
    assert config.body["filter"]["supported"] is True
    assert config.body["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.get("/ResourceTypes").body
    assert {t["name"] for t in types["Resources"]} == {"User", "Group"}
    assert scim.get("/ResourceTypes/User").body["endpoint"] == "/Users"
    schemas = scim.get("/Schemas").body
    assert USER in {s["id"] for s in schemas["Resources"]}
    assert scim.get(f"/Schemas/{USER}").body["name"] == "User"
    _error(scim.get("/Schemas/urn:x"), 404)


def test_a_huge_body_is_refused_with_a_scim_error(cast):
    scim = _scim(cast.hospital)
    huge = json.dumps({"userName": "a@zh.test", "displayName": "x" * (6 * 1024 * 1024)})
    _error(scim.raw("post", "/Users", huge), 413)
    long_name = json.dumps({"userName": "a@zh.test", "displayName": "x" * 300})
    _error(scim.raw("post", "/Users", long_name), 400, "invalidValue")
    assert not ScimUser.objects.exists()
