"""Writes for accounts and tenancy, a module per concern: `organisations`, `people`
(memberships and profiles), `invitations` and `tokens`. Every service validates, runs in a
transaction and records an audit event."""

from .invitations import (
    InvitationInvalid,
    invitation_accept,
    invitation_create,
    invitation_lookup,
    invitation_revoke,
    invitation_url,
)
from .organisations import KVK_RE, organisation_create, organisation_update_settings
from .people import (
    member_add,
    membership_change_role,
    membership_deactivate,
    user_update_profile,
)
from .tokens import api_token_create, api_token_revoke

__all__ = [
    "KVK_RE",
    "InvitationInvalid",
    "api_token_create",
    "api_token_revoke",
    "invitation_accept",
    "invitation_create",
    "invitation_lookup",
    "invitation_revoke",
    "invitation_url",
    "member_add",
    "membership_change_role",
    "membership_deactivate",
    "organisation_create",
    "organisation_update_settings",
    "user_update_profile",
]
