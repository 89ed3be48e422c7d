"""API authentication: personal tokens (`Authorization: Token <key>`) bound to one membership."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from portal.core.accounts.models import ApiToken
from portal.core.accounts.selectors import mfa_setup_needed


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        token = (
            ApiToken.objects.select_related("membership__user", "membership__organisation")
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is not None and token.revoked_at is None and not token.is_usable:
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s. Create a new one on your settings page.")
                % {"date": date_format(timezone.localtime(token.expires_at), "DATE_FORMAT")}
            )
        if (
            token is None
            or not token.is_usable
            or not token.membership.is_active
            or not token.membership.user.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if mfa_setup_needed(token.membership.user):
            # The browser holds such a person on the set-up page; a token must not be a way
            # around it (the MFA middleware runs before DRF has authenticated the token).
            raise exceptions.AuthenticationFailed(
                _(
                    "Two-factor authentication is required for your organisation or one of its "
                    "customers: set it up in the portal first; this token works again after that."
                )
            )
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The token decides the organisation and role, whatever the session says.
        django_request = request._request
        django_request.membership = token.membership
        django_request.memberships = [token.membership]
        return token.membership.user, token

    def authenticate_header(self, request):
        return self.keyword
