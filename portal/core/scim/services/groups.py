"""Group resources of an organisation's identity provider; their members get the role the
administrator's table maps the group's name to."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.accounts.models import Organisation
from portal.core.audit.services import audit_record

from ..models import ScimGroup, ScimUser
from ..protocol import ScimError
from .roles import SCIM_ACTOR, apply_roles


def _check_name(organisation: Organisation, name: str, exclude: int | None = None) -> None:
    clash = ScimGroup.objects.filter(organisation=organisation, display_name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ScimError(409, _("A group with this displayName already exists."), "uniqueness")


def _members(organisation: Organisation, ids: list[str]) -> list[ScimUser]:
    """The organisation's users with these ids; an id of anything else is refused (and looks
    the same whether it exists in another organisation or nowhere)."""
    wanted = set()
    for value in ids:
        try:
            wanted.add(uuid.UUID(value))
        except (ValueError, AttributeError) as exc:
            raise ScimError(
                400, _("No user with id %(id)s.") % {"id": value[:64]}, "invalidValue"
            ) from exc
    users = list(ScimUser.objects.filter(organisation=organisation, scim_id__in=wanted))
    missing = wanted - {u.scim_id for u in users}
    if missing:
        raise ScimError(
            400,
            _("No user with id %(id)s.") % {"id": sorted(map(str, missing))[0]},
            "invalidValue",
        )
    return users


def _apply(organisation: Organisation, user_ids: set[int], request) -> None:
    users = (
        ScimUser.objects.filter(organisation=organisation, pk__in=user_ids)
        .select_related("membership", "organisation")
        .prefetch_related("groups")
    )
    try:
        apply_roles(organisation, users, request=request)
    except ValidationError as exc:
        raise ScimError(409, " ".join(exc.messages), "mutability") from exc


@transaction.atomic
def group_create(*, organisation: Organisation, fields: dict, request=None) -> ScimGroup:
    if not organisation.is_care:
        raise ScimError(403, _("Provisioning with SCIM is only for care organisations."))
    _check_name(organisation, fields["display_name"])
    members = _members(organisation, fields["members"])
    group = ScimGroup.objects.create(
        organisation=organisation,
        display_name=fields["display_name"],
        external_id=fields["external_id"],
    )
    group.members.set(members)
    audit_record(
        action="scim.group_created",
        organisation=organisation,
        obj=group,
        after={"display_name": group.display_name, "members": sorted(u.user_name for u in members)},
        request=request,
        actor_label=SCIM_ACTOR,
    )
    _apply(organisation, {u.pk for u in members}, request)
    return group


@transaction.atomic
def group_update(*, group: ScimGroup, fields: dict, request=None) -> ScimGroup:
    group = ScimGroup.objects.select_for_update().get(pk=group.pk)
    organisation = group.organisation
    _check_name(organisation, fields["display_name"], exclude=group.pk)
    new_members = _members(organisation, fields["members"])
    old = {u.pk: u.user_name for u in group.members.all()}
    new = {u.pk: u.user_name for u in new_members}
    before = {"display_name": group.display_name, "external_id": group.external_id}
    group.display_name = fields["display_name"]
    group.external_id = fields["external_id"]
    group.save()
    group.members.set(new_members)
    after = {"display_name": group.display_name, "external_id": group.external_id}
    added = sorted(new[pk] for pk in set(new) - set(old))
    removed = sorted(old[pk] for pk in set(old) - set(new))
    if before != after or added or removed:
        audit_record(
            action="scim.group_updated",
            organisation=organisation,
            obj=group,
            before=before,
            after={**after, "members_added": added, "members_removed": removed},
            request=request,
            actor_label=SCIM_ACTOR,
        )
    renamed = before["display_name"].lower() != after["display_name"].lower()
    affected = set(old) | set(new) if renamed else set(old) ^ set(new)
    _apply(organisation, affected, request)
    return group


@transaction.atomic
def group_delete(*, group: ScimGroup, request=None) -> None:
    organisation = group.organisation
    members = set(group.members.values_list("pk", flat=True))
    audit_record(
        action="scim.group_deleted",
        organisation=organisation,
        obj=group,
        before={"display_name": group.display_name, "members": len(members)},
        request=request,
        actor_label=SCIM_ACTOR,
    )
    group.delete()
    _apply(organisation, members, request)
