"""Provisioning from a care organisation's identity provider (SCIM 2.0, RFC 7643/7644).

A `ScimToken` is the bearer credential of one care organisation's SCIM client. `ScimUser` and
`ScimGroup` are the resources the client manages; a SCIM user is tied to one membership of that
organisation, and its role follows the groups it is in through `GroupRoleMapping`.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portal.core.accounts.models import CARE_ROLES, HashedKey, Membership, Organisation, User
from portal.core.tenancy import TenantQuerySet

KEY_PREFIX = "scim_"
CARE_ROLE_CHOICES = [(r.value, r.label) for r in CARE_ROLES]


class ScimTokenQuerySet(TenantQuerySet):
    organisation_field = "organisation"

    def usable(self) -> ScimTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ScimToken(HashedKey):
    """The secret a care organisation's identity provider sends as `Authorization: Bearer`."""

    key_prefix = KEY_PREFIX

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scim_tokens"
    )
    prefix = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScimTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")
        ordering = ["-created_at"]


class ScimUserQuerySet(TenantQuerySet):
    organisation_field = "organisation"


class ScimUser(models.Model):
    """A User resource of one organisation's SCIM client, tied to that organisation's
    membership of the person."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scim_users"
    )
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="scim_user"
    )
    user_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True)
    display_name = models.CharField(max_length=254, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(max_length=254)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScimUserQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("user_name"), name="scim_user_unique_user_name"
            )
        ]

    def __str__(self) -> str:
        return self.user_name


class ScimGroupQuerySet(TenantQuerySet):
    organisation_field = "organisation"


class ScimGroup(models.Model):
    """A Group resource of one organisation's SCIM client; mapped to a role by its name."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scim_groups"
    )
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True)
    members = models.ManyToManyField(ScimUser, related_name="groups", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScimGroupQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("display_name"), name="scim_group_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.display_name


class GroupRoleMappingQuerySet(TenantQuerySet):
    organisation_field = "organisation"


class GroupRoleMapping(models.Model):
    """An identity-provider group name and the role its members get (the administrator's
    table). A person in several mapped groups gets the most powerful of their roles."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scim_group_roles"
    )
    group_name = models.CharField(_("group name"), max_length=254)
    role = models.CharField(_("role"), max_length=20, choices=CARE_ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupRoleMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        ordering = ["group_name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("group_name"), name="scim_mapping_unique_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_name} → {self.role}"
