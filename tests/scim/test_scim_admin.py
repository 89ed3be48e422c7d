"""SCIM 2.0 provisioning (issue 18 §2), the administrator's side: tokens and the group table on
the page and in the API, supplier organisations refused, erasure and export."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from portal.core.accounts.models import Membership
from portal.core.audit.models import AuditEvent
from portal.core.scim.models import ScimToken, ScimUser
from portal.core.scim.services import mapping_add, scim_token_create
from portal.top.privacy.erasure import person_erase
from tests.conftest import api_client_for
from tests.conftest import client_for as _client
from tests.scim.client import CT, ERROR, ScimClient

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


def test_a_supplier_cannot_get_a_scim_token(cast):
    with pytest.raises(ValidationError):
        scim_token_create(organisation=cast.supplier, name="IdP", actor=None)
    response = _client(cast.supplier_owner).post(
        "/org/provisioning/", {"action": "token", "name": "IdP"}
    )
    assert response.status_code == 403
    assert not ScimToken.objects.filter(organisation=cast.supplier).exists()
    # Even a token row put on a supplier by hand does not work.
    key = ScimToken.new_key()
    ScimToken.objects.create(
        organisation=cast.supplier, name="x", prefix=key[:12], key_hash=ScimToken.hash_key(key)
    )
    _error(ScimClient(key).create_user("x@lev.test"), 403)
    assert not ScimUser.objects.exists()


def test_the_administrator_creates_and_revokes_a_token_on_the_page(cast):
    page = _client(cast.care_admin)
    response = page.post("/org/provisioning/", {"action": "token", "name": "Entra ID"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("scim_") and key.encode() in response.content
    token = ScimToken.objects.get(organisation=cast.hospital)
    assert token.key_hash == ScimToken.hash_key(key)
    assert key.encode() not in page.get("/org/provisioning/").content  # shown once
    assert ScimClient(key).get("/Users").status == 200

    assert page.get(f"/org/provisioning/tokens/{token.pk}/revoke/").status_code == 200
    assert page.post(f"/org/provisioning/tokens/{token.pk}/revoke/").status_code == 302
    _error(ScimClient(key).get("/Users"), 401)
    assert (
        AuditEvent.objects.filter(
            action__in=("scim.token_created", "scim.token_revoked"), actor=cast.care_admin.user
        ).count()
        == 2
    )


def test_the_group_table_on_the_page_changes_roles(cast):
    scim = _scim(cast.hospital)
    user_id = scim.create_user("jan@zh.test").body["id"]
    scim.create_group("Inkoop", [user_id])
    page = _client(cast.care_admin)
    response = page.post(
        "/org/provisioning/", {"action": "mapping", "group_name": "Inkoop", "role": "procurement"}
    )
    assert response.status_code == 302
    assert _membership(user_id).role == "procurement"
    # The same group twice, or a supplier role: refused on the form.
    again = page.post(
        "/org/provisioning/", {"action": "mapping", "group_name": "inkoop", "role": "admin"}
    )
    assert again.status_code == 200 and again.context["mapping_form"].errors
    owner = page.post(
        "/org/provisioning/", {"action": "mapping", "group_name": "X", "role": "owner"}
    )
    assert owner.status_code == 200 and owner.context["mapping_form"].errors
    listing = page.get("/org/provisioning/")
    assert b"Inkoop" in listing.content
    mapping = listing.context["mappings"][0]
    assert page.post(f"/org/provisioning/mappings/{mapping.pk}/delete/").status_code == 302
    assert _membership(user_id).role == "viewer"
    assert AuditEvent.objects.filter(action="scim.mapping_deleted").exists()
    # Another organisation's administrator cannot delete it (404).
    mapping = mapping_add(
        organisation=cast.hospital, group_name="Bestuur", role="board", actor=None
    )
    other = _client(cast.other_care_admin)
    assert other.post(f"/org/provisioning/mappings/{mapping.pk}/delete/").status_code == 404


def test_the_api_manages_tokens_and_the_group_table(cast):
    api = api_client_for(cast.care_admin)
    created = api.post(
        "/api/v1/scim/tokens/", data=json.dumps({"name": "Entra"}), content_type="application/json"
    )
    assert created.status_code == 201
    key = created.json()["token"]
    assert ScimClient(key).get("/Users").status == 200
    listed = api.get("/api/v1/scim/tokens/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["name"] for r in rows] == ["Entra"] and "token" not in rows[0]  # shown once
    assert key not in json.dumps(listed)

    scim = ScimClient(key)
    user_id = scim.create_user("via.api@zh.test").body["id"]
    scim.create_group("Security", [user_id])
    mapped = api.post(
        "/api/v1/scim/group-roles/",
        data=json.dumps({"group_name": "Security", "role": "security"}),
        content_type="application/json",
    )
    assert mapped.status_code == 201
    assert _membership(user_id).role == "security"
    supplier_role = api.post(
        "/api/v1/scim/group-roles/",
        data=json.dumps({"group_name": "X", "role": "owner"}),
        content_type="application/json",
    )
    assert supplier_role.status_code == 400
    assert api.delete(f"/api/v1/scim/group-roles/{mapped.json()['id']}/").status_code == 204
    assert _membership(user_id).role == "viewer"

    token_id = created.json()["id"]
    assert (
        api_client_for(cast.other_care_admin).delete(f"/api/v1/scim/tokens/{token_id}/").status_code
        == 404
    )
    assert (
        api_client_for(cast.supplier_owner)
        .post("/api/v1/scim/tokens/", data="{}", content_type="application/json")
        .status_code
        == 403
    )
    assert api.delete(f"/api/v1/scim/tokens/{token_id}/").status_code == 204
    _error(ScimClient(key).get("/Users"), 401)


def test_erasing_a_person_removes_the_identity_providers_record(cast):
    scim = _scim(cast.hospital)
    user_id = scim.create_user("vergeet.mij@zh.test", given="Vera", family="Vergeet").body["id"]
    user = _membership(user_id).user
    person_erase(user=user, confirmation="vergeet.mij@zh.test")
    assert not ScimUser.objects.filter(scim_id=user_id).exists()
    _error(scim.get_user(user_id), 404)
    assert scim.filter_user_name("vergeet.mij@zh.test").body["totalResults"] == 0


def test_the_organisation_export_holds_the_provisioning_records(cast):
    import io
    import zipfile

    from portal.top.privacy.export import organisation_export

    scim = _scim(cast.hospital)
    user_id = scim.create_user("in.export@zh.test").body["id"]
    scim.create_group("KW-Lezers", [user_id])
    mapping_add(organisation=cast.hospital, group_name="KW-Lezers", role="viewer", actor=None)
    _scim(cast.other_care).create_user("niet.in.export@andere.test")
    buf = io.BytesIO()
    organisation_export(organisation=cast.hospital, out=buf)
    archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    text = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "replace")
    assert "in.export@zh.test" in text and "KW-Lezers" in text
    assert "niet.in.export@andere.test" not in text
    assert ScimToken.objects.get(organisation=cast.hospital).key_hash not in text
