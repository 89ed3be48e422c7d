"""Reads for accounts and tenancy."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.core.tenancy import visible_to

from .models import ApiToken, Invitation, Membership, User


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
