"""SCIM bearer tokens: one care organisation each, stored as a hash, shown once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.accounts.models import Organisation, User
from portal.core.audit.services import audit_record

from ..models import ScimToken
from ..protocol import ScimError

LAST_USED_EVERY = 300  # seconds between updates of last_used_at


@transaction.atomic
def scim_token_create(
    *, organisation: Organisation, name: str, actor: User | None, request=None
) -> tuple[ScimToken, str]:
    """A new token for the organisation's identity provider; the key is returned once."""
    if not organisation.is_care:
        raise ValidationError(_("Provisioning with SCIM is only for care organisations."))
    name = (name or "").strip() or _("SCIM token")
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    key = ScimToken.new_key()
    token = ScimToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=key[:12],
        key_hash=ScimToken.hash_key(key),
        created_by=actor,
    )
    audit_record(
        action="scim.token_created",
        organisation=organisation,
        actor=actor,
        obj=token,
        after={"name": name},
        request=request,
    )
    return token, key


@transaction.atomic
def scim_token_revoke(*, token: ScimToken, actor: User | None, request=None) -> ScimToken:
    if token.revoked_at:
        raise ValidationError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="scim.token_revoked",
        organisation=token.organisation,
        actor=actor,
        obj=token,
        request=request,
    )
    return token


def scim_authenticate(request) -> ScimToken:
    """The usable token of the `Authorization: Bearer` header, or a SCIM 401/403 error."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            raise ScimError(
                403,
                _(
                    "A SCIM client signs in with its organisation's SCIM token, "
                    "not with a browser session."
                ),
            )
        raise ScimError(401, _("Send the organisation's SCIM token as a Bearer token."))
    token = (
        ScimToken.objects.select_related("organisation")
        .usable()
        .filter(key_hash=ScimToken.hash_key(key.strip()))
        .first()
    )
    if token is None:
        raise ScimError(401, _("Invalid or revoked SCIM token."))
    if not token.organisation.is_care:
        raise ScimError(403, _("Provisioning with SCIM is only for care organisations."))
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
