"""DRF permission classes built on the one module of role predicates (portal.core.permissions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from portal.core.permissions import has_perm

# DRF's own texts say "je" in Dutch; the portal says "u".
READ_ONLY = _("This token is read-only: it may read, not change anything.")
NO_MEMBERSHIP = _("You have no active membership in an organisation.")
ROLE_REFUSED = _("Your role does not allow this.")


class HasActiveMembership(BasePermission):
    """Authenticated, with an active membership (from the token or the session); a read-only
    token may only read."""

    def has_permission(self, request, view) -> bool:
        if getattr(request.auth, "read_only", False) and request.method not in SAFE_METHODS:
            self.message = READ_ONLY
            return False
        self.message = NO_MEMBERSHIP
        return bool(
            request.user
            and request.user.is_authenticated
            and getattr(request, "membership", None) is not None
        )


def RolePermission(perm: str) -> type[BasePermission]:  # noqa: N802 - reads like a class
    """A permission class that requires the role predicate `perm` (403 otherwise)."""

    class _RolePermission(HasActiveMembership):
        required_perm = perm

        def has_permission(self, request, view) -> bool:
            if not super().has_permission(request, view):
                return False
            self.message = ROLE_REFUSED  # the role's 403 says nothing of tokens
            return has_perm(request.membership, perm)

    _RolePermission.__name__ = f"RolePermission[{perm}]"
    return _RolePermission
