"""Load the demo data: create what is missing (safe to run again)."""

from __future__ import annotations

from portal.core.accounts.models import Organisation
from portal.core.accounts.services import member_add, organisation_create
from questionnaires.services import banks_load

from .advisories import load_advisories
from .assessments import _load_assessments, _load_findings_and_decisions
from .contracts import _load_contracts, _load_exit_notes
from .documents import _load_documents_and_collaboration
from .incidents import load_incidents, load_rapid
from .joint import load_joint
from .matching import load_matching
from .people import DEMO_PASSWORD, ORGANISATIONS, PEOPLE
from .relationships import _load_products, _load_relationships
from .sharing import load_sharing


def load_demo() -> list[tuple[str, str]]:
    """Create what is missing; return (e-mail, description) for the printed login list."""
    orgs: dict[str, Organisation] = {}
    for slug, name, kind, kvk in ORGANISATIONS:
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            org = organisation_create(slug=slug, name=name, kind=kind, kvk_number=kvk)
        orgs[slug] = org
    banks_load()
    logins: dict[str, list[str]] = {}
    for email, name, slug, role in PEOPLE:
        membership = member_add(
            organisation=orgs[slug], email=email, role=role, password=None, name=name
        )
        user = membership.user
        if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        logins.setdefault(email, []).append(f"{membership.get_role_display()} @ {orgs[slug].name}")
    _load_relationships(orgs)
    _load_products(orgs)
    _load_assessments(orgs)
    _load_findings_and_decisions(orgs)
    _load_documents_and_collaboration(orgs)
    _load_contracts(orgs)
    _load_exit_notes(orgs)
    load_incidents(orgs)
    load_rapid(orgs)
    load_matching(orgs)
    load_sharing(orgs)
    load_joint(orgs)
    load_advisories(orgs)
    return [(email, ", ".join(roles)) for email, roles in logins.items()]
