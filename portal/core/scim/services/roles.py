"""Roles from identity-provider groups: the administrator's table of group name → role."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.accounts.models import CARE_ROLES, Organisation, Role, User
from portal.core.accounts.services import membership_change_role
from portal.core.audit.services import audit_record

from ..models import GroupRoleMapping, ScimUser

SCIM_ACTOR = "scim"
# Most powerful first: a person in several mapped groups gets the first of these.
ROLE_ORDER = [r.value for r in CARE_ROLES]
DEFAULT_ROLE = Role.VIEWER.value


def _mappings(organisation: Organisation) -> dict[str, str]:
    return {
        m.group_name.lower(): m.role
        for m in GroupRoleMapping.objects.filter(organisation=organisation)
    }


def role_for(scim_user: ScimUser, mappings: dict[str, str] | None = None) -> str:
    """The most powerful role of the mapped groups the user is in; the least powerful role when
    none of its groups is mapped."""
    if mappings is None:
        mappings = _mappings(scim_user.organisation)
    roles = {mappings.get(g.display_name.lower()) for g in scim_user.groups.all()}
    return next((r for r in ROLE_ORDER if r in roles), DEFAULT_ROLE)


def apply_roles(organisation: Organisation, users: Iterable[ScimUser], request=None) -> None:
    """Give each active SCIM user of the organisation the role its groups map to.

    Raises ValidationError when that would leave the organisation without an administrator."""
    mappings = _mappings(organisation)
    for scim_user in users:
        membership = scim_user.membership
        if scim_user.organisation_id != organisation.pk or not membership.is_active:
            continue
        role = role_for(scim_user, mappings)
        if role != membership.role:
            membership_change_role(
                membership=membership,
                role=role,
                actor=None,
                request=request,
                actor_label=SCIM_ACTOR,
            )


def _all_users(organisation: Organisation):
    return (
        ScimUser.objects.filter(organisation=organisation)
        .select_related("membership", "organisation")
        .prefetch_related("groups")
    )


@transaction.atomic
def mapping_add(
    *, organisation: Organisation, group_name: str, role: str, actor: User, request=None
) -> GroupRoleMapping:
    group_name = (group_name or "").strip()
    if not group_name or len(group_name) > 254:
        raise ValidationError({"group_name": _("Enter the group's name (at most 254 characters).")})
    if role not in ROLE_ORDER:
        raise ValidationError({"role": _("Choose a role of a care organisation.")})
    if GroupRoleMapping.objects.filter(
        organisation=organisation, group_name__iexact=group_name
    ).exists():
        raise ValidationError({"group_name": _("This group already has a role.")})
    mapping = GroupRoleMapping.objects.create(
        organisation=organisation, group_name=group_name, role=role
    )
    audit_record(
        action="scim.mapping_added",
        organisation=organisation,
        actor=actor,
        obj=mapping,
        after={"group_name": group_name, "role": role},
        request=request,
    )
    apply_roles(organisation, _all_users(organisation), request=request)
    return mapping


@transaction.atomic
def mapping_delete(*, mapping: GroupRoleMapping, actor: User, request=None) -> None:
    organisation = mapping.organisation
    audit_record(
        action="scim.mapping_deleted",
        organisation=organisation,
        actor=actor,
        obj=mapping,
        before={"group_name": mapping.group_name, "role": mapping.role},
        request=request,
    )
    mapping.delete()
    apply_roles(organisation, _all_users(organisation), request=request)
