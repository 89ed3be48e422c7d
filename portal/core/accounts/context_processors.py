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


# The main menu item a page belongs to (includes/nav.html marks it active): pages named exactly,
# then pages whose URL names share a prefix.
_NAV_EXACT = {
    "home": "home",
    "pipeline": "portfolio",
    "supplier_list": "suppliers",
    "product_list": "products",
    "answer_library": "answer_library",
    "members": "members",
    "audit_log": "audit_log",
}
_NAV_PREFIX = {
    "portfolio": "portfolio",
    "relationship": "suppliers",
    "questionnaire": "questionnaires",
    "assessment": "assessments",
    "finding": "findings",
    "incident": "incidents",
    "report": "reports",
    "decision": "decisions",
    "document": "documents",
    "trust_profile": "profiles",
}


def nav_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    name = (match.url_name if match else None) or ""
    if name in _NAV_EXACT:
        return _NAV_EXACT[name]
    return next((s for prefix, s in _NAV_PREFIX.items() if name.startswith(prefix)), "")


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
        "nav_section": nav_section(request),
    }
