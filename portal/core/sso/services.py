"""Writes for single sign-on: the configuration page, and who may sign in (the policy the allauth
adapter applies on every SSO sign-in). Every sign-in and every refusal is audited."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.accounts.models import Invitation, Membership, Organisation, Role, User
from portal.core.accounts.services.people import member_add
from portal.core.audit.models import AuditEvent
from portal.core.audit.services import audit_record
from portal.core.notifications.services import notice_kind, notify

from .models import SsoConfiguration

LEAST_ROLE = Role.VIEWER
MEMBER_CREATED = notice_kind(
    "sso.member_created", gettext_lazy("Someone joined through single sign-on"), side="care"
)
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SsoRefused(Exception):
    """An SSO sign-in that must not go through; `reason` is a short code for the audit log."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def parse_domains(text: str) -> list[str]:
    """Domains from a comma, space or line separated text; each checked, lower-cased, unique."""
    domains: list[str] = []
    for raw in re.split(r"[\s,;]+", text or ""):
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            raise ValidationError(
                {"email_domains": _("%(domain)s is not a domain name.") % {"domain": raw}}
            )
        if domain not in domains:
            domains.append(domain)
    return domains


@transaction.atomic
def configuration_save(
    *,
    organisation: Organisation,
    actor: User,
    issuer: str,
    client_id: str,
    secret: str,
    email_domains: list[str],
    create_on_first_sign_in: bool,
    required: bool,
    is_active: bool,
    request=None,
) -> SsoConfiguration:
    """Create or change the organisation's configuration. An empty `secret` keeps the stored
    one. A domain belongs to one organisation only."""
    if not organisation.is_care:
        raise ValidationError(_("Single sign-on is for care organisations."))
    config = SsoConfiguration.objects.filter(organisation=organisation).first()
    created = config is None
    if created:
        config = SsoConfiguration(organisation=organisation)
    if not email_domains:
        raise ValidationError({"email_domains": _("Enter at least one e-mail domain.")})
    taken = [
        d
        for other in SsoConfiguration.objects.exclude(organisation=organisation)
        for d in other.email_domains
        if d in email_domains
    ]
    if taken:
        raise ValidationError(
            {
                "email_domains": _("Another organisation already uses %(domains)s.")
                % {"domains": ", ".join(sorted(set(taken)))}
            }
        )
    foreign_people = _domains_with_foreign_people(organisation, email_domains)
    if foreign_people:
        raise ValidationError(
            {
                "email_domains": _(
                    "People of other organisations who are not members of yours use addresses "
                    "in %(domains)s. Only add domains that belong to your organisation."
                )
                % {"domains": ", ".join(foreign_people)}
            }
        )
    if required and not _has_worked(organisation):
        raise ValidationError(
            {
                "required": _(
                    "Sign in through single sign-on once before you require it, so that nobody "
                    "is locked out by a wrong setting."
                )
            }
        )
    if not secret and not config.secret_encrypted:
        raise ValidationError({"secret": _("Enter the client secret.")})
    before = None if created else _snapshot(config)
    config.issuer = issuer.strip().rstrip("/")
    config.client_id = client_id.strip()
    config.email_domains = email_domains
    config.create_on_first_sign_in = create_on_first_sign_in
    config.required = required
    config.is_active = is_active
    if secret:
        config.set_secret(secret)
    config.save()
    after = _snapshot(config)
    if secret and not created:
        after["secret"] = "changed"  # noqa: S105 - a marker, not a secret
    audit_record(
        action="sso.configured",
        organisation=organisation,
        actor=actor,
        obj=config,
        before=before,
        after=after,
        request=request,
    )
    return config


def _has_worked(organisation: Organisation) -> bool:
    """Someone of the organisation has signed in through its identity provider at least once."""
    return AuditEvent.objects.filter(organisation=organisation, action="sso.signed_in").exists()


def _domains_with_foreign_people(organisation: Organisation, domains: list[str]) -> list[str]:
    """Domains used by people with a membership elsewhere and none here: claiming them would let
    this organisation's identity provider sign those people in (account takeover)."""
    found = []
    for domain in domains:
        outsiders = (
            User.objects.filter(email__iendswith=f"@{domain}", memberships__isnull=False)
            .exclude(memberships__organisation=organisation)
            .exists()
        )
        if outsiders:
            found.append(domain)
    return found


def _snapshot(config: SsoConfiguration) -> dict:
    """What the audit log keeps of a configuration (never the secret)."""
    return {
        "issuer": config.issuer,
        "client_id": config.client_id,
        "email_domains": list(config.email_domains),
        "create_on_first_sign_in": config.create_on_first_sign_in,
        "required": config.required,
        "is_active": config.is_active,
    }


def record_refusal(*, organisation, reason: str, email: str = "", request=None) -> None:
    audit_record(
        action="sso.refused",
        organisation=organisation,
        actor_label=(email or "unknown")[:254],
        after={"reason": reason, "email": email},
        request=request,
    )


def record_password_refused(*, config: SsoConfiguration, email: str, method: str) -> None:
    audit_record(
        action="sso.password_refused",
        organisation=config.organisation,
        actor_label=email[:254],
        after={"email": email, "method": method},
    )


def _notify_admins(membership: Membership) -> None:
    admins = Membership.objects.active().filter(
        organisation=membership.organisation, role=Role.ADMIN
    )
    email = membership.user.email
    for admin in admins.select_related("user"):
        notify(
            user=admin.user,
            organisation=membership.organisation,
            kind=MEMBER_CREATED,
            url=reverse("members"),
            render=lambda: (
                _("%(email)s joined through single sign-on") % {"email": email},
                _(
                    "%(email)s signed in through your identity provider for the first time and "
                    "was added as a viewer. Change the role or deactivate the membership on the "
                    "members page if this is not right."
                )
                % {"email": email},
            ),
        )


def _accept_invitation(*, organisation, email: str, name: str, request=None) -> Membership | None:
    """A person new to Ketenwacht with a pending invitation joins with the invited role on their
    first SSO sign-in (the identity provider vouches for the address instead of the link).
    Existing accounts accept an invitation through its link, while signed in."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        return None
    membership = member_add(
        organisation=organisation, email=email, role=invitation.role, name=name[:150]
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = membership.user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="invitation.accepted",
        organisation=organisation,
        actor=membership.user,
        obj=membership,
        after={"email": email, "role": invitation.role, "via": "sso"},
        request=request,
    )
    return membership


@transaction.atomic
def sign_in_member(
    *,
    config: SsoConfiguration,
    claims: dict,
    linked_user: User | None = None,
    request=None,
) -> Membership:
    """The membership an SSO sign-in with these (verified) claims gives, or `SsoRefused`.

    The person is matched by a verified e-mail address in one of the organisation's domains; a
    person unknown to the organisation is created with the least powerful role only when the
    organisation allows it. Audits the sign-in (and a creation)."""
    organisation = config.organisation
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise SsoRefused("no_email", _("Your identity provider did not send an e-mail address."))
    # Entra ID has no email_verified; its optional claim xms_edov says the domain is verified.
    flags = (claims.get("email_verified"), claims.get("xms_edov"))
    if not any(flag in (True, "true", "True") for flag in flags):
        raise SsoRefused(
            "unverified_email",
            _("Your identity provider did not confirm that this e-mail address is yours."),
        )
    if not config.covers(email):
        raise SsoRefused(
            "foreign_domain",
            _("%(organisation)s does not sign in %(email)s through single sign-on.")
            % {"email": email, "organisation": organisation.name},
        )
    user = User.objects.filter(email__iexact=email).first()
    if linked_user is not None and user is not None and linked_user.pk != user.pk:
        raise SsoRefused(
            "account_mismatch", _("This sign-in belongs to another person in Ketenwacht.")
        )
    user = user or linked_user
    membership = (
        Membership.objects.filter(user=user, organisation=organisation).first() if user else None
    )
    if (user is not None and not user.is_active) or (membership and not membership.is_active):
        raise SsoRefused(
            "membership_disabled",
            _("Your access to %(organisation)s has been switched off.")
            % {"organisation": organisation.name},
        )
    if membership is None and user is None:
        membership = _accept_invitation(
            organisation=organisation,
            email=email,
            name=str(claims.get("name") or ""),
            request=request,
        )
    if membership is None:
        # Only people new to Ketenwacht are created; someone who already has an account (in
        # another organisation) is invited, never added by an identity provider.
        if not config.create_on_first_sign_in or user is not None:
            raise SsoRefused(
                "not_invited",
                _("You have not been invited to %(organisation)s yet. Ask its administrator.")
                % {"organisation": organisation.name},
            )
        membership = member_add(
            organisation=organisation,
            email=email,
            role=LEAST_ROLE,
            name=str(claims.get("name") or "")[:150],
        )
        audit_record(
            action="sso.member_created",
            organisation=organisation,
            actor_label=email,
            obj=membership,
            after={"email": email, "role": LEAST_ROLE},
            request=request,
        )
        _notify_admins(membership)
    audit_record(
        action="sso.signed_in",
        organisation=organisation,
        actor=membership.user,
        obj=membership,
        after={"email": email, "issuer": config.issuer, "subject": str(claims.get("sub", ""))},
        request=request,
    )
    return membership
