"""Template context: the active membership, the user's other memberships, and a perms helper."""

from django.utils.functional import SimpleLazyObject

from portal.core.notifications.services import unread_count
from portal.core.permissions import PERMISSIONS, has_perm


class _Perms:
    """`{% if perms_for.audit__view %}` style access is awkward; templates use `can.audit_view`."""

    def __init__(self, membership):
        self._membership = membership

    def __getattr__(self, name: str) -> bool:
        perm = name.replace("__", ".", 1) if "__" in name else name.replace("_", ".", 1)
        if perm not in PERMISSIONS:
            raise AttributeError(name)
        return has_perm(self._membership, perm)


def tenancy(request):
    membership = getattr(request, "membership", None)
    # Counted only when a template shows it (the full page's bell): an htmx fragment such as
    # an autosave's answer renders without it and so skips the query.
    unread = SimpleLazyObject(
        lambda: unread_count(membership=membership) if membership is not None else 0
    )
    return {
        "unread_notifications": unread,
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "can": _Perms(membership),
    }
