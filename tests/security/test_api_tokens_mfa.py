"""API tokens respect "require two-factor authentication" (a token was a way around it)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from tests.conftest import api_client_for


def _totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def test_a_token_is_refused_until_mfa_is_set_up_then_works_again(cast):
    api = api_client_for(cast.ciso)
    assert api.get("/api/v1/me/").status_code == 200
    cast.hospital.mfa_required = True
    cast.hospital.save()
    for url in ("/api/v1/me/", "/api/v1/relationships/", "/api/v1/assessments/"):
        refused = api.get(url)
        assert refused.status_code == 401, url
        assert refused.json()["detail"]
    _totp(cast.ciso.user)
    assert api.get("/api/v1/me/").status_code == 200


def test_a_suppliers_token_is_refused_when_a_customer_requires_mfa(cast):
    from tests.access import _relationship

    _relationship(cast)  # the hospital works with the cast's supplier
    api = api_client_for(cast.supplier_owner)
    assert api.get("/api/v1/assessments/").status_code == 200
    cast.hospital.mfa_required = True
    cast.hospital.save()
    assert api.get("/api/v1/assessments/").status_code == 401
    # another supplier, not linked to that hospital, is not affected
    assert api_client_for(cast.other_supplier_owner).get("/api/v1/me/").status_code == 200
    _totp(cast.supplier_owner.user)
    assert api.get("/api/v1/assessments/").status_code == 200
