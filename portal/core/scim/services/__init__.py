"""Writes for provisioning: the organisation's SCIM tokens and group-to-role table (the
administrator's page) and the User and Group resources (the identity provider). Every change is
audited; memberships change only through the accounts services."""

from .groups import group_create, group_delete, group_update
from .roles import apply_roles, mapping_add, mapping_delete, role_for
from .tokens import scim_authenticate, scim_token_create, scim_token_revoke
from .users import scim_users_forget, user_create, user_delete, user_update

__all__ = [
    "apply_roles",
    "group_create",
    "group_delete",
    "group_update",
    "mapping_add",
    "mapping_delete",
    "role_for",
    "scim_authenticate",
    "scim_token_create",
    "scim_token_revoke",
    "scim_users_forget",
    "user_create",
    "user_delete",
    "user_update",
]
