"""Role predicates: the one place that says which role may do what.

Pages (views and templates), API permission classes and services all ask `has_perm`;
a role that is too low gets 403, an object of another organisation never gets this far (404).
Predicates take a Membership (or None) and are built with the `rules` package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from portal.core.accounts.models import Membership


def _role_in(*roles: str) -> rules.Predicate:
    @rules.predicate(name=f"role_in_{'_'.join(roles)}")
    def check(membership: Membership | None) -> bool:
        return bool(membership and membership.is_active and membership.role in roles)

    return check


@rules.predicate
def is_member(membership: Membership | None) -> bool:
    return bool(membership and membership.is_active)


@rules.predicate
def is_care(membership: Membership | None) -> bool:
    return bool(membership and membership.is_active and membership.organisation.kind == "care")


@rules.predicate
def is_supplier(membership: Membership | None) -> bool:
    return bool(membership and membership.is_active and membership.organisation.kind == "supplier")


is_care_admin = is_care & _role_in("admin")
is_security = is_care & _role_in("security", "admin")
is_procurement = is_care & _role_in("procurement", "security", "admin")
is_board = is_care & _role_in("board")
is_care_reader = is_care & _role_in("admin", "security", "procurement", "board", "viewer")
is_supplier_owner = is_supplier & _role_in("owner")
is_supplier_member = is_supplier & _role_in("owner", "respondent")

PERMISSIONS: dict[str, rules.Predicate] = {
    # organisation and people
    "org.manage_members": is_care_admin | is_supplier_owner,
    "org.view_members": is_care_admin | is_security | is_supplier_owner,
    "org.edit_settings": is_care_admin | is_supplier_owner,
    "org.export": is_care_admin | is_supplier_owner,
    "member.erase": is_supplier_owner,
    "audit.view": is_care_admin | is_security | is_supplier_owner,
    "api.use_tokens": is_member,
    "webhooks.manage": is_care_admin | is_supplier_owner,
    "sso.manage": is_care_admin,
    "scim.manage": is_care_admin,
    # care organisation work (used by the domain apps)
    "care.read": is_care_reader,
    "suppliers.manage": is_procurement,
    "intake.edit": is_procurement,
    "assessment.send": is_procurement,
    "assessment.review": is_security,
    "questionnaire.build": is_security,
    "finding.manage": is_security,
    "decision.propose": is_security,
    "decision.approve": is_board,
    "appetite.edit": is_security,
    "finding.respond": is_supplier_member,
    "finding.read": is_care_reader | is_supplier_member,
    "contracts.edit": is_procurement,
    "exitnote.edit": is_procurement,
    "exitnote.approve": is_security | is_board,
    "reports.request": is_care_reader,
    # incidents in the chain (DESIGN §13)
    "incident.read": is_care_reader | is_supplier_member,
    "incident.report": is_supplier_member,
    "incident.assess": is_security,
    # supplier side
    "supplier.answer": is_supplier_member,
    "supplier.submit": is_supplier_owner,
    "supplier.manage_profile": is_supplier_owner,
    # trust profiles (DESIGN §14)
    "profile.read": is_care_reader | is_supplier_owner,
    "profile.request": is_procurement,
    # joint assessments (DESIGN §14): invite, accept or decline as for sending an assessment
    "joint.read": is_care_reader | is_supplier_member,
    "joint.manage": is_procurement,
}


def has_perm(membership: Membership | None, perm: str) -> bool:
    """True when the role allows `perm`; an unknown permission is a programming error."""
    try:
        predicate = PERMISSIONS[perm]
    except KeyError as exc:
        raise KeyError(f"Unknown permission {perm!r}") from exc
    return bool(predicate.test(membership))
