"""Invitations: single-use links by e-mail that land a new person in an organisation."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record

from ..models import (
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)
from .people import _check_role, _clean_email, _mark_email_verified


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token})


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    actor: User | None,
    next_url: str = "",
    on_behalf_of: Organisation | None = None,
    asked: str = "",
    request=None,
) -> tuple[Invitation, str]:
    """Create a single-use invitation and e-mail its link. Returns the invitation and the token.

    `on_behalf_of` is the care organisation that invites a supplier's contact (the mail names
    it); `asked` says what is asked of them (a questionnaire and its due date)."""
    email = _clean_email(email)
    _check_role(organisation, role)
    if Membership.objects.active().filter(organisation=organisation, user__email=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    # A new invitation replaces any pending one for the same address.
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=Invitation.hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        next_url=next_url,
    )
    audit_record(
        action="invitation.created",
        organisation=organisation,
        actor=actor,
        obj=invitation,
        after={"email": email, "role": role, "expires_at": invitation.expires_at.isoformat()},
        request=request,
        actor_label="" if actor else "system",
    )
    url = invitation_url(token)
    existing = User.objects.filter(email__iexact=email).first()
    lang = existing.language if existing else settings.LANGUAGE_CODE
    context = {
        "organisation": organisation,
        "inviter": actor.get_full_name() or actor.email if actor else "",
        "care_org": on_behalf_of,
        "asked": asked,
        "url": url,
        "site": settings.SITE_URL,
        "role": Role(role).label,
        "days": settings.INVITATION_VALID_DAYS,
    }

    def _send() -> None:
        with translation.override(lang):
            subject = _("Invitation to %(org)s on Ketenwacht") % {"org": organisation.name}
            body = render_to_string("accounts/email/invitation.txt", context)
            send_mail(subject, body, None, [email])

    transaction.on_commit(_send)
    return invitation, token


class InvitationInvalid(Exception):
    """The link is unknown, expired, revoked or already used; `reason` says which."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_lookup(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=Invitation.hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.accepted_at:
        raise InvitationInvalid("used", invitation)
    if invitation.revoked_at:
        raise InvitationInvalid("revoked", invitation)
    if invitation.is_expired:
        raise InvitationInvalid("expired", invitation)
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, name: str = "", password: str = "", request=None
) -> Membership:
    """Accept an invitation: create the account (new person) or add the membership (existing).

    The link itself proves the e-mail address, so the address is marked verified.
    """
    invitation = invitation_lookup(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:  # lost a race with another click
        raise InvitationInvalid("used", invitation)
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None:
            raise InvitationInvalid("sign_in_first", invitation)
        if not name.strip():
            raise ValidationError({"name": _("Please enter your name.")})
        try:
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                name=name.strip(),
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        except IntegrityError as exc:
            raise InvitationInvalid("sign_in_first", invitation) from exc
    elif user.email.lower() != invitation.email.lower():
        raise InvitationInvalid("other_user", invitation)
    _mark_email_verified(user)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created:
        membership.role = invitation.role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="invitation.accepted",
        organisation=invitation.organisation,
        actor=user,
        obj=membership,
        after={"email": user.email, "role": invitation.role},
        request=request,
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User, request=None) -> Invitation:
    if not invitation.is_pending:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action="invitation.revoked",
        organisation=invitation.organisation,
        actor=actor,
        obj=invitation,
        request=request,
    )
    return invitation
