"""Per-request tenancy (the active membership) and the per-organisation MFA requirement."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Organisation
from .selectors import has_totp, memberships_of

SESSION_KEY = "active_membership_id"
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/invite/", "/favicon")


class ActiveMembershipMiddleware:
    """Sets `request.memberships` and `request.membership` (the one chosen for this session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.memberships = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = list(memberships_of(user))
            request.memberships = memberships
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in memberships if m.pk == chosen), memberships[0] if memberships else None
            )
        return self.get_response(request)


CUSTOMER_MFA_KEY = "kw_customer_mfa"
CUSTOMER_MFA_TTL = 300  # seconds a supplier's "a customer requires MFA" answer is reused


def _customer_requires_mfa(request) -> bool:
    """A supplier's people must use MFA when any care organisation it works for requires it
    (DESIGN §10). Looked up through the supplier links and kept briefly in the session."""

    supplier_ids = sorted(
        m.organisation_id for m in request.memberships if m.organisation.kind == "supplier"
    )
    if not supplier_ids:
        return False
    cached = request.session.get(CUSTOMER_MFA_KEY)
    now = int(time.time())
    if cached and cached[0] == supplier_ids and now - cached[1] < CUSTOMER_MFA_TTL:
        return cached[2]

    required = Organisation.objects.filter(
        kind="care", mfa_required=True, supplier_links__supplier__in=supplier_ids
    ).exists()
    request.session[CUSTOMER_MFA_KEY] = [supplier_ids, now, required]
    return required


def user_needs_mfa_setup(request) -> bool:
    """True when any organisation of the user — or, for a supplier, any of its customers —
    requires MFA and the user has no TOTP yet (the customers' answer cached in the session)."""
    if not any(m.organisation.mfa_required for m in request.memberships) and not (
        _customer_requires_mfa(request)
    ):
        return False
    return not has_totp(request.user)


class MfaRequiredMiddleware:
    """Sends members of an MFA-requiring organisation to the TOTP set-up before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user_needs_mfa_setup(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Your organisation requires two-factor authentication.")},
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's own language applies unless they chose one in the header (cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
