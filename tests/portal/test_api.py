"""API conventions: token auth bound to one membership, the error format, schema and docs."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.core.accounts.models import ApiToken
from portal.core.accounts.services import api_token_create, api_token_revoke, member_add
from tests.conftest import client_for


def test_me_with_token(cast, as_api):
    response = as_api(cast.ciso).get(reverse("api-me"))
    assert response.status_code == 200
    assert response.json() == {
        "user": {"id": cast.ciso.user.pk, "email": "ciso@zh.test", "name": "", "language": "nl"},
        "organisation": {
            "id": cast.hospital.pk,
            "slug": "ziekenhuis",
            "name": "Ziekenhuis Test",
            "kind": "care",
        },
        "role": "security",
    }


def test_token_acts_for_its_own_organisation_only(cast):
    second = member_add(organisation=cast.other_care, email=cast.ciso.user.email, role="viewer")
    _t, key = api_token_create(membership=second, name="tweede")
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api-me"))
    assert response.json()["organisation"]["slug"] == "andere-zorg"
    assert response.json()["role"] == "viewer"


def test_session_api_uses_active_membership(cast):
    response = client_for(cast.supplier_owner).get(reverse("api-me"))
    assert response.json()["organisation"]["kind"] == "supplier"


def test_bad_or_revoked_token_is_401_in_error_format(cast):
    response = Client(HTTP_AUTHORIZATION="Token nope").get(reverse("api-me"))
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}
    token, key = api_token_create(membership=cast.ciso, name="x")
    api_token_revoke(token=token, actor=cast.ciso.user)
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api-me")).status_code == 401


def test_token_of_deactivated_member_stops_working(cast, as_api):
    client = as_api(cast.viewer)
    cast.viewer.is_active = False
    cast.viewer.save()
    assert client.get(reverse("api-me")).status_code == 401


def test_token_is_stored_hashed(cast):
    token, key = api_token_create(membership=cast.ciso, name="x")
    assert key not in token.key_hash
    assert ApiToken.objects.get(pk=token.pk).key_hash == ApiToken.hash_key(key)


def test_token_created_on_settings_page(cast):
    client = client_for(cast.ciso)
    response = client.post(reverse("user_settings"), {"action": "token", "name": "SIEM"})
    key = response.context["new_key"]
    assert ApiToken.objects.get(membership=cast.ciso, name="SIEM")
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api-me")).status_code == 200


def test_create_api_token_command_prints_working_key(cast, capsys):
    call_command("create_api_token", "ciso@zh.test", "ziekenhuis")
    key = capsys.readouterr().out.strip()
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api-me")).status_code == 200


def test_schema_and_docs_are_served_without_cdn(db):
    client = Client()
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    for external in ("cdn.", "unpkg", "jsdelivr", "googleapis"):
        assert external not in docs


def test_unknown_api_path_404_json(cast, as_api):
    response = as_api(cast.ciso).get("/api/v1/nothing-here/")
    assert response.status_code == 404
