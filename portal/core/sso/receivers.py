"""After an SSO sign-in the organisation of the identity provider is the active one (also when
allauth signed someone else out first, or asked for a TOTP code in between)."""

from __future__ import annotations

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from portal.core.accounts.middleware import SESSION_KEY
from portal.core.accounts.models import Membership

from . import selectors


@receiver(user_logged_in)
def activate_sso_organisation(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None or request is None:
        return
    config = selectors.configuration_for_provider(sociallogin.account.provider)
    if config is None:
        return
    membership = (
        Membership.objects.active().filter(user=user, organisation=config.organisation).first()
    )
    if membership is not None:
        request.session[SESSION_KEY] = membership.pk
