"""Writes for accounts and tenancy: organisations, members, invitations, API tokens.

Every service validates, runs in a transaction and records an audit event.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record

from .models import (
    ROLES_BY_KIND,
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

KVK_RE = re.compile(r"^\d{8}$")


def _check_role(organisation: Organisation, role: str) -> None:
    allowed = ROLES_BY_KIND[organisation.kind]
    if role not in allowed:
        raise ValidationError(
            {
                "role": _("%(role)s is not a role in a %(kind)s; choose one of: %(roles)s")
                % {
                    "role": role,
                    "kind": organisation.get_kind_display().lower(),
                    "roles": ", ".join(allowed),
                }
            }
        )


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    return email


@transaction.atomic
def organisation_create(
    *, slug: str, name: str, kind: str, kvk_number: str = "", actor: User | None = None
) -> Organisation:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("A name is required.")
    if slug != slugify(slug) or not slug:
        errors["slug"] = _("Use lower-case letters, digits and hyphens only.")
    elif Organisation.objects.filter(slug=slug).exists():
        errors["slug"] = _("An organisation with this slug already exists.")
    if kind not in OrganisationKind.values:
        errors["kind"] = _("Kind must be 'care' or 'supplier'.")
    kvk_number = (kvk_number or "").strip()
    if kvk_number and not KVK_RE.match(kvk_number):
        errors["kvk_number"] = _("A KvK number has exactly 8 digits.")
    elif kvk_number and Organisation.objects.filter(kvk_number=kvk_number).exists():
        errors["kvk_number"] = _("An organisation with this KvK number already exists.")
    if errors:
        raise ValidationError(errors)
    org = Organisation.objects.create(
        slug=slug, name=name.strip(), kind=kind, kvk_number=kvk_number
    )
    audit_record(
        action="organisation.created",
        organisation=org,
        actor=actor,
        obj=org,
        after={"name": org.name, "kind": org.kind, "kvk_number": org.kvk_number},
        actor_label="" if actor else "system",
    )
    return org


@transaction.atomic
def organisation_update_settings(
    *, organisation: Organisation, actor: User, mfa_required: bool, request=None
) -> Organisation:
    before = {"mfa_required": organisation.mfa_required}
    organisation.mfa_required = mfa_required
    organisation.save(update_fields=["mfa_required"])
    audit_record(
        action="organisation.settings_changed",
        organisation=organisation,
        actor=actor,
        obj=organisation,
        before=before,
        after={"mfa_required": mfa_required},
        request=request,
    )
    return organisation


@transaction.atomic
def member_add(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    password: str | None = None,
    name: str = "",
    actor: User | None = None,
) -> Membership:
    """Create the user if needed and give them `role` in `organisation` (operators, demo)."""
    email = _clean_email(email)
    _check_role(organisation, role)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, name=name)
        _mark_email_verified(user)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    before = None if created else {"role": membership.role, "is_active": membership.is_active}
    if not created:
        if membership.role == role and membership.is_active:
            return membership  # nothing changes, nothing to record
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    audit_record(
        action="member.added" if created else "member.role_changed",
        organisation=organisation,
        actor=actor,
        obj=membership,
        before=before,
        after={"email": email, "role": role},
        actor_label="" if actor else "system",
    )
    return membership


def _mark_email_verified(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _last_manager(membership: Membership) -> bool:
    manager_role = Role.ADMIN if membership.organisation.is_care else Role.OWNER
    if membership.role != manager_role:
        return False
    return not (
        Membership.objects.active()
        .filter(organisation=membership.organisation, role=manager_role)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, actor: User, request=None
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_role(membership.organisation, role)
    if role == membership.role:
        return membership
    if _last_manager(membership):
        raise ValidationError(
            {"role": _("The organisation needs at least one administrator or owner.")}
        )
    before = {"role": membership.role}
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action="member.role_changed",
        organisation=membership.organisation,
        actor=actor,
        obj=membership,
        before=before,
        after={"role": role},
        request=request,
    )
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, actor: User, request=None) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError(_("This membership is already inactive."))
    if _last_manager(membership):
        raise ValidationError(_("The organisation needs at least one administrator or owner."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    membership.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        action="member.deactivated",
        organisation=membership.organisation,
        actor=actor,
        obj=membership,
        before={"is_active": True, "role": membership.role},
        after={"is_active": False},
        request=request,
    )
    return membership


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


@transaction.atomic
def api_token_create(
    *, membership: Membership, name: str, actor: User | None = None, request=None
) -> tuple[ApiToken, str]:
    """Create a token for one membership. The key is returned once and stored only as a hash."""
    name = (name or "").strip() or _("API token")
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    if not membership.is_active:
        raise ValidationError(_("This membership is inactive."))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + settings.API_TOKEN_LIFETIME,
    )
    audit_record(
        action="api_token.created",
        organisation=membership.organisation,
        actor=actor or membership.user,
        obj=token,
        after={"name": name, "user": membership.user.email},
        request=request,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, request=None) -> ApiToken:
    if token.revoked_at:
        raise ValidationError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="api_token.revoked",
        organisation=token.membership.organisation,
        actor=actor,
        obj=token,
        request=request,
    )
    return token


@transaction.atomic
def user_update_profile(*, user: User, name: str, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    user.name = name.strip()[:150]
    user.language = language
    user.save(update_fields=["name", "language"])
    return user
