"""AVG erasure of one person (DESIGN §12): pseudonymise everywhere, keep the business records.

Each layer replaces its own copies of the person's name and e-mail address; this workflow
calls them in turn, inside one transaction, and records who erased whom and when.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.accounts.erasure import erasure_blockers, user_pseudonymise
from portal.core.accounts.models import Membership, Organisation, User
from portal.core.audit.services import audit_pseudonymise, audit_record
from portal.core.scim.services import scim_users_forget
from suppliers.models import SupplierLink


def erasure_problems(
    *, user: User, actor: User | None = None, organisation: Organisation | None = None
) -> list[str]:
    """Everything that stops this erasure; empty when it may go ahead.

    With `organisation` (a supplier owner's request) the person must belong to it and to no
    other organisation, and may not be the owner themself.
    """
    problems = erasure_blockers(user=user)
    if organisation is None or problems:
        return problems
    memberships = Membership.objects.filter(user=user)
    if actor is not None and actor.pk == user.pk:
        problems.append(_("You cannot erase yourself; ask another owner."))
    if not memberships.filter(organisation=organisation).exists():
        problems.append(_("This person is not a member of your organisation."))
    if memberships.active().exclude(organisation=organisation).exists():
        problems.append(
            _(
                "This person also works for another organisation on Ketenwacht. Ask the "
                "operator of this portal to erase the account."
            )
        )
    return problems


@transaction.atomic
def person_erase(
    *,
    user: User,
    confirmation: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    request=None,
) -> User:
    """Erase `user`'s personal data on request (AVG art. 17).

    `confirmation` must repeat the person's e-mail address. With `organisation` (the supplier
    owner's page) the person must belong to it and to no other organisation, and may not be
    the actor; without it (the operator's command) any account can be erased. The last owner
    or administrator of an organisation is never erased. The account is deactivated; name and
    e-mail address become a pseudonym in the user record, invitations, notifications, the
    audit log and supplier contact addresses; identity providers' SCIM records of the person
    are removed. Answers, evidence and messages stay, attributed
    to the pseudonym. The audit event names the pseudonym, never the erased address.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if (confirmation or "").strip().lower() != user.email.lower():
        raise ValidationError(
            {"confirmation": _("Type the person's e-mail address exactly to confirm.")}
        )
    problems = erasure_problems(user=user, actor=actor, organisation=organisation)
    if problems:
        raise ValidationError(problems)
    org_ids = sorted(
        set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    )
    old_email, old_name = user.email, user.name

    pseudonym = user_pseudonymise(user=user)
    scim_users_forget(user=user)
    contacts = SupplierLink.objects.filter(contact_email__iexact=old_email).update(
        contact_email=pseudonym.email
    )
    rewritten = audit_pseudonymise(
        user_id=user.pk,
        organisation_ids=org_ids,
        replacements={old_email: pseudonym.email, old_name: pseudonym.name},
    )
    user.refresh_from_db()
    orgs = list(Organisation.objects.filter(pk__in=org_ids)) or [None]
    for org in orgs:
        audit_record(
            action="person.erased",
            organisation=org,
            actor=actor,
            obj=user,
            after={
                "pseudonym": pseudonym.name,
                "memberships_deactivated": pseudonym.memberships,
                "invitations": pseudonym.invitations,
                "supplier_contacts": contacts,
                "audit_events_rewritten": rewritten,
            },
            request=request,
            actor_label="" if actor else "operator (manage.py erase_person)",
        )
    return user
