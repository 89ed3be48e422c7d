"""DRF permission classes built on the one module of role predicates (portal.core.permissions)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from portal.core.permissions import has_perm


class HasActiveMembership(BasePermission):
    """Authenticated, with an active membership (from the token or the session)."""

    def has_permission(self, request, view) -> bool:
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
            return super().has_permission(request, view) and has_perm(request.membership, perm)

    _RolePermission.__name__ = f"RolePermission[{perm}]"
    return _RolePermission
