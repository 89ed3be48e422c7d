"""AVG erasure, the core's share: the account, sign-in data, invitations and notifications.

The person's business records (answers, evidence, messages) stay; they point at the user row,
which now carries a pseudonym. Higher layers replace the copies they keep themselves; the
whole erasure is orchestrated by `portal.top.privacy.erasure.person_erase`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit.services import identifier_patterns, replace_identifiers
from portal.core.notifications.models import Notification

from .models import ApiToken, Invitation, Membership, User
from .services.people import _last_manager

PSEUDONYM_DOMAIN = "erased.invalid"  # .invalid never resolves: no mail can reach it


@dataclass(frozen=True)
class Pseudonym:
    name: str
    email: str
    memberships: int
    invitations: int


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + PSEUDONYM_DOMAIN)


def erasure_blockers(*, user: User) -> list[str]:
    """Why this person cannot be erased: already erased, or the last owner or administrator."""
    if is_erased(user):
        return [_("This person's personal data has already been erased.")]
    problems = []
    for m in Membership.objects.active().filter(user=user).select_related("organisation"):
        if _last_manager(m):
            problems.append(
                _(
                    "%(org)s needs at least one administrator or owner: appoint another one "
                    "before erasing this person."
                )
                % {"org": m.organisation.name}
            )
    return problems


def _new_pseudonym() -> tuple[str, str]:
    while True:
        name = f"pseudonym-{secrets.token_hex(4)}"
        email = f"{name}@{PSEUDONYM_DOMAIN}"
        if not User.objects.filter(email=email).exists():
            return name, email


@transaction.atomic
def user_pseudonymise(*, user: User) -> Pseudonym:
    """Deactivate the account and replace name and e-mail address by a random pseudonym in the
    user record and in the core's copies (invitations, other people's notifications, the
    admin log). Sign-in data goes: password, e-mail addresses, authenticators, API tokens."""

    user = User.objects.select_for_update().get(pk=user.pk)
    problems = erasure_blockers(user=user)
    if problems:
        raise ValidationError(problems)
    old_email, old_name = user.email, user.name
    name, email = _new_pseudonym()
    patterns = identifier_patterns({old_email: email, old_name: name})
    now = timezone.now()

    memberships = Membership.objects.filter(user=user, is_active=True).update(is_active=False)
    ApiToken.objects.filter(membership__user=user, revoked_at__isnull=True).update(revoked_at=now)
    invitations = Invitation.objects.filter(email__iexact=old_email)
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    invitation_count = invitations.update(email=email)

    EmailAddress.objects.filter(Q(user=user) | Q(email__iexact=old_email)).delete()
    Authenticator.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    mentions = Q(subject__icontains=old_email) | Q(body__icontains=old_email)
    if old_name:
        mentions |= Q(subject__icontains=old_name) | Q(body__icontains=old_name)
    for note in list(Notification.objects.filter(mentions)):
        note.subject = replace_identifiers(note.subject, patterns)[:200]
        note.body = replace_identifiers(note.body, patterns)
        note.save(update_fields=["subject", "body"])
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=email)

    user.email, user.name = email, name
    user.is_active = False
    user.set_unusable_password()  # also ends every session: the session hash changes
    user.save(update_fields=["email", "name", "is_active", "password"])
    return Pseudonym(name=name, email=email, memberships=memberships, invitations=invitation_count)
