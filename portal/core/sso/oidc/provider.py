"""allauth's OpenID Connect provider with a nonce and a verified ID token signature.

allauth's generic provider sends neither a nonce nor checks the ID token's signature when the
token came straight from the token endpoint. This subclass (registered through
SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"]) sends a fresh nonce with every
authorization request, keeps it in allauth's one-time state, and its adapter always verifies the
ID token against the provider's JWKS; the adapter of portal.core.sso then compares the nonce.
"""

from __future__ import annotations

import secrets

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter


class VerifyingOIDCAdapter(OpenIDConnectOAuth2Adapter):
    @property
    def openid_config(self):
        config = super().openid_config
        configured = self.get_provider().app.settings["server_url"].rstrip("/")
        if str(config.get("issuer", "")).rstrip("/") != configured:
            raise OAuth2Error("The discovery document names another issuer")
        return config

    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class NonceOIDCProvider(OpenIDConnectProvider):
    package = "portal.core.sso.oidc"  # allauth includes this package's urls.py
    oauth2_adapter_class = VerifyingOIDCAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


provider_classes: list = []  # registered through the setting, not as a second provider
