"""Writes for people and their memberships: adding a member, changing a role, deactivating,
the person's own profile."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record

from ..models import (
    ROLES_BY_KIND,
    Membership,
    Organisation,
    Role,
    User,
)


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
def member_add(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    password: str | None = None,
    name: str = "",
    actor: User | None = None,
    actor_label: str = "",
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
        actor_label=actor_label or ("" if actor else "system"),
    )
    return membership


def _mark_email_verified(user: User) -> None:

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
    *, membership: Membership, role: str, actor: User | None, request=None, actor_label: str = ""
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
        actor_label=actor_label,
    )
    return membership


@transaction.atomic
def membership_deactivate(
    *,
    membership: Membership,
    actor: User | None,
    request=None,
    actor_label: str = "",
    keep_last_manager: bool = True,
) -> Membership:
    """Deactivate the membership and revoke every API token of it at once. The last
    administrator or owner is kept unless `keep_last_manager` is False (an identity provider
    that deprovisions a person who left is obeyed)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError(_("This membership is already inactive."))
    if keep_last_manager and _last_manager(membership):
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
        actor_label=actor_label,
    )
    return membership


@transaction.atomic
def user_update_profile(*, user: User, name: str, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    user.name = name.strip()[:150]
    user.language = language
    user.save(update_fields=["name", "language"])
    return user
