"""The allauth social-account adapter: identity providers come from the database (one per care
organisation with SSO), and every SSO sign-in goes through the organisation's policy."""

from __future__ import annotations

import hmac

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors, services

OIDC = "openid_connect"


def social_app(config) -> SocialApp:
    """An unsaved allauth app for a configuration (allauth 65 accepts apps from `list_apps`)."""
    return SocialApp(
        provider=OIDC,
        provider_id=config.provider_id,
        name=config.organisation.name,
        client_id=config.client_id,
        secret=config.secret,
        settings={
            "server_url": config.issuer,
            "oauth_pkce_enabled": True,
            "fetch_userinfo": True,
            "scope": ["openid", "profile", "email"],
        },
    )


def _refuse(request, *, organisation, reason: str, message: str, email: str = ""):
    services.record_refusal(organisation=organisation, reason=reason, email=email, request=request)
    raise ImmediateHttpResponse(
        render(
            request,
            "sso/refused.html",
            {"message": message, "organisation": organisation},
            status=403,
        )
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        apps = []
        for config in selectors.active_configurations():
            if provider and provider not in (OIDC, config.provider_id):
                continue
            if client_id and client_id != config.client_id:
                continue
            apps.append(social_app(config))
        return apps

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False  # people are created by `services.sign_in_member` or by invitation

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def can_authenticate_by_email(self, login, email) -> bool:
        return False  # matching by e-mail is the organisation's policy below, not allauth's

    def pre_social_login(self, request, sociallogin) -> None:
        config = selectors.configuration_for_provider(sociallogin.account.provider)
        if config is None:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "sso/refused.html",
                    {"message": _("Single sign-on is not set up for this organisation.")},
                    status=403,
                )
            )
        data = sociallogin.account.extra_data or {}
        id_token = data.get("id_token") or {}
        claims = {**id_token, **(data.get("userinfo") or {})}
        email = str(claims.get("email") or "")
        organisation = config.organisation
        state = sociallogin.state or {}
        if state.get("process") not in (None, "login"):
            _refuse(
                request,
                organisation=organisation,
                reason="process",
                message=_("Sign in through single sign-on from the sign-in page."),
                email=email,
            )
        expected, got = str(state.get("nonce") or ""), str(id_token.get("nonce") or "")
        if not expected or not hmac.compare_digest(expected, got):
            _refuse(
                request,
                organisation=organisation,
                reason="nonce",
                message=_("The answer of your identity provider could not be checked."),
                email=email,
            )
        if id_token.get("sub") and str(claims.get("sub")) != str(id_token.get("sub")):
            _refuse(
                request,
                organisation=organisation,
                reason="subject_mismatch",
                message=_("The answer of your identity provider could not be checked."),
                email=email,
            )
        linked = sociallogin.user if sociallogin.is_existing else None
        try:
            membership = services.sign_in_member(
                config=config, claims=claims, linked_user=linked, request=request
            )
        except services.SsoRefused as refused:
            _refuse(
                request,
                organisation=organisation,
                reason=refused.reason,
                message=refused.message,
                email=email,
            )
        if not sociallogin.is_existing:
            sociallogin.user = membership.user
            sociallogin.save(request, connect=True)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """A failed handshake (unknown, expired or replayed state; a refused code exchange; a
        bad ID token) is audited for the organisation and shown as a refusal."""
        provider_id = getattr(getattr(provider, "app", None), "provider_id", "")
        config = selectors.configuration_for_provider(provider_id)
        if config is not None:
            reason = str(error or "error")
            if extra_context and "state" not in extra_context and "state_id" in extra_context:
                reason = "state"
            services.record_refusal(
                organisation=config.organisation, reason=reason[:60], request=request
            )
        raise ImmediateHttpResponse(
            render(
                request,
                "sso/refused.html",
                {
                    "message": _(
                        "Signing in through your identity provider did not succeed. "
                        "Start again from the sign-in page."
                    ),
                    "organisation": config.organisation if config else None,
                },
                status=403,
            )
        )
