"""Personal API tokens: bound to one membership, shown once, revocable."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core.audit.services import audit_record

from ..models import (
    ApiToken,
    Membership,
    User,
)


@transaction.atomic
def api_token_create(
    *,
    membership: Membership,
    name: str,
    actor: User | None = None,
    read_only: bool = False,
    expires_on: date | None = None,
    request=None,
) -> tuple[ApiToken, str]:
    """Create a token for one membership. The key is returned once and stored only as a hash.
    It expires at the end of `expires_on` (tomorrow at the earliest, at most the token lifetime
    ahead; default: the whole lifetime); a read-only token changes nothing."""
    name = (name or "").strip() or _("API token")
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    if not membership.is_active:
        raise ValidationError(_("This membership is inactive."))
    latest = timezone.localdate() + settings.API_TOKEN_LIFETIME
    if expires_on is not None and not timezone.localdate() < expires_on <= latest:
        raise ValidationError(
            {
                "expires_on": _("Choose a date after today and no later than %(last)s.")
                % {"last": date_format(latest, "DATE_FORMAT")}
            }
        )
    expires_at = (
        timezone.make_aware(datetime.combine(expires_on, time.max))
        if expires_on is not None
        else timezone.now() + settings.API_TOKEN_LIFETIME
    )
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
        expires_at=expires_at,
        read_only=bool(read_only),
    )
    audit_record(
        action="api_token.created",
        organisation=membership.organisation,
        actor=actor or membership.user,
        obj=token,
        after={
            "name": name,
            "user": membership.user.email,
            "read_only": bool(read_only),
            "expires_at": expires_at.isoformat(),
        },
        request=request,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, request=None) -> ApiToken:
    if token.revoked_at:
        raise ValidationError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="api_token.revoked",
        organisation=token.membership.organisation,
        actor=actor,
        obj=token,
        request=request,
    )
    return token
