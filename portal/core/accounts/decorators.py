"""View guards: signed in, a membership in the active organisation, and a role permission."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from portal.core.permissions import has_perm


def membership_required(perm: str | None = None):
    """Anonymous → login redirect; no membership or a role without `perm` → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.membership is None:
                raise PermissionDenied("no_membership")
            if perm is not None and not has_perm(request.membership, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        return wrapped

    return decorator
