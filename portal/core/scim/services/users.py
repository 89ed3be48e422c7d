"""User resources: each one is a membership of the token's care organisation. Deactivating it
(active=false or DELETE) deactivates that membership and revokes its API tokens at once; the
person's account and memberships elsewhere are never touched."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.accounts.models import Membership, Organisation, User
from portal.core.accounts.services import member_add, membership_deactivate
from portal.core.audit.services import audit_record

from ..attributes import USER_FIELDS
from ..models import ScimUser
from ..protocol import ScimError
from .roles import DEFAULT_ROLE, SCIM_ACTOR, role_for


def _conflict(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def _check_user_name(organisation: Organisation, user_name: str, exclude: int | None = None):
    clash = ScimUser.objects.filter(organisation=organisation, user_name__iexact=user_name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise _conflict(_("A user with this userName already exists."))


def _snapshot(scim_user: ScimUser) -> dict:
    return {f: getattr(scim_user, f) for f in USER_FIELDS}


def _deactivate(membership: Membership, request) -> None:
    if membership.is_active:
        membership_deactivate(
            membership=membership,
            actor=None,
            request=request,
            actor_label=SCIM_ACTOR,
            keep_last_manager=False,
        )


def _activate(scim_user: ScimUser, request) -> None:
    membership = scim_user.membership
    if not membership.is_active:
        _add_member(scim_user.organisation, membership.user.email, role_for(scim_user))


def _add_member(organisation: Organisation, email: str, role: str, name: str = "") -> Membership:
    try:
        return member_add(
            organisation=organisation,
            email=email,
            role=role,
            name=name,
            actor=None,
            actor_label=SCIM_ACTOR,
        )
    except ValidationError as exc:
        raise ScimError(400, " ".join(exc.messages), "invalidValue") from exc


@transaction.atomic
def user_create(*, organisation: Organisation, fields: dict, request=None) -> ScimUser:
    """Provision a person: a membership of `organisation` (care only), linked to the person's
    account when the e-mail address already has one."""
    if not organisation.is_care:
        raise ScimError(403, _("Provisioning with SCIM is only for care organisations."))
    _check_user_name(organisation, fields["user_name"])
    user = User.objects.filter(email__iexact=fields["email"]).first()
    membership = (
        Membership.objects.filter(user=user, organisation=organisation).first() if user else None
    )
    if membership is not None and ScimUser.objects.filter(membership=membership).exists():
        raise _conflict(_("This person is already provisioned under another userName."))
    if membership is not None and membership.is_active:
        role = membership.role  # an existing member keeps their role until their groups say
    else:
        role = DEFAULT_ROLE
    name = fields["display_name"] or " ".join(
        p for p in (fields["given_name"], fields["family_name"]) if p
    )
    membership = _add_member(organisation, fields["email"], role, name)
    scim_user = ScimUser.objects.create(organisation=organisation, membership=membership, **fields)
    audit_record(
        action="scim.user_created",
        organisation=organisation,
        obj=scim_user,
        after={**_snapshot(scim_user), "role": membership.role},
        request=request,
        actor_label=SCIM_ACTOR,
    )
    if not scim_user.active:
        _deactivate(membership, request)
    return scim_user


@transaction.atomic
def user_update(*, scim_user: ScimUser, fields: dict, request=None) -> ScimUser:
    """Apply a PUT or PATCH. active=false deactivates the membership (and its tokens) at once;
    active=true again restores it with the role its groups map to."""
    scim_user = (
        ScimUser.objects.select_for_update().select_related("membership").get(pk=scim_user.pk)
    )
    _check_user_name(scim_user.organisation, fields["user_name"], exclude=scim_user.pk)
    before = _snapshot(scim_user)
    for name in USER_FIELDS:
        setattr(scim_user, name, fields.get(name, getattr(scim_user, name)))
    scim_user.save()
    after = _snapshot(scim_user)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        audit_record(
            action="scim.user_updated",
            organisation=scim_user.organisation,
            obj=scim_user,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            request=request,
            actor_label=SCIM_ACTOR,
        )
    membership = Membership.objects.get(pk=scim_user.membership_id)
    if not scim_user.active:
        _deactivate(membership, request)
    elif "active" in changed:
        _activate(scim_user, request)
    scim_user.membership = Membership.objects.get(pk=scim_user.membership_id)
    return scim_user


@transaction.atomic
def user_delete(*, scim_user: ScimUser, request=None) -> None:
    """Deprovision: the membership is deactivated (kept, with its history) and the resource
    removed; the person's account stays for their other organisations."""
    membership = Membership.objects.get(pk=scim_user.membership_id)
    _deactivate(membership, request)
    audit_record(
        action="scim.user_deleted",
        organisation=scim_user.organisation,
        obj=scim_user,
        before=_snapshot(scim_user),
        request=request,
        actor_label=SCIM_ACTOR,
    )
    scim_user.delete()


def scim_users_forget(*, user: User) -> int:
    """AVG erasure: remove the identity providers' records of the person (userName, e-mail
    address, names); their memberships are handled by the erasure itself."""
    count, _detail = ScimUser.objects.filter(membership__user=user).delete()
    return count
