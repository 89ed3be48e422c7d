"""Reads for provisioning, always within one organisation."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet

from portal.core.accounts.models import Membership, Organisation

from .models import GroupRoleMapping, ScimGroup, ScimToken, ScimUser
from .protocol import Filter


def _users(organisation: Organisation) -> QuerySet:
    return (
        ScimUser.objects.filter(organisation=organisation)
        .select_related("membership")
        .prefetch_related(Prefetch("groups", queryset=ScimGroup.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def users_of(organisation: Organisation, filter_: Filter | None = None) -> QuerySet:
    qs = _users(organisation)
    if filter_ is None:
        return qs
    if filter_.attribute == "username":
        return qs.filter(user_name__iexact=filter_.value)
    if filter_.attribute == "externalid":
        return qs.filter(external_id=filter_.value)
    try:
        return qs.filter(scim_id=uuid.UUID(filter_.value))
    except ValueError:
        return qs.none()


def user_get(organisation: Organisation, scim_id: uuid.UUID) -> ScimUser | None:
    return _users(organisation).filter(scim_id=scim_id).first()


def groups_of(
    organisation: Organisation, filter_: Filter | None = None, members: bool = True
) -> QuerySet:
    qs = ScimGroup.objects.filter(organisation=organisation).order_by("created_at", "pk")
    if members:
        qs = qs.prefetch_related(Prefetch("members", queryset=ScimUser.objects.order_by("pk")))
    if filter_ is None:
        return qs
    if filter_.attribute == "displayname":
        return qs.filter(display_name__iexact=filter_.value)
    if filter_.attribute == "externalid":
        return qs.filter(external_id=filter_.value)
    try:
        return qs.filter(scim_id=uuid.UUID(filter_.value))
    except ValueError:
        return qs.none()


def group_get(organisation: Organisation, scim_id: uuid.UUID) -> ScimGroup | None:
    return groups_of(organisation).filter(scim_id=scim_id).first()


# -- the administrator's page ------------------------------------------------------------------


def tokens_for(*, membership: Membership) -> QuerySet:
    return ScimToken.objects.visible_to(membership).select_related("created_by")


def mappings_for(*, membership: Membership) -> QuerySet:
    return GroupRoleMapping.objects.visible_to(membership)


def groups_for(*, membership: Membership) -> QuerySet:
    return ScimGroup.objects.visible_to(membership).order_by("display_name")


def scim_user_count(*, membership: Membership) -> tuple[int, int]:
    """(provisioned people, of whom active)."""
    qs = ScimUser.objects.visible_to(membership)
    return qs.count(), qs.filter(active=True).count()
