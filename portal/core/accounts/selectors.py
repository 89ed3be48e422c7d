"""Reads for accounts and tenancy."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from portal.core.tenancy import visible_to

from .models import ApiToken, Invitation, Membership, Organisation, User


def memberships_of(user: User) -> QuerySet[Membership]:
    """The active memberships a user can switch between, with their organisations."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation", "user")
        .order_by("organisation__name")
    )


def members_of(*, membership: Membership) -> QuerySet[Membership]:
    return visible_to(Membership, membership).select_related("user").order_by("user__email")


def pending_invitations(*, membership: Membership) -> list[Invitation]:
    qs = visible_to(Invitation, membership).filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )
    return [inv for inv in qs.select_related("invited_by") if not inv.is_expired]


def tokens_of(*, membership: Membership) -> QuerySet[ApiToken]:
    """A user's own tokens in the active organisation."""
    return visible_to(ApiToken, membership).filter(membership=membership)


def has_totp(user) -> bool:

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_setup_needed(user) -> bool:
    """The same rule as the browser's: an organisation of the user — or, for a supplier, one
    of its customers — requires two-factor authentication and the user has none yet. Used for
    API tokens, which have no session to cache the answer in."""
    memberships = list(memberships_of(user))
    required = any(m.organisation.mfa_required for m in memberships)
    if not required:
        supplier_ids = [m.organisation_id for m in memberships if m.organisation.kind == "supplier"]
        required = (
            bool(supplier_ids)
            and Organisation.objects.filter(
                kind="care", mfa_required=True, supplier_links__supplier__in=supplier_ids
            ).exists()
        )
    return required and not has_totp(user)
