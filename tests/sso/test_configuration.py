"""Issue 18 §1: the administrator's SSO configuration, on the page and through the API."""

from __future__ import annotations

import json

from django.urls import reverse

from portal.core.audit.models import AuditEvent
from portal.core.audit.services import audit_record
from portal.core.sso.adapter import SocialAccountAdapter
from portal.core.sso.models import SsoConfiguration
from tests.conftest import api_client_for, client_for

SECRET = "super-geheim-client-secret-123"  # noqa: S105 - a test value

FORM = {
    "issuer": "https://login.microsoftonline.com/tenant-id/v2.0",
    "client_id": "ketenwacht-app",
    "secret": SECRET,
    "email_domains": "zh.test, @Ziekenhuis.nl",
    "create_on_first_sign_in": "on",
    "is_active": "on",
}


def _sso_has_worked(cast) -> None:
    audit_record(action="sso.signed_in", organisation=cast.hospital, actor=cast.ciso.user)


def test_admin_configures_and_the_secret_is_never_shown_again(cast):
    client = client_for(cast.care_admin)
    page = client.get(reverse("sso_settings"))
    assert page.status_code == 200
    assert b"/accounts/oidc/kw-ziekenhuis/login/callback/" in page.content

    saved = client.post(reverse("sso_settings"), FORM)
    assert saved.status_code == 302
    config = SsoConfiguration.objects.get(organisation=cast.hospital)
    assert config.email_domains == ["zh.test", "ziekenhuis.nl"]
    assert config.secret == SECRET
    assert SECRET not in config.secret_encrypted  # stored encrypted
    again = client.get(reverse("sso_settings"))
    assert SECRET.encode() not in again.content
    assert b"ketenwacht-app" in again.content
    event = AuditEvent.objects.get(action="sso.configured", organisation=cast.hospital)
    assert SECRET not in json.dumps(event.after)

    # requiring SSO only once it has worked (nobody locked out by a wrong setting)
    early = client.post(reverse("sso_settings"), {**FORM, "required": "on"})
    assert early.status_code == 200 and b"Sign in through single sign-on once" in early.content
    _sso_has_worked(cast)

    # saving without a secret keeps the stored one
    keep = client.post(reverse("sso_settings"), {**FORM, "secret": "", "required": "on"})
    assert keep.status_code == 302
    config.refresh_from_db()
    assert config.secret == SECRET and config.required


def test_the_adapter_lists_one_app_per_active_configuration(cast):
    client_for(cast.care_admin).post(reverse("sso_settings"), FORM)
    apps = SocialAccountAdapter().list_apps(None)
    assert [(a.provider, a.provider_id, a.client_id) for a in apps] == [
        ("openid_connect", "kw-ziekenhuis", "ketenwacht-app")
    ]
    assert apps[0].settings["server_url"] == FORM["issuer"]
    SsoConfiguration.objects.update(is_active=False)
    assert SocialAccountAdapter().list_apps(None) == []


def test_bad_input_and_a_domain_of_another_organisation(cast):
    client = client_for(cast.care_admin)
    bad = client.post(reverse("sso_settings"), {**FORM, "email_domains": "not a domain!"})
    assert bad.status_code == 200 and b"is not a domain name" in bad.content
    no_secret = client.post(reverse("sso_settings"), {**FORM, "secret": ""})
    assert no_secret.status_code == 200 and b"Enter the client secret" in no_secret.content
    assert client.post(reverse("sso_settings"), FORM).status_code == 302
    other = client_for(cast.other_care_admin).post(reverse("sso_settings"), FORM)
    assert other.status_code == 200 and b"Another organisation already uses" in other.content
    assert not SsoConfiguration.objects.filter(organisation=cast.other_care).exists()


def test_a_domain_of_people_of_another_organisation_cannot_be_claimed(cast):
    """The other care organisation may not claim zh.test: its identity provider could then sign
    the hospital's people in."""
    answer = client_for(cast.other_care_admin).post(
        reverse("sso_settings"), {**FORM, "email_domains": "zh.test"}
    )
    assert answer.status_code == 200
    assert b"People of other organisations" in answer.content
    supplier_domain = client_for(cast.care_admin).post(
        reverse("sso_settings"), {**FORM, "email_domains": "zh.test, lev.test"}
    )
    assert b"lev.test" in supplier_domain.content
    assert not SsoConfiguration.objects.exists()


def test_only_the_care_admin(cast):
    settings_page = client_for(cast.care_admin).get(reverse("user_settings"))
    assert reverse("sso_settings").encode() in settings_page.content
    assert (
        reverse("sso_settings").encode()
        not in client_for(cast.ciso).get(reverse("user_settings")).content
    )
    for who in (cast.ciso, cast.viewer, cast.supplier_owner):
        assert client_for(who).get(reverse("sso_settings")).status_code == 403
        assert api_client_for(who).get(reverse("api-sso")).status_code == 403


def test_api_configuration_secret_write_only(cast):
    _sso_has_worked(cast)
    api = api_client_for(cast.care_admin)
    empty = api.get(reverse("api-sso")).json()
    assert empty["configured"] is False
    assert empty["redirect_uri"].endswith("/accounts/oidc/kw-ziekenhuis/login/callback/")
    body = {
        "issuer": "https://keycloak.example.nl/realms/zorg",
        "client_id": "ketenwacht",
        "secret": SECRET,
        "email_domains": ["zh.test"],
        "required": True,
    }
    put = api.put(reverse("api-sso"), json.dumps(body), content_type="application/json")
    assert put.status_code == 200, put.content
    answer = put.json()
    assert answer["configured"] and answer["has_secret"] and answer["required"]
    assert "secret" not in answer and SECRET not in put.content.decode()
    assert SsoConfiguration.objects.get(organisation=cast.hospital).secret == SECRET

    for wrong in ([], {"issuer": 5}, {**body, "email_domains": "zh.test"}):
        bad = api.put(reverse("api-sso"), json.dumps(wrong), content_type="application/json")
        assert bad.status_code == 400, (wrong, bad.content)
