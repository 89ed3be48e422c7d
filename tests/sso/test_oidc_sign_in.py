"""Issue 18 §1: single sign-on end to end against a real OpenID Connect provider on loopback.

The provider (tests/sso/oidc_provider.py) runs an HTTP server in a thread; the portal reads its
discovery document and JWKS, exchanges the code with PKCE over HTTP and checks state and nonce.
Nothing of the handshake is mocked.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core.accounts.models import Membership, User
from portal.core.accounts.services import invitation_create
from portal.core.accounts.services.people import member_add
from portal.core.audit.models import AuditEvent
from portal.core.notifications.models import Notification
from portal.core.sso.services import configuration_save
from tests.conftest import PASSWORD, client_for

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture(scope="module")
def idp():
    provider = Provider().start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(cast, idp, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    idp.tamper_nonce = False
    idp.authorize_requests.clear()
    idp.token_requests.clear()
    idp.refused.clear()
    idp.user = _claims("ciso@zh.test")
    return configuration_save(
        organisation=cast.hospital,
        actor=cast.care_admin.user,
        issuer=idp.issuer,
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        email_domains=["zh.test"],
        create_on_first_sign_in=False,
        required=False,
        is_active=True,
    )


def _claims(email: str, *, verified=True, sub: str | None = None) -> dict:
    return {
        "sub": sub or f"sub-{email}",
        "email": email,
        "email_verified": verified,
        "name": "Test Persoon",
    }


def _to_provider(client: Client, email: str) -> str:
    """Start at the SSO page; follow the redirect to the provider's authorize endpoint (a real
    HTTP request) and return the callback URL it sends the browser back to."""
    start = client.post(reverse("sso_start"), {"email": email})
    assert start.status_code == 302, start.content[:500]
    assert start["Location"].startswith(f"{_idp_issuer(start)}/authorize?")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def _idp_issuer(response) -> str:
    url = urlsplit(response["Location"])
    return f"{url.scheme}://{url.netloc}"


def _refusals(org, reason: str) -> int:
    return AuditEvent.objects.filter(
        organisation=org, action="sso.refused", after__reason=reason
    ).count()


def _signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_sign_in_with_pkce_state_and_nonce(cast, sso, idp):
    # the CISO also works for another care organisation: matched by the verified address
    other = member_add(organisation=cast.other_care, email="ciso@zh.test", role="viewer")
    client = Client()
    callback = _to_provider(client, "ciso@zh.test")

    sent = idp.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and sent["code_challenge"]
    assert len(sent["nonce"]) >= 32 and sent["state"]
    assert set(sent["scope"].split()) >= {"openid", "email", "profile"}
    assert parse_qs(urlsplit(callback).query)["state"] == [sent["state"]]

    done = client.get(callback)
    assert done.status_code == 302, done.content[:800]
    assert _signed_in_user(client) == cast.ciso.user.pk
    assert client.session["active_membership_id"] == cast.ciso.pk != other.pk
    # the code was exchanged over HTTP with the PKCE verifier and the client secret
    assert len(idp.token_requests) == 1 and idp.token_requests[0]["code_verifier"]
    assert not idp.refused
    assert SocialAccount.objects.get(user=cast.ciso.user).provider == sso.provider_id
    event = AuditEvent.objects.get(organisation=cast.hospital, action="sso.signed_in")
    assert event.actor_id == cast.ciso.user.pk and event.after["issuer"] == idp.issuer
    assert client.get(reverse("home")).status_code == 200

    # a second sign-in goes through the linked account
    again = Client()
    assert again.get(_to_provider(again, "ciso@zh.test")).status_code == 302
    assert _signed_in_user(again) == cast.ciso.user.pk
    assert AuditEvent.objects.filter(action="sso.signed_in").count() == 2


def test_sign_in_while_signed_in_as_someone_else(cast, sso, idp):
    member_add(organisation=cast.other_care, email="ciso@zh.test", role="viewer")
    client = client_for(cast.supplier_owner)
    done = client.get(_to_provider(client, "ciso@zh.test"))
    assert done.status_code == 302
    assert _signed_in_user(client) == cast.ciso.user.pk
    assert client.session["active_membership_id"] == cast.ciso.pk


def test_a_person_with_totp_still_gives_the_code(cast, sso, idp):
    Authenticator.objects.create(
        user=cast.ciso.user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client = Client()
    done = client.get(_to_provider(client, "ciso@zh.test"))
    assert done.status_code == 302 and done["Location"] == reverse("mfa_authenticate")
    assert _signed_in_user(client) is None


def test_foreign_domain_refused(cast, sso, idp):
    idp.user = _claims("admin@andere.test")
    client = Client()
    done = client.get(_to_provider(client, "ciso@zh.test"))
    assert done.status_code == 403
    assert "niet inloggen via single sign-on" in done.content.decode()  # Dutch: the default
    assert _signed_in_user(client) is None
    assert _refusals(cast.hospital, "foreign_domain") == 1
    assert not SocialAccount.objects.exists()


def test_unverified_email_refused(cast, sso, idp):
    idp.user = _claims("ciso@zh.test", verified=False)
    client = Client()
    assert client.get(_to_provider(client, "ciso@zh.test")).status_code == 403
    assert _signed_in_user(client) is None
    assert _refusals(cast.hospital, "unverified_email") == 1


def test_entra_xms_edov_counts_as_verified(cast, sso, idp):
    idp.user = {**_claims("ciso@zh.test"), "email_verified": None, "xms_edov": True}
    idp.user.pop("email_verified")
    client = Client()
    assert client.get(_to_provider(client, "ciso@zh.test")).status_code == 302
    assert _signed_in_user(client) == cast.ciso.user.pk


def test_disabled_membership_refused(cast, sso, idp):
    Membership.objects.filter(pk=cast.viewer.pk).update(is_active=False)
    idp.user = _claims("lezer@zh.test")
    client = Client()
    done = client.get(_to_provider(client, "lezer@zh.test"))
    assert done.status_code == 403
    assert _signed_in_user(client) is None
    assert _refusals(cast.hospital, "membership_disabled") == 1


def test_replayed_state_refused(cast, sso, idp):
    client = Client()
    callback = _to_provider(client, "ciso@zh.test")
    assert client.get(callback).status_code == 302
    client.logout()
    replay = client.get(callback)
    assert replay.status_code == 403
    assert _signed_in_user(client) is None
    assert len(idp.token_requests) == 1  # the replay never reached the provider
    assert _refusals(cast.hospital, "state") == 1


def test_state_from_another_browser_refused(cast, sso, idp):
    callback = _to_provider(Client(), "ciso@zh.test")
    attacker = Client()
    assert attacker.get(callback).status_code == 403
    assert _signed_in_user(attacker) is None
    assert not idp.token_requests


def test_expired_state_refused(cast, sso, idp):
    client = Client()
    callback = _to_provider(client, "ciso@zh.test")
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=True):
        done = client.get(callback)
    assert done.status_code == 403
    assert _signed_in_user(client) is None
    assert not idp.token_requests
    assert _refusals(cast.hospital, "state") == 1


def test_wrong_nonce_refused(cast, sso, idp):
    idp.tamper_nonce = True
    client = Client()
    assert client.get(_to_provider(client, "ciso@zh.test")).status_code == 403
    assert _signed_in_user(client) is None
    assert _refusals(cast.hospital, "nonce") == 1


def test_id_token_signed_with_another_key_refused(cast, sso, idp):
    idp.foreign_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    try:
        client = Client()
        assert client.get(_to_provider(client, "ciso@zh.test")).status_code == 403
    finally:
        idp.foreign_key = None
    assert _signed_in_user(client) is None
    assert len(idp.token_requests) == 1  # the exchange happened; the signature failed
    assert AuditEvent.objects.filter(organisation=cast.hospital, action="sso.refused").exists()
    assert not AuditEvent.objects.filter(action="sso.signed_in").exists()


def test_not_invited_refused_when_creation_is_off(cast, sso, idp):
    idp.user = _claims("nieuw@zh.test")
    client = Client()
    assert client.get(_to_provider(client, "nieuw@zh.test")).status_code == 403
    assert not User.objects.filter(email="nieuw@zh.test").exists()
    assert _refusals(cast.hospital, "not_invited") == 1


def test_an_invited_person_joins_with_the_invited_role(cast, sso, idp):
    invitation, _token = invitation_create(
        organisation=cast.hospital,
        email="uitgenodigd@zh.test",
        role="procurement",
        actor=cast.care_admin.user,
    )
    idp.user = _claims("uitgenodigd@zh.test")
    client = Client()
    assert client.get(_to_provider(client, "uitgenodigd@zh.test")).status_code == 302
    membership = Membership.objects.get(user__email="uitgenodigd@zh.test")
    assert (membership.organisation, membership.role) == (cast.hospital, "procurement")
    assert _signed_in_user(client) == membership.user_id
    invitation.refresh_from_db()
    assert invitation.accepted_by == membership.user


def test_first_sign_in_creates_a_viewer_and_tells_the_admin(cast, sso, idp):
    sso.create_on_first_sign_in = True
    sso.save()
    idp.user = _claims("nieuw@zh.test")
    client = Client()
    assert client.get(_to_provider(client, "nieuw@zh.test")).status_code == 302
    user = User.objects.get(email="nieuw@zh.test")
    assert _signed_in_user(client) == user.pk
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (cast.hospital, "viewer")
    assert not user.has_usable_password()
    note = Notification.objects.get(user=cast.care_admin.user, kind="sso.member_created")
    assert "nieuw@zh.test" in note.subject
    assert AuditEvent.objects.filter(action="sso.member_created", organisation=cast.hospital)


def test_first_sign_in_never_adds_someone_of_another_organisation(cast, sso, idp):
    """An existing account (here a person of the other care organisation whose address falls in
    the domain) is never joined by the identity provider: it must be invited."""
    sso.create_on_first_sign_in = True
    sso.save()
    member_add(organisation=cast.other_care, email="extern@zh.test", role="admin")
    idp.user = _claims("extern@zh.test")
    client = Client()
    assert client.get(_to_provider(client, "extern@zh.test")).status_code == 403
    assert _signed_in_user(client) is None
    assert not Membership.objects.filter(
        user__email="extern@zh.test", organisation=cast.hospital
    ).exists()
    assert _refusals(cast.hospital, "not_invited") == 1


def test_sso_required_blocks_password_and_code_sign_in(cast, sso, idp):
    sso.required = True
    sso.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    refused = client.post(reverse("account_login"), {"login": "ciso@zh.test", "password": PASSWORD})
    assert refused.status_code == 200
    assert b"signs in with single sign-on" in refused.content
    assert reverse("sso_start").encode() in refused.content
    assert _signed_in_user(client) is None
    code = client.post(reverse("account_request_login_code"), {"email": "ciso@zh.test"})
    assert code.status_code == 200 and b"signs in with single sign-on" in code.content
    assert AuditEvent.objects.filter(action="sso.password_refused").count() == 2

    # supplier people keep their e-mail sign-in; SSO still works for the hospital
    supplier = Client()
    ok = supplier.post(
        reverse("account_login"), {"login": "eigenaar@lev.test", "password": PASSWORD}
    )
    assert ok.status_code == 302 and _signed_in_user(supplier) == cast.supplier_owner.user.pk
    sso_client = Client()
    assert sso_client.get(_to_provider(sso_client, "ciso@zh.test")).status_code == 302
    assert _signed_in_user(sso_client) == cast.ciso.user.pk


def test_an_invitation_to_an_sso_required_domain_asks_for_no_password(cast, sso, idp):
    sso.required = True
    sso.save()
    invitation, token = invitation_create(
        organisation=cast.hospital, email="nieuw@zh.test", role="viewer", actor=None
    )
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("invitation_accept", args=[token]))
    assert page.status_code == 200
    assert b"password" not in page.content.lower().replace(b"you do not need a password", b"")
    assert reverse("sso_start").encode() in page.content
    # the first SSO sign-in accepts it
    idp.user = _claims("nieuw@zh.test")
    assert client.get(_to_provider(client, "nieuw@zh.test")).status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_get_to_the_login_url_does_not_start_a_sign_in(cast, sso, idp):
    """Login CSRF: only a POST (with the CSRF token) sends the browser to the provider."""
    url = reverse("openid_connect_login", kwargs={"provider_id": sso.provider_id})
    page = Client().get(url)
    assert page.status_code == 200
    assert not idp.authorize_requests
    unknown = reverse("openid_connect_login", kwargs={"provider_id": "kw-andere-zorg"})
    assert Client().get(unknown).status_code == 404


def test_sso_start_without_configuration(cast, sso):
    answer = Client().post(reverse("sso_start"), {"email": "eigenaar@lev.test"})
    assert answer.status_code == 200
    assert "Voor dit adres is geen single sign-on ingesteld" in answer.content.decode()
