"""Authentication events → audit log. Signals are the only hook allauth and Django offer here."""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.core.audit.services import audit_record

from .models import Membership, User


def _record_for_user(user: User, action: str, request=None, after=None) -> None:
    orgs = {
        m.organisation
        for m in Membership.objects.active().filter(user=user).select_related("organisation")
    }
    for org in orgs or {None}:
        audit_record(
            action=action, organisation=org, actor=user, obj=user, after=after, request=request
        )


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    _record_for_user(user, "auth.login", request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record_for_user(user, "auth.logout", request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        return  # unknown address: nothing of an organisation to record it under
    orgs = {
        m.organisation
        for m in Membership.objects.active().filter(user=user).select_related("organisation")
    }
    for org in orgs:
        audit_record(
            action="auth.login_failed",
            organisation=org,
            obj=user,
            actor_label=user.email,
            request=request,
        )


@receiver(password_changed)
def on_password_changed(sender, request, user, **kwargs):
    _record_for_user(user, "auth.password_changed", request)


@receiver(password_reset)
def on_password_reset(sender, request, user, **kwargs):
    _record_for_user(user, "auth.password_reset", request)


@receiver(authenticator_added)
def on_mfa_added(sender, request, user, authenticator, **kwargs):
    _record_for_user(user, "mfa.added", request, after={"type": authenticator.type})


@receiver(authenticator_removed)
def on_mfa_removed(sender, request, user, authenticator, **kwargs):
    _record_for_user(user, "mfa.removed", request, after={"type": authenticator.type})


@receiver(authenticator_reset)
def on_mfa_reset(sender, request, user, authenticator, **kwargs):
    _record_for_user(user, "mfa.reset", request, after={"type": authenticator.type})
